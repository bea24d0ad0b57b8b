import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redirectsMd5 } from '../../../vite.renderer';
import { binaryMd5 } from './attachmentMd5';

const nodeMd5 = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('base64');
const digestOf = (data: Blob | string): Promise<string> => new Promise((resolve) => binaryMd5(data, resolve));

describe('the indexeddb adapter’s attachment digest', () => {
  it('is the MD5 of a Blob’s bytes, across PouchDB’s 32 KB chunk size and empty', async () => {
    for (const size of [0, 1, 55, 64, 32_767, 32_768, 32_769, 100_000, 250_001]) {
      const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 131 + (i >> 7)) % 256);
      expect(await digestOf(new Blob([bytes]))).toBe(nodeMd5(bytes));
    }
  });

  it('is the MD5 of a binary string’s bytes (one char a byte, as atob gives them)', async () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256);
    const binary = String.fromCharCode(...bytes.subarray(0, 35_000)) + String.fromCharCode(...bytes.subarray(35_000));
    expect(await digestOf(binary)).toBe(nodeMd5(bytes));
    expect(await digestOf('')).toBe(nodeMd5(new Uint8Array()));
  });

  it('takes pouchdb-md5’s place for the indexeddb adapter only (revision ids keep its stringMd5)', () => {
    const adapter = '/x/node_modules/pouchdb-adapter-indexeddb/lib/index.es.js';
    expect(redirectsMd5('pouchdb-md5', adapter)).toBe(true);
    expect(redirectsMd5('pouchdb-md5', 'C:\\x\\node_modules\\pouchdb-adapter-indexeddb\\lib\\index.es.js')).toBe(true);
    expect(redirectsMd5('pouchdb-md5', '/x/node_modules/pouchdb-utils/lib/index-browser.es.js')).toBe(false);
    // The adapter's own copy of pouchdb-utils (nested under it) makes revision ids with stringMd5.
    expect(
      redirectsMd5(
        'pouchdb-md5',
        '/x/node_modules/pouchdb-adapter-indexeddb/node_modules/pouchdb-utils/lib/index.es.js',
      ),
    ).toBe(false);
    expect(redirectsMd5('pouchdb-md5', '/x/node_modules/pouchdb-adapter-idb/lib/index.es.js')).toBe(false);
    expect(redirectsMd5('pouchdb-utils', adapter)).toBe(false);
    expect(redirectsMd5('pouchdb-md5', undefined)).toBe(false);
  });
});
