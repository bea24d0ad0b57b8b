import { afterEach, describe, expect, inject, it } from 'vitest';
import { adminHeaders as adminHeadersOf, eventFactory } from '../../../tests/fixtures/centralEvents';
import { openOfficeDb, type OfficeDb } from '../store/officeDb';
import { PouchDB } from '../store/pouch';
import { throwawayDeskKeys } from '../seal/deskKeys';
import { startSync, SYNC_BATCH, type SyncHandle, type SyncSnapshot } from './sync';

/**
 * The live pull of a desk far behind an office where many photos were taken (a week offline, or a
 * pull resuming after the first download while others add scans), against the dev central on
 * loopback into a real, sealed IndexedDB replica: every scan arrives whole, and the sync ends
 * online without an error. Pulled inline with the events, 500 to a batch, such a backlog is one
 * `_bulk_get` and one `bulkDocs` of tens of MB.
 */
const central = inject('central');
const auth = { username: central.user, password: central.password };
const adminHeaders = adminHeadersOf(central);

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});

const event = eventFactory('D2');

/** Random bytes (photos do not compress), base64 as CouchDB takes attachments in JSON. */
function photo(bytes: number): string {
  const b = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 65_536) crypto.getRandomValues(b.subarray(i, Math.min(bytes, i + 65_536)));
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

async function serverDb(): Promise<PouchDB.Database> {
  const url = `${central.url}/kense_lp_${Math.random().toString(36).slice(2, 10)}`;
  expect((await fetch(url, { method: 'PUT', headers: adminHeaders })).status).toBe(201);
  cleanup.push(async () => void (await fetch(url, { method: 'DELETE', headers: adminHeaders })));
  const remote = new PouchDB(url, { adapter: 'http', auth, skip_setup: true });
  cleanup.push(() => remote.close());
  return remote;
}

async function localOffice(): Promise<OfficeDb> {
  const office = await openOfficeDb('ALM01', {
    name: `lp_${Math.random().toString(36).slice(2, 8)}`,
    keys: await throwawayDeskKeys(),
  });
  cleanup.push(() => office.db.destroy());
  return office;
}

function sync(
  local: PouchDB.Database,
  remote: PouchDB.Database,
): { handle: SyncHandle; until: (p: (s: SyncSnapshot) => boolean, what: string) => Promise<SyncSnapshot> } {
  const waiters: { p: (s: SyncSnapshot) => boolean; resolve: (s: SyncSnapshot) => void }[] = [];
  const handle = startSync(local, remote, {
    target: 'central',
    ownDevice: 'D1',
    maxBackoffMs: 500,
    onChange: (s) => {
      for (const w of [...waiters])
        if (w.p(s)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(s);
        }
    },
  });
  cleanup.push(() => handle.stop());
  const until = (p: (s: SyncSnapshot) => boolean, what: string): Promise<SyncSnapshot> =>
    p(handle.snapshot())
      ? Promise.resolve(handle.snapshot())
      : new Promise((resolve, reject) => {
          const t = setTimeout(
            () => reject(new Error(`${what}: not reached; last ${JSON.stringify(handle.snapshot())}`)),
            150_000,
          );
          waiters.push({
            p,
            resolve: (s) => {
              clearTimeout(t);
              resolve(s);
            },
          });
        });
  return { handle, until };
}

type Stub = { digest?: string; length?: number; content_type?: string };
const stubsOf = (doc: { _attachments?: Record<string, Stub> }): Record<string, Stub> =>
  Object.fromEntries(
    Object.entries(doc._attachments ?? {}).map(([n, a]) => [
      n,
      { digest: a.digest, length: a.length, content_type: a.content_type },
    ]),
  );

