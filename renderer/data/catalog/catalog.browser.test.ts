import { afterEach, describe, expect, inject, it } from 'vitest';
import type { YearData } from '@shared/calendar';
import { seedDocs, seedRevision } from '@shared/catalogue';
import {
  catalogRevision,
  CatalogWriteError,
  publishCatalogDoc,
  readCatalog,
  resolveCatalogConflict,
  seedCatalogDb,
} from './catalog';
import { PouchDB } from '../store/pouch';

/**
 * The desk's catalogue against a real CouchDB-protocol central (the dev server, provisioned and
 * seeded as production is): the first pull after seeding brings no conflict; two administrators
 * who edit the same calendar year offline end with the same winner everywhere, the other side
 * listed and viewable, and either one kept by choice — nothing silently lost.
 */
const central = inject('central');
const admin = { username: central.user, password: central.password };

async function putCatalogAdmin(login: string, password: string): Promise<void> {
  const r = await fetch(`${central.url}/_users/org.couchdb.user:${login}`, {
    method: 'PUT',
    headers: {
      authorization: 'Basic ' + btoa(`${admin.username}:${admin.password}`),
      'content-type': 'application/json',
    },
    body: JSON.stringify({ name: login, type: 'user', roles: ['catalog_admin', 'office:ALM01'], password }),
  });
  if (![201, 202, 409].includes(r.status)) throw new Error(`user ${login}: ${r.status}`);
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function localDb(): PouchDB.Database {
  const db = new PouchDB(`catalog_test_${Math.random().toString(36).slice(2, 8)}`, { adapter: 'indexeddb' });
  cleanup.push(() => db.destroy());
  return db;
}
const remote = (auth: { username: string; password: string }): PouchDB.Database =>
  new PouchDB(`${central.url}/catalog`, { adapter: 'http', auth, skip_setup: true });

describe('the desk’s catalogue with central', () => {
  it('seeds itself with central’s revisions: the first pull brings no conflict', async () => {
    const db = localDb();
    expect(await seedCatalogDb(db)).toBe(seedDocs().length);
    expect(await seedCatalogDb(db)).toBe(0);
    await db.replicate.from(remote(admin));
    const state = await readCatalog(db);
    expect(state.conflicts).toEqual([]);
    expect(state.invalid).toEqual([]);
    const calendar = seedDocs().find((d) => d._id === 'calendar:2026')!;
    expect((await db.get('calendar:2026'))._rev).toBe(seedRevision(calendar));
  });

  it('refuses a malformed document before writing, naming the field', async () => {
    const db = localDb();
    const bad = publishCatalogDoc(
      db,
      { login: 'saule', roles: ['catalog_admin'] },
      {
        type: 'calendar',
        data: { year: 2030, holidays: [], transfers: [{ daysOff: ['2030-01-03'], workingDays: [], source: '' }] },
      },
      Date.now(),
    );
    await expect(bad).rejects.toBeInstanceOf(CatalogWriteError);
    await expect(bad).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ['data', 'transfers', 0, 'source'] })],
    });
    // Not a catalogue administrator: the server's own rule, run here first.
    await expect(
      publishCatalogDoc(
        db,
        { login: 'aigerim', roles: ['clerk'] },
        { type: 'calendar', data: { year: 2030, holidays: [], transfers: [] } },
        Date.now(),
      ),
    ).rejects.toMatchObject({ reason: 'catalog.adminOnly' });
    expect((await db.allDocs()).rows).toHaveLength(0);
  });

  it('two administrators edit the same year offline: one winner everywhere, the other listed, kept by choice', async () => {
    await putCatalogAdmin('cat-a', 'secret-a');
    await putCatalogAdmin('cat-b', 'secret-b');
    const year = 2040 + Math.floor(Math.random() * 50);
    const a = localDb();
    const b = localDb();
    const ra = remote({ username: 'cat-a', password: 'secret-a' });
    const rb = remote({ username: 'cat-b', password: 'secret-b' });
    const data = (note: string): YearData => ({ year, holidays: [], transfers: [], note });
    // Both start from the same published year.
    await publishCatalogDoc(
      a,
      { login: 'cat-a', roles: ['catalog_admin'] },
      { type: 'calendar', data: data('first') },
      Date.now(),
    );
    await a.replicate.to(ra);
    await b.replicate.from(rb);
    // Offline, each corrects it.
    await publishCatalogDoc(
      a,
      { login: 'cat-a', roles: ['catalog_admin'] },
      { type: 'calendar', data: data('by A') },
      Date.now(),
    );
    await publishCatalogDoc(
      b,
      { login: 'cat-b', roles: ['catalog_admin'] },
      { type: 'calendar', data: data('by B') },
      Date.now(),
    );
    // Back online: push and pull both ways.
    await a.replicate.to(ra);
    await b.replicate.to(rb);
    await a.replicate.from(ra);
    await b.replicate.from(rb);
    const id = `calendar:${year}`;
    const [sa, sb] = await Promise.all([readCatalog(a), readCatalog(b)]);
    const ca = sa.conflicts.find((c) => c.id === id);
    const cb = sb.conflicts.find((c) => c.id === id);
    // The same winner on both desks, and the same loser listed.
    expect(ca).toBeDefined();
    expect(ca).toEqual(cb);
    const winner = (sa.calendar.years[year] as YearData).note;
    expect(sb.calendar.years[year]?.note).toBe(winner);
    const loser = (await catalogRevision(a, id, ca!.losers[0]!)) as { data: YearData; updated: { by: string } };
    expect([winner, loser.data.note].sort()).toEqual(['by A', 'by B']);

    // The administrator keeps the losing side: published again over the winner, the other deleted.
    await resolveCatalogConflict(a, { login: 'cat-a', roles: ['catalog_admin'] }, id, ca!.losers[0]!, Date.now());
    await a.replicate.to(ra);
    await b.replicate.from(rb);
    for (const db of [a, b]) {
      const s = await readCatalog(db);
      expect(s.conflicts.find((c) => c.id === id)).toBeUndefined();
      expect(s.calendar.years[year]?.note).toBe(loser.data.note);
    }
  });
});
