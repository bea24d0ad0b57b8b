import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogue } from '@shared/catalogue';
import type { ActorRef, PayloadOf } from '@shared/events';
import { testPermitService } from '../../../tests/fixtures/testService';
import { blindIndex, queryWords } from './blindIndex';
import { Desk } from '../desk';
import { throwawayDeskKeys, type DeskKeys } from './deskKeys';
import { PouchDB } from '../store/pouch';
import { readModelName } from '../store/readModel';
import {
  findApplicant,
  openApplicationPersonal,
  openedModelDump,
  openJournalData,
  searchApplications,
  searchTermsOf,
} from './sealedRows';
import { seedStaffDirectory } from '../../../tests/fixtures/staffDirectory';

/**
 * The read model at rest (docs/threat-model.md §5): after real events are projected into real
 * IndexedDB, the stored rows hold no IIN, name, address or phone in clear, and search by IIN, by a
 * folded name prefix and by number still finds the application, with the right key only.
 */

const catalogue = loadCatalogue([testPermitService]);
const clerk: ActorRef = { login: 'clerk1', role: 'clerk', name: 'Айгерім' };
const IIN = '900101300017';
const REP_IIN = '850202400028';
const person: Omit<PayloadOf<'registered'>, 'regNumber'> = {
  serviceId: 'test-permit',
  serviceVersion: '1',
  variantId: 'issue',
  channel: 'provider_office',
  applicant: {
    kind: 'person',
    iin: IIN,
    surname: 'Сейітқали',
    name: 'Қайрат',
    patronymic: 'Нұрланұлы',
    address: 'Алматы қ., Абай даңғылы, 150',
    phone: '+7 701 555 0199',
  },
  representative: { iin: REP_IIN, fullName: 'Жұмабекова Гүлнар', poaNumber: 'СН-77', poaDate: '2026-01-15' },
  documents: [{ id: 'application', received: true }],
};
/** Every clear value that must not reach the disk, also as search would fold it. */
const SECRETS = [
  IIN,
  REP_IIN,
  'Сейітқали',
  'Қайрат',
  'Нұрланұлы',
  'кайрат',
  'сеииткали',
  'Абай',
  'Алматы қ.',
  '555 0199',
  'Жұмабекова',
  'жумабекова',
];

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function openDesk(
  keys: DeskKeys,
  dbName = `sealed_${Math.random().toString(36).slice(2, 8)}`,
  clearOfficeDb = false,
): Promise<Desk> {
  const desk = await Desk.open({ office: 'ALM01', desk: 'D01', dbName, keys, clearOfficeDb }, catalogue);
  cleanup.push(async () => {
    await desk.close().catch(() => undefined);
    await Dexie.delete(readModelName(dbName));
    await new PouchDB(dbName, { adapter: 'indexeddb' }).destroy();
  });
  return desk;
}

/** Every row of every store of the read model, read with the raw IndexedDB API (no keys, no Dexie schema). */
async function rawReadModel(name: string): Promise<string> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('open failed'));
  });
  try {
    const out: Record<string, unknown[]> = {};
    for (const store of Array.from(db.objectStoreNames)) {
      out[store] = await new Promise<unknown[]>((resolve, reject) => {
        const req = db.transaction(store).objectStore(store).getAll();
        req.onsuccess = () => resolve(req.result as unknown[]);
        req.onerror = () => reject(req.error ?? new Error('read failed'));
      });
    }
    return JSON.stringify(out);
  } finally {
    db.close();
  }
}

async function search(desk: Desk, keys: DeskKeys, text: string): Promise<string[]> {
  const terms = await searchTermsOf(keys, queryWords(text));
  return (await searchApplications(desk.model, keys, terms)).map((a) => a.appId);
}

/** The head's resolution: a step that changes no name. */
async function assignExecutor(desk: Desk, appId: string): Promise<void> {
  await desk.append(
    appId,
    'resolution',
    { login: 'head1', role: 'head' },
    { stepId: 's3', executor: 'exec1', executorName: 'Дана' },
  );
}

async function registerAndIssue(desk: Desk): Promise<string> {
  const reg = await desk.registerApplication('registered', clerk, person);
  await desk.settled();
  return reg.appId;
}

