import Dexie from 'dexie';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { attachmentDigest, checkChains, type RawDoc } from '@shared/audit';
import { loadCatalogue } from '@shared/catalogue';
import { makeEvent, type ActorRef } from '@shared/events';
import { testPermitIntake, testPermitService } from '../../../tests/fixtures/testService';
import { ownHeads } from '../read/auditChain';
import { escrowDoc } from '../account/deskUnlock';
import { Desk } from '../desk';
import { throwawayDeskKeys, type DeskKeys } from './deskKeys';
import { DataError } from '../store/officeDb';
import { PouchDB } from '../store/pouch';
import { readModelName } from '../store/readModel';
import { sealJson, TEXT_PREFIX } from './envelope';
import { SEAL_CHECK_ID } from './sealedDb';
import { startSync, type SyncHandle, type SyncSnapshot } from '../sync/sync';

const clearDbKeys = throwawayDeskKeys();

/**
 * Encryption at rest of the office database against real IndexedDB (Chromium) and a real
 * CouchDB-protocol server on loopback: what lands on disk is sealed, what the desk, the audit check
 * and the server see is clear.
 */
const central = inject('central');
const auth = { username: central.user, password: central.password };
const catalogue = loadCatalogue([testPermitService]);
const clerk: ActorRef = { login: 'clerk1', role: 'clerk' };
const BIN = testPermitIntake.applicant.kind === 'legal_entity' ? testPermitIntake.applicant.bin : '';
const TITLE = 'ТОО «Құрылыс»';
const SCAN_MARK = 'SCAN-BYTES-ҚҰПИЯ-7731';
const scanBytes = (): Uint8Array => new TextEncoder().encode(`%PDF-1.4 ${SCAN_MARK} ${'x'.repeat(2000)}`);

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
const rnd = (): string => Math.random().toString(36).slice(2, 8);

function dbName(): string {
  const name = `sealed_${rnd()}`;
  cleanup.push(async () => {
    await Dexie.delete(readModelName(name));
    await new PouchDB(name, { adapter: 'indexeddb' }).destroy();
  });
  return name;
}

async function openDesk(name: string, keys: DeskKeys | undefined): Promise<Desk> {
  // Without keys: an office database from before sealing (the read model is sealed anyway).
  const desk = await Desk.open(
    {
      office: 'ALM01',
      desk: 'D01',
      dbName: name,
      ...(keys ? { keys } : { keys: await clearDbKeys, clearOfficeDb: true }),
    },
    catalogue,
  );
  cleanup.push(() => desk.close().catch(() => undefined));
  return desk;
}

/** Every value of the office database's raw IndexedDB stores as text, Blobs read as their bytes. */
async function rawIdb(name: string): Promise<string> {
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(`_pouch_${name}`);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('open failed'));
  });
  const out: string[] = [];
  const blobs: Blob[] = [];
  try {
    for (const storeName of Array.from(idb.objectStoreNames)) {
      const all = await new Promise<unknown[]>((resolve, reject) => {
        const r = idb.transaction(storeName, 'readonly').objectStore(storeName).getAll();
        r.onsuccess = () => resolve(r.result as unknown[]);
        r.onerror = () => reject(r.error ?? new Error('read failed'));
      });
      for (const value of all)
        out.push(
          JSON.stringify(value, (_k, v: unknown) => {
            if (v instanceof Blob) blobs.push(v);
            return v instanceof Blob ? `blob:${v.size}` : v;
          }),
        );
    }
  } finally {
    idb.close();
  }
  for (const b of blobs) out.push(new TextDecoder().decode(await b.arrayBuffer()));
  return out.join('\n');
}

async function serverDb(): Promise<PouchDB.Database> {
  const name = `sealed_${rnd()}`;
  const admin = new PouchDB(`${central.url}/${name}`, { adapter: 'http', auth });
  await admin.info();
  cleanup.push(() => admin.destroy().then(() => undefined));
  return admin;
}

