import { afterEach, expect, it, vi } from 'vitest';
import { attachmentDigest } from '@shared/audit';
import { PouchDB } from './pouch';

afterEach(() => vi.restoreAllMocks());

it('the indexeddb adapter stores a scan with its MD5, without reading the Blob back in slices', async () => {
  const db = new PouchDB(`md5_${Math.random().toString(36).slice(2, 8)}`, { adapter: 'indexeddb' });
  try {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31 + (i >> 9)) % 256);
    const slice = vi.spyOn(Blob.prototype, 'slice');
    await db.put({
      _id: 'evt:scan',
      _attachments: { 'scan.jpg': { content_type: 'image/jpeg', data: new Blob([bytes], { type: 'image/jpeg' }) } },
    });
    // PouchDB copies the whole Blob as it clones the document; pouchdb-md5 read it in 32 KB slices.
    const parts = slice.mock.calls.filter(([start, end]) => start !== 0 || end !== bytes.length);
    expect(parts).toEqual([]);
    const stored = await db.get('evt:scan');
    expect(stored._attachments?.['scan.jpg']?.digest).toBe(attachmentDigest(bytes));
    const back = await db.getAttachment('evt:scan', 'scan.jpg');
    expect(new Uint8Array(await (back as Blob).arrayBuffer())).toEqual(bytes);
  } finally {
    await db.destroy();
  }
});
