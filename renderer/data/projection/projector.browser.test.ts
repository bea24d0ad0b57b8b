import { DEFAULT_CALENDAR } from '@shared/calendar';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { PouchDB } from '../store/pouch';
import { docsInRanges, type RangeReader } from '../store/docsInRanges';
import { Projector, type ProjectFn, type ProjectorOptions, type StoredEvent } from './projector';
import { throwawayDeskKeys, type DeskKeys } from '../seal/deskKeys';
import { inlineProjection, type ProjectionRunner } from './projectionHost';
import { journalKey, openReadModel, type ReadModel } from '../store/readModel';
import { dropApplications } from './projectBatch';
import { openedModelDump } from '../seal/sealedRows';

// A stand-in fold: the real one is the workflow engine. Deterministic in the events' order.
const project: ProjectFn = (appId, events, now) => {
  const sorted = [...events].sort((a, b) =>
    a.hlc === b.hlc ? a.device.localeCompare(b.device) : a.hlc < b.hlc ? -1 : 1,
  );
  const last = sorted[sorted.length - 1];
  return {
    application: {
      appId,
      office: 'ALM01',
      regNumber: `ALM01-D01-${appId}`,
      serviceId: 's',
      serviceVersion: '1',
      variantId: 'v',
      channel: null,
      status: last?.kind ?? 'none',
      stepId: null,
      stepKind: null,
      role: null,
      assignee: null,
      stepDueAt: null,
      dueAt: null,
      overdue: 0,
      atRisk: 0,
      applicantId: null,
      applicantName: '',
      searchText: [],
      registeredAt: null,
      updatedAt: now,
      eventCount: sorted.length,
      outcome: null,
      closedAt: null,
      superseded: 0,
    },
    applicant: null,
    journal: sorted
      .filter((e) => e.kind === 'registered')
      .map((e) => ({
        id: e._id,
        appId,
        journal: 'registration' as const,
        at: 0,
        regNumber: null,
        number: null,
        data: {},
      })),
  };
};

let n = 0;
const ev = (appId: string, kind: string, device = 'D1'): StoredEvent => {
  n++;
  const hlc = String(n).padStart(12, '0');
  return { _id: `evt:${appId}:${hlc}:${device}`, appId, kind, hlc, device };
};

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(
  opts: ProjectorOptions = {},
): Promise<{ db: PouchDB.Database; model: ReadModel; projector: Projector; keys: DeskKeys }> {
  const name = `proj_${Math.random().toString(36).slice(2, 8)}`;
  const db = new PouchDB(name, { adapter: 'indexeddb' });
  const model = openReadModel(name);
  const keys = await throwawayDeskKeys();
  const projector = new Projector(db, model, project, keys, () => 1000, opts);
  cleanup.push(async () => {
    projector.stop();
    model.close();
    await Dexie.delete(model.name);
    await db.destroy();
  });
  return { db, model, projector, keys };
}