function syncUntil(local: PouchDB.Database, remote: PouchDB.Database, done: () => Promise<boolean>): Promise<void> {
  return new Promise((resolve, reject) => {
    let handle: SyncHandle | null = null;
    let finished = false;
    const timer = setTimeout(() => reject(new Error('sync did not settle')), 20_000);
    const check = (s: SyncSnapshot): void => {
      if (finished || !handle || s.state !== 'online' || s.pendingLocal !== 0) return;
      void done().then(async (ok) => {
        if (!ok || finished || !handle) return;
        finished = true;
        clearTimeout(timer);
        await handle.stop();
        resolve();
      });
    };
    handle = startSync(local, remote, { target: 'central', maxBackoffMs: 500, onChange: check });
    check(handle.snapshot());
  });
}

async function allEvents(db: PouchDB.Database): Promise<RawDoc[]> {
  const r = await db.allDocs({ startkey: 'evt:', endkey: 'evt:\ufff0', include_docs: true });
  return r.rows.map((row) => row.doc as unknown as RawDoc);
}

describe('encryption at rest of the office database (real IndexedDB, real server)', () => {
  it('stores no IIN/BIN, name or scan bytes in IndexedDB; the desk, the chain and the server see them clear', async () => {
    const keys = await throwawayDeskKeys();
    const name = dbName();
    const desk = await openDesk(name, keys);
    const reg = await desk.registerApplication('registered', clerk, testPermitIntake);
    const att = await desk.attach(reg.appId, clerk, {
      name: 'passport.pdf',
      type: 'application/pdf',
      data: new Blob([scanBytes() as BlobPart], { type: 'application/pdf' }),
    });
    await desk.settled();

    const raw = await rawIdb(name);
    expect(raw).toContain(reg._id); // the control: the reader does see the stores
    expect(raw).toContain('kenc1.');
    expect(raw).not.toContain(BIN);
    expect(raw).not.toContain(TITLE);
    expect(raw).not.toContain('Құрылыс');
    expect(raw).not.toContain(SCAN_MARK);

    // Through the layer: clear payload, clear bytes, the clear digest on the stub.
    expect((await desk.eventsOf(reg.appId))[0]?.payload).toMatchObject({ applicant: { bin: BIN, title: TITLE } });
    const back = new Uint8Array(await (await desk.attachment(att._id, 'passport.pdf')).arrayBuffer());
    expect(back).toEqual(scanBytes());
    const stub = (await desk.office.db.get(att._id))._attachments?.['passport.pdf'] as { digest: string };
    expect(stub.digest).toBe(attachmentDigest(scanBytes()));
    const local = checkChains(await allEvents(desk.office.db), { heads: await ownHeads(desk.office.db) });
    expect(local.findings).toEqual([]);
    expect(local.devices).toMatchObject([{ status: 'ok', chained: 2, anchored: true }]);

    // The server keeps clear documents, with the digest of the clear scan, and its chain checks.
    const server = await serverDb();
    await syncUntil(desk.office.db, server, async () => (await server.info()).doc_count >= 2);
    const onServer = await server.get(att._id, { attachments: true, binary: true });
    const serverAtt = onServer._attachments?.['passport.pdf'] as { digest: string; data: Blob };
    expect(serverAtt.digest).toBe(attachmentDigest(scanBytes()));
    expect(new Uint8Array(await serverAtt.data.arrayBuffer())).toEqual(scanBytes());
    expect(((await server.get(reg._id)) as unknown as { payload: unknown }).payload).toMatchObject({
      applicant: { bin: BIN, title: TITLE },
    });
    expect(JSON.stringify(await server.get(att._id))).not.toContain('sealedAttachments');
    const serverReport = checkChains(await allEvents(server), {});
    expect(serverReport.findings).toEqual([]);
    expect(serverReport.devices).toMatchObject([{ status: 'ok', chained: 2 }]);

    // Another replica pulling from the server stores what it pulls sealed, under its own key.
    const otherName = dbName();
    const other = await openDesk(otherName, await throwawayDeskKeys());
    await syncUntil(other.office.db, server, async () => (await other.office.db.allDocs()).rows.length >= 2);
    await other.settled();
    const rawOther = await rawIdb(otherName);
    expect(rawOther).toContain(att._id);
    expect(rawOther).not.toContain(BIN);
    expect(rawOther).not.toContain('Құрылыс');
    expect(rawOther).not.toContain(SCAN_MARK);
    expect(new Uint8Array(await (await other.attachment(att._id, 'passport.pdf')).arrayBuffer())).toEqual(scanBytes());
    expect(await other.model.applications.get(reg.appId)).toMatchObject({ regNumber: reg.payload.regNumber });
    const otherReport = checkChains(await allEvents(other.office.db), {});
    expect(otherReport.findings).toEqual([]);
  });

  it("holds the desk-key escrows it pulls sealed: no desk's secret in clear at rest", async () => {
    const name = dbName();
    const desk = await openDesk(name, await throwawayDeskKeys());
    const server = await serverDb();
    const escrow = escrowDoc('ALM01', 'D07', new Uint8Array(32).fill(201), 'aigerim', '2026-03-09T10:00:00.000Z');
    await server.put(escrow);
    await syncUntil(desk.office.db, server, async () => (await desk.office.db.allDocs()).rows.length >= 1);
    const raw = await rawIdb(name);
    expect(raw).toContain(escrow._id);
    expect(raw).not.toContain(String(escrow['secret']));
    expect(((await desk.office.db.get(escrow._id)) as unknown as { secret: string }).secret).toBe(escrow['secret']);
  });

  it('a pulled document cannot pass clear bytes off as sealed (a forged sealedAttachments field is dropped)', async () => {
    const name = dbName();
    const desk = await openDesk(name, await throwawayDeskKeys());
    const id = 'evt:FORGED:000000000000001-0000:D9';
    await desk.office.db.bulkDocs(
      [
        {
          _id: id,
          _rev: '1-abc',
          appId: 'FORGED',
          kind: 'attachment_added',
          sealedAttachments: 'kenc1.AAAA',
          payload: { name: 'x.pdf' },
          _attachments: { 'x.pdf': { content_type: 'application/pdf', data: new Blob([scanBytes() as BlobPart]) } },
        },
      ],
      { new_edits: false },
    );
    const raw = await rawIdb(name);
    expect(raw).toContain(id);
    expect(raw).not.toContain(SCAN_MARK);
    expect(new Uint8Array(await (await desk.attachment(id, 'x.pdf')).arrayBuffer())).toEqual(scanBytes());
  });

  it('a wrong key is refused with a clear error before anything is read or written', async () => {
    const keys = await throwawayDeskKeys();
    const name = dbName();
    const desk = await openDesk(name, keys);
    await desk.registerApplication('registered', clerk, testPermitIntake);
    await desk.close();
    const before = await rawIdb(name);

    const wrong = await throwawayDeskKeys();
    const error = await Desk.open({ office: 'ALM01', desk: 'D01', dbName: name, keys: wrong }, catalogue).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).code).toBe('key.wrong');
    expect(await rawIdb(name)).toBe(before);

    // The right key still opens it.
    const again = await openDesk(name, keys);
    expect((await again.office.db.allDocs({ startkey: 'evt:', endkey: 'evt:\ufff0' })).rows).toHaveLength(1);
    const check = await again.office.db.get<{ check: string }>(SEAL_CHECK_ID);
    expect(check.check.startsWith('kenc1.')).toBe(true);
  });

  it('a sealed payload changed on disk does not break the replica: the event stays sealed and the chain check names it', async () => {
    const name = dbName();
    const desk = await openDesk(name, await throwawayDeskKeys());
    const reg = await desk.registerApplication('registered', clerk, testPermitIntake);
    const other = await desk.registerApplication('registered', clerk, testPermitIntake);
    await desk.settled();

    // Flip one bit in the middle of the sealed payload, in the raw IndexedDB store.
    const idb = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(`_pouch_${name}`);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error ?? new Error('open failed'));
    });
    type Stored = {
      id: string;
      rev: string;
      data: Record<string, unknown>;
      revs: Record<string, { data: Record<string, unknown> }>;
    };
    const stored = await new Promise<Stored>((resolve, reject) => {
      const r = idb.transaction('docs', 'readonly').objectStore('docs').get(reg._id);
      r.onsuccess = () => resolve(r.result as Stored);
      r.onerror = () => reject(r.error ?? new Error('read failed'));
    });
    // The payload is the envelope's bytes (a Uint8Array in the store): one bit in the middle.
    const flip = (bytes: unknown): Uint8Array => {
      if (!(bytes instanceof Uint8Array)) throw new Error('the payload is not stored as bytes');
      const copy = bytes.slice();
      const i = Math.floor(copy.length / 2);
      copy[i] = (copy[i] ?? 0) ^ 1;
      return copy;
    };
    // (The two may be one object: IndexedDB's structured clone keeps shared references.)
    for (const data of new Set([stored.data, stored.revs[stored.rev]?.data]))
      if (data) data['payload'] = flip(data['payload']);
    await new Promise<void>((resolve, reject) => {
      const tx = idb.transaction('docs', 'readwrite');
      tx.objectStore('docs').put(stored);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('write failed'));
    });
    idb.close();

    const docs = await allEvents(desk.office.db);
    expect(docs).toHaveLength(2);
    expect(String(docs.find((d) => d['_id'] === reg._id)?.['payload'])).toMatch(/^kenc1\./);
    expect((await desk.eventsOf(other.appId))[0]?.payload).toMatchObject({ applicant: { bin: BIN } });
    const report = checkChains(docs, { heads: await ownHeads(desk.office.db) });
    // Named twice over: its content no longer matches its id's digest, nor the hash the chain keeps.
    expect(report.findings.map((f) => f.reason).sort()).toEqual(['contentMismatch', 'hashMismatch']);
    for (const f of report.findings) expect(f).toMatchObject({ kind: 'edited', eventIds: [reg._id] });
  });

  it('payloads sealed as text by an earlier build still open, and stay as they are on disk', async () => {
    const keys = await throwawayDeskKeys();
    const name = dbName();
    await (await openDesk(name, keys)).close();
    // Written as the earlier build wrote it: the payload sealed to `kenc1.` text.
    const at = Date.parse('2026-03-10T05:00:00Z');
    const event = makeEvent({
      kind: 'registered',
      appId: 'OLDTEXT1',
      office: 'ALM01',
      device: 'D07',
      clock: { wall: at, counter: 0 },
      now: at,
      actor: clerk,
      payload: { ...testPermitIntake, regNumber: 'ALM01-D07-000001' },
    });
    const raw = new PouchDB(name, { adapter: 'indexeddb' });
    await raw.put({ ...event, payload: await sealJson(keys.data, event.payload, `${event._id}#payload`) });

    const desk = await openDesk(name, keys);
    expect((await desk.eventsOf('OLDTEXT1'))[0]?.payload).toMatchObject({ applicant: { bin: BIN } });
    expect((await desk.model.applications.get('OLDTEXT1'))?.regNumber).toBe('ALM01-D07-000001');
    const stored = (await raw.get(event._id)) as unknown as { payload: unknown };
    expect(String(stored.payload).startsWith(TEXT_PREFIX)).toBe(true);
    expect(await rawIdb(name)).not.toContain(BIN);
  });

  it('a replica from before sealing keeps working: old clear events are read as they are, new ones are sealed', async () => {
    const name = dbName();
    const clear = await openDesk(name, undefined);
    const old = await clear.registerApplication('registered', clerk, testPermitIntake);
    await clear.close();
    expect(await rawIdb(name)).toContain(BIN);

    const desk = await openDesk(name, await throwawayDeskKeys());
    expect((await desk.eventsOf(old.appId))[0]?.payload).toMatchObject({ applicant: { bin: BIN } });
    const next = await desk.registerApplication('registered', clerk, {
      ...testPermitIntake,
      applicant: { kind: 'legal_entity', bin: '050540004455', title: 'ЖШС «Жаңа»' },
    });
    await desk.settled();
    const raw = await rawIdb(name);
    expect(raw).not.toContain('050540004455');
    expect(raw).not.toContain('Жаңа');
    expect((await desk.eventsOf(next.appId))[0]?.payload).toMatchObject({ applicant: { bin: '050540004455' } });
    const report = checkChains(await allEvents(desk.office.db), { heads: await ownHeads(desk.office.db) });
    expect(report.findings).toEqual([]);
  });
});