describe('the read model holds citizens’ data only sealed (real IndexedDB)', () => {
  it('stores no IIN, name, address or phone in clear, and opens them with the key', async () => {
    const keys = await throwawayDeskKeys();
    const desk = await openDesk(keys);
    const appId = await registerAndIssue(desk);

    const raw = await rawReadModel(desk.model.name);
    expect(raw).toContain('ALM01-D01-000001'); // the registration number stays clear, by design
    expect(raw).toContain(appId);
    for (const secret of SECRETS) expect(raw, secret).not.toContain(secret);

    const row = await desk.model.applications.get(appId);
    if (!row) throw new Error('no row');
    expect(await openApplicationPersonal(keys, row)).toEqual({
      applicantName: 'Сейітқали Қайрат Нұрланұлы',
      applicantId: IIN,
    });
    const token = await blindIndex(keys.index).id(IIN);
    expect(row.applicantKey).toBe(token);
    expect(await findApplicant(desk.model, keys, token, IIN)).toMatchObject({
      kind: 'person',
      name: 'Сейітқали Қайрат Нұрланұлы',
      details: { address: 'Алматы қ., Абай даңғылы, 150', phone: '+7 701 555 0199' },
    });
    const [journal] = await desk.model.journal.filter((j) => j.appId === appId).toArray();
    if (!journal) throw new Error('no journal row');
    expect(await openJournalData(keys, journal)).toMatchObject({
      applicant: 'Сейітқали Қайрат Нұрланұлы',
      applicantKey: IIN,
    });
  });

  it('finds by IIN, by folded name prefix, by representative and by number; nothing by a partial IIN', async () => {
    const keys = await throwawayDeskKeys();
    const desk = await openDesk(keys);
    const appId = await registerAndIssue(desk);
    const other = await desk.registerApplication('registered', clerk, {
      ...person,
      applicant: { kind: 'legal_entity', bin: '940140000385', title: 'ТОО «Құрылыс»' },
      representative: undefined,
    });
    await desk.settled();

    expect(await search(desk, keys, IIN)).toEqual([appId]);
    expect(await search(desk, keys, 'Кайр')).toEqual([appId]); // К typed for Қ
    expect(await search(desk, keys, 'қайрат')).toEqual([appId]);
    expect(await search(desk, keys, 'Сейіт Кайр')).toEqual([appId]); // every word must match
    expect(await search(desk, keys, 'Сейіт курылыс')).toEqual([]);
    expect(await search(desk, keys, 'жумабек')).toEqual([appId]);
    expect(await search(desk, keys, 'ALM01-D01-000001')).toEqual([appId]);
    expect((await search(desk, keys, 'alm01-d01-00000')).sort()).toEqual([appId, other.appId].sort());
    expect(await search(desk, keys, 'курылыс')).toEqual([other.appId]);
    // Longer than the indexed prefixes: found by the first five letters, then checked against the
    // row's sealed words (a word sharing those five letters is not a match).
    expect(await search(desk, keys, 'Сейітқа')).toEqual([appId]);
    expect(await search(desk, keys, 'сейітов')).toEqual([]);
    expect(await search(desk, keys, 'жумабекова')).toEqual([appId]);
    expect(await search(desk, keys, 'жумабеков гулнар')).toEqual([appId]);
    // Any tail of the number, as read off a ticket.
    expect(await search(desk, keys, '000001')).toEqual([appId]);
    expect(await search(desk, keys, 'D01-000001')).toEqual([appId]);
    expect(await search(desk, keys, 'd01-000002')).toEqual([other.appId]);
    expect(await search(desk, keys, '000003')).toEqual([]);
    // An IIN's prefix is a birth date: it is not indexed.
    expect(await search(desk, keys, IIN.slice(0, 8))).toEqual([]);
    // Tokens: three for each name word of five letters or more, fewer for shorter ones, the IIN whole;
    // none for the numbers (found by their clear key). 'Сейітқали Қайрат Нұрланұлы' + 'Жұмабекова Гүлнар'.
    expect((await desk.model.search.get(appId))?.tokens).toHaveLength(3 * 5 + 1);
    // The applicant's earlier applications at reception: by the IIN's token.
    const byId = await desk.model.applications
      .where('applicantKey')
      .equals(await blindIndex(keys.index).id(IIN))
      .toArray();
    expect(byId.map((a) => a.appId)).toEqual([appId]);
  });

  it("writes an application's search tokens only when its names change, not at every step", async () => {
    const keys = await throwawayDeskKeys();
    const desk = await openDesk(keys);
    await seedStaffDirectory(desk.office.db);
    const appId = await registerAndIssue(desk);
    const stored = await desk.model.search.get(appId);
    if (!stored) throw new Error('no search row');
    // Marked as it is: a step that rewrote the row would drop the mark.
    await desk.model.search.put({ ...stored, mark: 1 } as typeof stored);
    await assignExecutor(desk, appId);
    await desk.settled();
    expect(await desk.model.applications.get(appId)).toMatchObject({ assignee: 'exec1' });
    expect(await desk.model.search.get(appId)).toEqual({ ...stored, mark: 1 });
    // Tokens that are not the names' (a row left by another build) are written again.
    await desk.model.search.put({ appId, tokens: ['stale'] });
    await assignExecutor(desk, appId);
    await desk.settled();
    expect(await desk.model.search.get(appId)).toEqual(stored);
    expect(await search(desk, keys, 'кайрат')).toEqual([appId]);
  });

  it('with another key: finds nothing, opens nothing, and does not throw', async () => {
    const keys = await throwawayDeskKeys();
    const wrong = await throwawayDeskKeys();
    const desk = await openDesk(keys);
    const appId = await registerAndIssue(desk);
    expect(await search(desk, wrong, IIN)).toEqual([]);
    expect(await search(desk, wrong, 'кайрат')).toEqual([]);
    expect(await findApplicant(desk.model, wrong, await blindIndex(wrong.index).id(IIN), IIN)).toBeUndefined();
    const row = await desk.model.applications.get(appId);
    if (!row) throw new Error('no row');
    expect(await openApplicationPersonal(wrong, row)).toBeNull();
    // A blob copied onto another row does not open there either (the context binds it).
    expect(await openApplicationPersonal(keys, { appId: 'other', personal: row.personal })).toBeNull();
    const [journal] = await desk.model.journal.filter((j) => j.appId === appId).toArray();
    if (!journal) throw new Error('no journal row');
    expect(await openJournalData(wrong, journal)).toBeNull();
  });

  it('a rebuild from zero yields the same model, once opened; a desk reopened with new keys rebuilds under them', async () => {
    const keys = await throwawayDeskKeys();
    const dbName = `sealed_${Math.random().toString(36).slice(2, 8)}`;
    // An office database from before sealing: only there can new keys open it (a sealed one
    // refuses them, sealedDb.browser.test.ts), and the read model must follow the new keys.
    const desk = await openDesk(keys, dbName, true);
    await seedStaffDirectory(desk.office.db);
    const appId = await registerAndIssue(desk);
    await assignExecutor(desk, appId);
    await desk.settled();
    const before = await openedModelDump(desk.model, keys);
    const sealedBefore = await desk.model.applications.get(appId);
    const tokensBefore = await desk.model.search.get(appId);
    await desk.projector.rebuild();
    expect(await openedModelDump(desk.model, keys)).toEqual(before);
    // Sealed anew (fresh IVs), the same tokens (HMAC is deterministic).
    const sealedAfter = await desk.model.applications.get(appId);
    expect(sealedAfter?.personal).not.toBe(sealedBefore?.personal);
    expect(await desk.model.search.get(appId)).toEqual(tokensBefore);
    expect(tokensBefore?.tokens.length).toBeGreaterThan(0);
    await desk.close();

    // The desk secret was made anew: the old model opens to nothing, so it is rebuilt under the new keys.
    const fresh = await throwawayDeskKeys();
    const again = await Desk.open(
      { office: 'ALM01', desk: 'D01', dbName, keys: fresh, clearOfficeDb: true },
      catalogue,
    );
    cleanup.push(() => again.close().catch(() => undefined));
    expect(await search(again, fresh, 'кайрат')).toEqual([appId]);
    const row = await again.model.applications.get(appId);
    expect(row && (await openApplicationPersonal(fresh, row))).toMatchObject({ applicantId: IIN });
  });
});