describe('projector (PouchDB changes → Dexie read model, in Chromium)', () => {
  it('projects appended events and keeps a checkpoint', async () => {
    const { db, model, projector } = await setup();
    await db.bulkDocs([ev('A1', 'registered'), ev('A1', 'resolution'), ev('A2', 'registered')]);
    await projector.catchUp();
    expect(await model.applications.get('A1')).toMatchObject({ status: 'resolution', eventCount: 2 });
    expect(await model.applications.get('A2')).toMatchObject({ status: 'registered', eventCount: 1 });
    expect(await model.journal.count()).toBe(2);
    await db.put(ev('A2', 'signed'));
    await projector.catchUp();
    expect(await model.applications.get('A2')).toMatchObject({ status: 'signed', eventCount: 2 });
  });

  it('replaying from zero yields an identical read model, with progress', async () => {
    // Small pages: the rebuild's scan cuts pages where an application starts (each has 8 events here).
    const { db, model, projector, keys } = await setup({ changesPage: 250, scanPage: 300 });
    const docs = Array.from({ length: 1200 }, (_, i) => ev(`B${i % 150}`, i % 7 === 0 ? 'registered' : 'note_added'));
    await db.bulkDocs(docs);
    await projector.catchUp();
    const before = await openedModelDump(model, keys);
    const progress: number[] = [];
    await projector.rebuild((p) => progress.push(p.processed));
    expect(await openedModelDump(model, keys)).toEqual(before);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress[progress.length - 1]).toBe(1200);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it('a rebuild cut part-way resumes where its scan had got to, and ends with the same model', async () => {
    const { db, model, projector, keys } = await setup({ scanPage: 300 });
    const docs = Array.from({ length: 1200 }, (_, i) => ev(`R${i % 150}`, i % 7 === 0 ? 'registered' : 'note_added'));
    await db.bulkDocs(docs);
    await projector.catchUp();
    const whole = await openedModelDump(model, keys);
    await model.transaction('rw', [model.applications, model.applicants, model.journal, model.meta], () =>
      Promise.all([model.applications.clear(), model.journal.clear(), model.meta.clear()]),
    );
    // The desk closes (or the window reloads) after two batches of the scan.
    const real = inlineProjection(model, project, keys, (r) => docsInRanges(db, r));
    let batches = 0;
    const cut: ProjectionRunner = {
      where: 'inline',
      applyChanged: (b) => real.applyChanged(b),
      apply: async (b) => {
        if (++batches > 2) throw new Error('closed');
        await real.apply(b);
      },
      setProject: (p, source) => real.setProject(p, source),
      drop: (appIds) => real.drop(appIds),
      close: () => undefined,
    };
    await expect(
      new Projector(db, model, project, keys, () => 1000, { runner: cut, scanPage: 300 }).catchUp(),
    ).rejects.toThrow('closed');
    const partial = await model.applications.count();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(150);

    const seen: string[] = [];
    const counting: ProjectionRunner = {
      where: 'inline',
      applyChanged: (b) => real.applyChanged(b),
      apply: async (b) => {
        seen.push(...b.apps.map((a) => a.appId));
        await real.apply(b);
      },
      setProject: (p, source) => real.setProject(p, source),
      drop: (appIds) => real.drop(appIds),
      close: () => undefined,
    };
    await new Projector(db, model, project, keys, () => 1000, { runner: counting, scanPage: 300 }).catchUp();
    expect(await openedModelDump(model, keys)).toEqual(whole);
    // Resumed after the last application written, not from the start.
    expect(seen.length).toBe(150 - partial);
  });

  it('fills an emptied model without reading it first, but a refold still removes rows its fold no longer gives', async () => {
    // A fold after a new catalogue: the same applications, no journal rows any more.
    const noJournal: ProjectFn = (appId, events, now) => ({ ...project(appId, events, now), journal: [] });
    const { db, model, keys } = await setup();
    await db.bulkDocs(Array.from({ length: 600 }, (_, i) => ev(`F${i % 60}`, i < 60 ? 'registered' : 'note_added')));
    const real = inlineProjection(model, project, keys, (r) => docsInRanges(db, r));
    const fresh: (boolean | undefined)[] = [];
    const recording = (limit = Infinity): ProjectionRunner => {
      let batches = 0;
      return {
        where: 'inline',
        applyChanged: (b) => real.applyChanged(b),
        apply: async (b) => {
          if (b.apps.length > 0) {
            if (++batches > limit) throw new Error('closed');
            fresh.push(b.scan?.fresh);
          }
          await real.apply(b);
        },
        setProject: (p, source) => real.setProject(p, source),
        drop: (appIds) => real.drop(appIds),
        close: () => undefined,
      };
    };
    const source = { services: [], calendar: DEFAULT_CALENDAR };
    const projector = new Projector(db, model, project, keys, () => 1000, { runner: recording(), scanPage: 100 });
    await projector.catchUp();
    expect(await model.journal.count()).toBe(60);
    expect(fresh.length).toBeGreaterThan(1);
    expect(fresh.every((f) => f === true)).toBe(true);

    // The refold keeps the rows it replaces: its batches are not fresh, and the journal rows go.
    fresh.length = 0;
    projector.setProject(noJournal, source, true);
    await new Promise((r) => setTimeout(r, 0));
    await projector.catchUp();
    expect(fresh.length).toBeGreaterThan(1);
    expect(fresh.some((f) => f === true)).toBe(false);
    expect(await model.journal.count()).toBe(0);

    // A refold cut part-way and resumed after a reload is still a refold over kept rows.
    projector.setProject(project, source, true);
    await new Promise((r) => setTimeout(r, 0));
    await projector.catchUp();
    expect(await model.journal.count()).toBe(60);
    const cut = new Projector(db, model, project, keys, () => 1000, { runner: recording(1), scanPage: 100 });
    cut.setProject(noJournal, source, true);
    await new Promise((r) => setTimeout(r, 0));
    await expect(cut.catchUp()).rejects.toThrow('closed');
    expect(await model.journal.count()).toBeGreaterThan(0);
    await real.setProject(noJournal, source);
    fresh.length = 0;
    await new Projector(db, model, noJournal, keys, () => 1000, { runner: recording(), scanPage: 100 }).catchUp();
    expect(fresh.some((f) => f === true)).toBe(false);
    expect(await model.journal.count()).toBe(0);
  });

  it('a catch-up page of many applications, new and known, ends as the same model as one page each', async () => {
    // Named applications (search tokens); a withdrawn one has no journal row and another name.
    const named: ProjectFn = (appId, events, now) => {
      const p = project(appId, events, now);
      const withdrawn = events.some((e) => e.kind === 'withdrawn');
      return {
        ...p,
        application: p.application && {
          ...p.application,
          searchText: [withdrawn ? `Отозвано ${appId}` : `Қайрат ${appId}`],
        },
        journal: withdrawn ? [] : p.journal,
      };
    };
    const { db, keys } = await setup();
    const models = [openReadModel(`${db.name}_a`), openReadModel(`${db.name}_b`)] as const;
    cleanup.push(async () => {
      for (const m of models) {
        m.close();
        await Dexie.delete(m.name);
      }
    });
    // One page of all the changes (a batch of 80 applications asks which have rows), or one each.
    const [large, single] = [
      new Projector(db, models[0], named, keys, () => 1000, { changesPage: 1000 }),
      new Projector(db, models[1], named, keys, () => 1000, { changesPage: 1 }),
    ];
    await db.bulkDocs(Array.from({ length: 40 }, (_, i) => ev(`K${i}`, 'registered')));
    await Promise.all([large.catchUp(), single.catchUp()]);
    expect(await models[0].journal.count()).toBe(40);
    // Known applications withdrawn (their journal rows go, their tokens change), new ones registered.
    await db.bulkDocs([
      ...Array.from({ length: 40 }, (_, i) => ev(`K${i}`, 'withdrawn')),
      ...Array.from({ length: 40 }, (_, i) => ev(`N${i}`, 'registered')),
    ]);
    await large.catchUp();
    await single.catchUp();
    const dump = await openedModelDump(models[0], keys);
    expect(dump).toEqual(await openedModelDump(models[1], keys));
    expect(dump.applications).toHaveLength(80);
    expect(dump.journal.map((j) => j.appId).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `N${i}`).sort());
    const tokensOf = (appId: string): string[] => dump.search.find((r) => r.appId === appId)?.tokens ?? [];
    expect(tokensOf('K7')).not.toEqual(tokensOf('N7'));
    expect(tokensOf('K7')).toHaveLength(tokensOf('N7').length);
  });

  it('keys journal rows by their event id without its digest: a refold and a purge still remove them', async () => {
    const withDigest = (e: StoredEvent, i: number): StoredEvent => ({
      ...e,
      _id: `${e._id}:${i.toString(16).padStart(64, 'c')}`,
    });
    const { db, model, projector } = await setup();
    const docs = Array.from({ length: 40 }, (_, i) =>
      withDigest(ev(`J${i % 20}`, i < 20 ? 'registered' : 'note_added'), i),
    );
    await db.bulkDocs(docs);
    await projector.catchUp();
    const keysOf = async (): Promise<string[]> => (await model.journal.toCollection().primaryKeys()).map(String);
    const registered = docs.slice(0, 20).map((d) => d._id);
    expect(await keysOf()).toEqual(registered.map((id) => id.slice(0, -65)).sort());
    expect(journalKey('evt:A1:000000000000001-0000:D1')).toBe('evt:A1:000000000000001-0000:D1');

    // An append through the changes refolds its application: its row is put again, not deleted.
    await db.put(withDigest(ev('J0', 'note_added'), 99));
    await projector.catchUp();
    expect(await model.journal.count()).toBe(20);

    // A refold whose fold gives no journal: the rows are found by their events' keys and go.
    const noJournal: ProjectFn = (appId, events, now) => ({ ...project(appId, events, now), journal: [] });
    projector.setProject(noJournal, { services: [], calendar: DEFAULT_CALENDAR }, true);
    await new Promise((r) => setTimeout(r, 0));
    await projector.catchUp();
    expect(await model.journal.count()).toBe(0);

    // And back; a purged application's rows go by its range of ids.
    projector.setProject(project, { services: [], calendar: DEFAULT_CALENDAR }, true);
    await new Promise((r) => setTimeout(r, 0));
    await projector.catchUp();
    expect(await model.journal.count()).toBe(20);
    await dropApplications(model, ['J3', 'J4']);
    expect(await keysOf()).not.toContain(registered[3]?.slice(0, -65));
    expect(await model.journal.count()).toBe(18);
  });

  it('events that arrive by replication take the same path as local ones', async () => {
    const { db, model, projector } = await setup();
    projector.start();
    const other = new PouchDB(`other_${Math.random().toString(36).slice(2, 8)}`, { adapter: 'indexeddb' });
    cleanup.push(() => other.destroy());
    await other.bulkDocs([ev('C1', 'registered', 'D2'), ev('C1', 'resolution', 'D2')]);
    await db.replicate.from(other);
    await db.put(ev('C1', 'executor_assigned', 'D1'));
    const deadline = Date.now() + 5000;
    while ((await model.applications.get('C1'))?.eventCount !== 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(await model.applications.get('C1')).toMatchObject({ status: 'executor_assigned', eventCount: 3 });
  });

  it('reads no document it does not project: no live feed, what is written during a pass is read once', async () => {
    const name = `proj_${Math.random().toString(36).slice(2, 8)}`;
    const db = new PouchDB(name, { adapter: 'indexeddb' });
    const model = openReadModel(name);
    const keys = await throwawayDeskKeys();
    // Every changes feed asked of the replica (PouchDB's adapter reads each listed document whole).
    const feeds: PouchDB.Core.ChangesOptions[] = [];
    const changes = db.changes.bind(db);
    db.changes = ((opts?: PouchDB.Core.ChangesOptions) => {
      feeds.push(opts ?? {});
      return changes(opts);
    }) as typeof db.changes;
    // The first batch waits until released: a pass is running while the writes go on.
    const inline = inlineProjection(model, project, keys, (r) => docsInRanges(db, r));
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    let batches = 0;
    const gate = async (apps: number): Promise<void> => {
      if (apps > 0 && batches++ === 0) await held;
    };
    const gated: ProjectionRunner = {
      ...inline,
      apply: async (b) => {
        await gate(b.apps.length);
        return inline.apply(b);
      },
      applyChanged: async (b) => {
        await gate(b.appIds.length);
        return inline.applyChanged(b);
      },
    };
    const projector = new Projector(db, model, project, keys, () => 1000, { runner: gated });
    cleanup.push(async () => {
      projector.stop();
      model.close();
      await Dexie.delete(model.name);
      await db.destroy();
    });
    await db.put(ev('G0', 'registered'));
    projector.start();
    await expect.poll(() => batches).toBe(1);
    for (let i = 1; i <= 20; i++) await db.put(ev(`G${i}`, 'registered'));
    release();
    await expect
      .poll(async () => (await model.meta.get('checkpoint'))?.value, { timeout: 10_000 })
      .toBe((await db.info()).update_seq);
    expect(await model.applications.count()).toBe(21);
    // Two batches for the 21 applications: the 20 written during the first pass come in one more.
    expect(batches).toBe(2);
    // Written when no pass runs: its write asks for one.
    await db.bulkDocs([ev('G21', 'registered'), ev('G21', 'resolution')]);
    await expect.poll(async () => (await model.applications.get('G21'))?.eventCount, { timeout: 10_000 }).toBe(2);
    expect(feeds).toEqual([]);
  });

  it('reads the next page of changes’ events while it writes this one, and each page once', async () => {
    const { db, model, keys } = await setup();
    const log: string[] = [];
    const read: RangeReader = (ranges) => {
      log.push(`read ${ranges.map((r) => r.startkey.split(':')[1]).join(',')}`);
      return docsInRanges(db, ranges);
    };
    const inline = inlineProjection(model, project, keys, read);
    const runner: ProjectionRunner = {
      ...inline,
      applyChanged: async (b) => {
        const left = await inline.applyChanged(b);
        log.push(`wrote ${b.appIds.join(',')}`);
        return left;
      },
    };
    const projector = new Projector(db, model, project, keys, () => 1000, { runner, changesPage: 2 });
    // An emptied model is scanned first: its checkpoint, then the changes by pages of two.
    await projector.catchUp();
    for (const appId of ['K1', 'K2', 'K3', 'K4', 'K5']) await db.put(ev(appId, 'registered'));
    await projector.catchUp();
    expect(log).toEqual(['read K1,K2', 'read K3,K4', 'wrote K1,K2', 'read K5', 'wrote K3,K4', 'wrote K5']);
    expect(await model.applications.count()).toBe(5);
  });

  it('an append followed by its writer’s catch-up takes one pass, not a second, empty one', async () => {
    const { db, model, projector } = await setup();
    projector.start();
    await db.put(ev('P1', 'registered'));
    await projector.catchUp();
    // A pass reads its changes' ids, then their applications, each in a read-only transaction of
    // the adapter's own (store/changedIds.ts, store/docsInRanges.ts); its writes take read-write
    // ones. A second, empty pass would read the ids once more.
    const own = db as unknown as { _openTransactionSafely: (...a: unknown[]) => void };
    const open = own._openTransactionSafely.bind(db);
    let reads = 0;
    own._openTransactionSafely = (...a: unknown[]) => {
      if (a[1] === 'readonly') reads++;
      open(...a);
    };
    await db.put(ev('P1', 'resolution'));
    await projector.catchUp();
    expect(await model.applications.get('P1')).toMatchObject({ eventCount: 2 });
    await projector.settle();
    expect(reads).toBe(2);
  });

  it("projects another window's writes to the same replica (told on a channel, not read by a feed)", async () => {
    const { db, model, projector } = await setup();
    projector.start();
    await projector.catchUp();
    // Another window: its own PouchDB instance on the same IndexedDB database, its own projector.
    const other = new PouchDB(db.name, { adapter: 'indexeddb' });
    const otherModel = openReadModel(`${db.name}_other`);
    const keys = await throwawayDeskKeys();
    const otherProjector = new Projector(other, otherModel, project, keys, () => 1000);
    otherProjector.start();
    cleanup.push(async () => {
      otherProjector.stop();
      otherModel.close();
      await Dexie.delete(otherModel.name);
      await other.close();
    });
    await other.put(ev('W1', 'registered'));
    await expect.poll(async () => (await model.applications.get('W1'))?.eventCount, { timeout: 10_000 }).toBe(1);
  });

  it('follows the feed alone: what is written while a pass runs, or while the day index is rebuilt, is projected', async () => {
    // Short pages, so that passes end often while writes go on (a pass ends at a short page).
    const { db, model, projector } = await setup({ changesPage: 3 });
    projector.start();
    const written = new Map<string, number>();
    for (let i = 0; i < 15; i++) {
      const appId = `F${i}`;
      // No catchUp: only the feed's announcements bring these in.
      await db.put(ev(appId, 'registered'));
      written.set(appId, 1);
      if (i % 3 === 0) {
        await db.bulkDocs([ev(appId, 'resolution'), ev(appId, 'signed')]);
        written.set(appId, 3);
      }
    }
    await expect
      .poll(
        async () => {
          const rows = await model.applications.bulkGet([...written.keys()]);
          return rows.map((r) => r?.eventCount ?? 0);
        },
        { timeout: 10_000 },
      )
      .toEqual([...written.values()]);
    const last = await db.info();
    await expect.poll(async () => (await model.meta.get('checkpoint'))?.value).toBe(last.update_seq);
  });
});