describe('the live pull of a desk far behind, with many scans (real server, real IndexedDB)', () => {
  it('brings every scan whole and ends online without an error', { timeout: 240_000 }, async () => {
    const remote = await serverDb();
    const office = await localOffice();
    // The desk is synced with the office…
    await remote.bulkDocs([event('A0', 'registered'), { _id: 'staff:dana', login: 'dana' }]);
    const first = sync(office.db, remote);
    await first.until((s) => s.state === 'online' && s.pulled >= 2, 'synced at first');
    await first.handle.stop();

    // …and is away while 180 photos and scans (60–700 KB, about 70 MB) are taken at the office,
    // on attachment_added events and, as older data and the bench have them, on others.
    const scanIds: string[] = [];
    for (let a = 0; a < 30; a++) {
      const docs: Record<string, unknown>[] = [event(`A${String(a + 1)}`, 'registered')];
      for (let k = 0; k < 6; k++) {
        const bytes = 60_000 + (((a * 6 + k) * 37_000) % 640_000);
        const e = event(`A${String(a + 1)}`, k === 5 ? 'note_added' : 'attachment_added', {
          name: `p${String(k)}.jpg`,
        });
        scanIds.push(String(e['_id']));
        docs.push({
          ...e,
          _attachments: { [`p${String(k)}.jpg`]: { content_type: 'image/jpeg', data: photo(bytes) } },
        });
      }
      await remote.bulkDocs(docs as PouchDB.Core.PutDocument<object>[]);
    }

    // Back: the live sync resumes from its checkpoint.
    const scanSet = new Set(scanIds);
    const scansPerRequest: number[] = [];
    const bulkGet = remote.bulkGet.bind(remote);
    remote.bulkGet = (o: PouchDB.Core.BulkGetOptions) => {
      scansPerRequest.push(o.docs.filter((d) => scanSet.has(d.id)).length);
      return bulkGet(o);
    };
    const errors: SyncSnapshot[] = [];
    // The window's heap while it pulls (Chromium's coarse figure), for the record.
    const heap = (): number => (performance as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
    let peak = heap();
    const sampler = setInterval(() => (peak = Math.max(peak, heap())), 50);
    cleanup.push(() => Promise.resolve(clearInterval(sampler)));
    const started = performance.now();
    const back = sync(office.db, remote);
    const seen = back.until((s) => {
      if (s.state === 'error') errors.push(s);
      return s.state === 'online' || s.state === 'error';
    }, 'online again');
    const end = await seen;
    clearInterval(sampler);
    // eslint-disable-next-line no-console -- the figure for docs/performance, printed by the run
    console.info(
      `pulled ${String(scanIds.length)} scans in ${String(Math.round(performance.now() - started))} ms; ` +
        `largest request ${String(Math.max(...scansPerRequest))} scans; peak JS heap ${String(Math.round(peak / 1e6))} MB`,
    );
    expect(errors).toEqual([]);
    expect(end.state).toBe('online');
    expect(end.error).toBeNull();

    // A few scans per request (and so per write), never the backlog at once.
    expect(scansPerRequest.reduce((a, n) => a + n, 0)).toBeGreaterThanOrEqual(scanIds.length);
    expect(Math.max(...scansPerRequest)).toBeLessThanOrEqual(SYNC_BATCH.scansDown);

    // Every scan is here, its attachment as the server has it (digest and length of the clear bytes).
    const there = await remote.allDocs({ keys: scanIds, include_docs: true });
    const here = await office.db.allDocs({ keys: scanIds, include_docs: true });
    const missing = here.rows.filter((r) => !('doc' in r) || !r.doc).map((r) => r.key);
    expect(missing).toEqual([]);
    for (const [i, r] of there.rows.entries()) {
      const mine = here.rows[i];
      expect(mine && 'doc' in mine && mine.doc ? stubsOf(mine.doc) : null).toEqual(
        'doc' in r && r.doc ? stubsOf(r.doc) : 'missing on the server',
      );
    }
    // And the bytes of one open as they were.
    const one = scanIds[17] as string;
    const mineBlob = (await office.db.getAttachment(one, 'p5.jpg')) as Blob;
    const theirs = (await remote.getAttachment(one, 'p5.jpg')) as Blob;
    expect(new Uint8Array(await mineBlob.arrayBuffer())).toEqual(new Uint8Array(await theirs.arrayBuffer()));
  });
});
