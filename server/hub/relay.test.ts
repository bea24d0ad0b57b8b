import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import replication from 'pouchdb-replication';
import { afterAll, describe, expect, it } from 'vitest';
import {
  isPulled,
  PULL_SELECTORS,
  PUSH_BATCH,
  PUSH_SELECTOR,
  pushStart,
  startRelay,
  tolerantInfo,
  withPulled,
} from './relay';
import { HUB_ADAPTER, leveldbAdapter } from './storage';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-hub-relay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const Pouch = PouchDB.plugin(leveldbAdapter).plugin(httpAdapter).plugin(replication);
const open = (name: string): PouchDB.Database => new Pouch(path.join(dir, name), { adapter: HUB_ADAPTER });

describe('what the hub relays', () => {
  it('pushes events and desk-key escrows, pulls those and the staff directory (scans apart); never design or local documents', async () => {
    // The selectors as a replication's changes feed applies them (CouchDB 3's filter=_selector).
    const db = open('selectors');
    const ids = [
      'evt:A:1:D:00',
      'deskkey:D01:00',
      'staff:aigerim',
      '_design/kense',
      '_local/x',
      'org.couchdb.user:x',
      'evtx',
      'deskkeyx',
      'xstaff:y',
    ];
    for (const _id of ids) await db.put(_id.startsWith('evt:') ? { _id, kind: 'registered' } : { _id });
    // Scans: on attachment_added, and on another kind of event (a photo with a note).
    const photo = { 'p.jpg': { content_type: 'image/jpeg', data: Buffer.from('jpeg').toString('base64') } };
    await db.put({ _id: 'evt:A:2:D:00', kind: 'attachment_added', _attachments: photo });
    await db.put({ _id: 'evt:A:3:D:00', kind: 'note_added', _attachments: photo });
    const passing = async (selector: object): Promise<string[]> =>
      (await db.changes({ selector })).results.map((r) => r.id);
    expect(await passing(PUSH_SELECTOR)).toEqual(['evt:A:1:D:00', 'deskkey:D01:00', 'evt:A:2:D:00', 'evt:A:3:D:00']);
    expect(await passing(PULL_SELECTORS.events)).toEqual(['evt:A:1:D:00']);
    expect(await passing(PULL_SELECTORS.scans)).toEqual(['evt:A:2:D:00', 'evt:A:3:D:00']);
    expect(await passing(PULL_SELECTORS.others)).toEqual(['deskkey:D01:00', 'staff:aigerim']);
  });

  it('a failing info() on the source after a batch does not end the process (tolerantInfo)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const source = open('source');
      await source.bulkDocs([{ _id: 'evt:A:1:D' }, { _id: 'evt:A:2:D' }]);
      // Central answers the replication's first info() and then drops, as an uplink does.
      const info = source.info.bind(source);
      let calls = 0;
      source.info = () => (++calls === 1 ? info() : Promise.reject(new Error('socket hang up')));
      const r = await open('target').replicate.from(tolerantInfo(source));
      expect(r.docs_written).toBe(2);
      expect(calls).toBeGreaterThan(1);
      await new Promise((res) => setTimeout(res, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('counts the events waiting once at a time, however often its status is asked', async () => {
    const local = open('waiting');
    await local.bulkDocs(Array.from({ length: 2500 }, (_, i) => ({ _id: `evt:A${i}:1:D`, kind: 'registered' })));
    // Counting reads the changes since the push's checkpoint in pages of 1,000: 3 pages each.
    const changes = local.changes.bind(local);
    let pages = 0;
    local.changes = ((o?: PouchDB.Core.ChangesOptions) => {
      if (o?.limit === 1000) pages++;
      return changes(o);
    }) as typeof local.changes;
    // Central out of reach: nothing goes up, everything waits.
    const away = (): PouchDB.Database =>
      new Pouch('http://127.0.0.1:9/office_alm01', { adapter: 'http', skip_setup: true });
    const relay = startRelay({
      local,
      central: away(),
      probe: away(),
      maxBackoffMs: 60_000,
      log: () => undefined,
      onError: () => undefined,
    });
    try {
      // The starter polls every 150 ms; a status page may ask as often.
      const states = await Promise.all(Array.from({ length: 40 }, () => relay.state()));
      expect(states.every((s) => s.waiting.events === 2500)).toBe(true);
      // One count, and at most one more begun after it: not forty.
      expect(pages).toBeLessThanOrEqual(2 * 3);
    } finally {
      await relay.stop();
    }
  });

  it('counts as waiting only what central lacks, not what the pulls took from it (a hub just seeded)', async () => {
    const central = open('central-seeding');
    await central.bulkDocs(Array.from({ length: 300 }, (_, i) => ({ _id: `evt:C${i}:1:D`, kind: 'registered' })));
    // Scans and the staff directory too: three pulls writing at once.
    const photo = { 'p.jpg': { content_type: 'image/jpeg', data: Buffer.from('jpeg').toString('base64') } };
    await central.bulkDocs([
      ...Array.from({ length: 40 }, (_, i) => ({
        _id: `evt:S${i}:1:D`,
        kind: 'attachment_added',
        _attachments: photo,
      })),
      ...Array.from({ length: 5 }, (_, i) => ({ _id: `staff:u${i}`, login: `u${i}` })),
    ]);
    // The push has not compared anything with central yet (its first batch never ends), as when it
    // is minutes behind a seeding.
    central.revsDiff = () => new Promise(() => undefined);
    const local = open('hub-seeding');
    const relay = startRelay({ local, central, probe: central, log: () => undefined, onError: () => undefined });
    try {
      const deadline = Date.now() + 20_000;
      let waiting = -1;
      while (Date.now() < deadline) {
        const docs = (await local.info()).doc_count;
        waiting = (await relay.state()).waiting.events;
        if (docs === 345 && waiting === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await local.info()).doc_count).toBe(345);
      expect(waiting).toBe(0);
      // A desk's event written to the hub is waiting for central.
      await local.put({ _id: 'evt:DESK:1:D', kind: 'registered' });
      expect((await relay.state()).waiting.events).toBe(1);
    } finally {
      await relay.stop();
    }
  });

  it('a hub restarted after seeding does not walk what the pulls took: its push compares only what desks wrote', async () => {
    const central = open('central-restart');
    await central.bulkDocs(Array.from({ length: 300 }, (_, i) => ({ _id: `evt:R${i}:1:D`, kind: 'registered' })));
    const local = open('hub-restart');
    // A pull's write counts in the database before its range is told (a look at the changes feed
    // after it): slowed here, so that the hub stops in between, as a quit may.
    let slow = true;
    const changes = local.changes.bind(local);
    local.changes = ((o?: PouchDB.Core.ChangesOptions) =>
      slow && typeof o?.limit === 'number' && o.limit < 1000 && !o.live
        ? new Promise((r) => setTimeout(r, 300)).then(() => changes(o))
        : changes(o)) as typeof local.changes;
    // Seeding, the push held at its first comparison (minutes behind the pulls), then the hub stops.
    const revsDiff = central.revsDiff.bind(central);
    central.revsDiff = () => new Promise(() => undefined);
    const seeding = startRelay({ local, central, probe: central, log: () => undefined, onError: () => undefined });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await local.info()).doc_count < 300) await new Promise((r) => setTimeout(r, 50));
    expect((await local.info()).doc_count).toBe(300);
    await seeding.stop();
    slow = false;
    // Started again, central answering: what its push asks central about.
    const asked: string[] = [];
    central.revsDiff = (diff: Record<string, string[]>) => {
      asked.push(...Object.keys(diff));
      return revsDiff(diff);
    };
    const relay = startRelay({ local, central, probe: central, log: () => undefined, onError: () => undefined });
    try {
      await local.put({ _id: 'evt:DESK:1:D', kind: 'registered' });
      while (Date.now() < deadline + 20_000 && !(await central.get('evt:DESK:1:D').catch(() => null)))
        await new Promise((r) => setTimeout(r, 50));
      expect(await central.get('evt:DESK:1:D')).toMatchObject({ kind: 'registered' });
      // Nothing waits once the push's checkpoint past it is written (it follows the write on central).
      let waiting = (await relay.state()).waiting.events;
      while (Date.now() < deadline + 20_000 && waiting !== 0) {
        await new Promise((r) => setTimeout(r, 50));
        waiting = (await relay.state()).waiting.events;
      }
      expect(waiting).toBe(0);
      expect(asked).toEqual(['evt:DESK:1:D']);
    } finally {
      await relay.stop();
    }
  });

  it('starts the push past the pulled range its checkpoint lies in, and nowhere else', () => {
    const pulled = [
      [2, 40],
      [45, 90],
    ] as const;
    expect(pushStart(0, pulled)).toBeUndefined();
    expect(pushStart(2, pulled)).toBe(40);
    expect(pushStart(17, pulled)).toBe(40);
    expect(pushStart(40, pulled)).toBeUndefined();
    expect(pushStart(44, pulled)).toBeUndefined();
    expect(pushStart(45, pulled)).toBe(90);
    expect(pushStart(90, pulled)).toBeUndefined();
    expect(pushStart('3-g1AAAA', pulled)).toBeUndefined();
  });

  it("holds every leg's listeners on the office database, here and on central, without Node's leak warning", async () => {
    const central = open('central-listeners');
    await central.bulkDocs(Array.from({ length: 400 }, (_, i) => ({ _id: `evt:L${i}:1:D`, kind: 'registered' })));
    const photo = { 'p.jpg': { content_type: 'image/jpeg', data: Buffer.from('jpeg').toString('base64') } };
    await central.bulkDocs([
      ...Array.from({ length: 40 }, (_, i) => ({
        _id: `evt:M${i}:1:D`,
        kind: 'attachment_added',
        _attachments: photo,
      })),
      ...Array.from({ length: 5 }, (_, i) => ({ _id: `staff:v${i}`, login: `v${i}` })),
    ]);
    const local = open('hub-listeners');
    // Desks' events for the push, written while the pulls write.
    const desks = local.bulkDocs(Array.from({ length: 200 }, (_, i) => ({ _id: `evt:K${i}:1:D`, kind: 'registered' })));
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    let peak = 0;
    const sampler = setInterval(
      () => (peak = Math.max(peak, local.listenerCount('destroyed'), central.listenerCount('destroyed'))),
      2,
    );
    const relay = startRelay({ local, central, probe: central, log: () => undefined, onError: () => undefined });
    try {
      await desks;
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        // The status asked meanwhile, as the desks' and the IT person's screens do.
        const waiting = (await relay.state()).waiting.events;
        if ((await local.info()).doc_count >= 645 && waiting === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((await local.info()).doc_count).toBeGreaterThanOrEqual(645);
    } finally {
      clearInterval(sampler);
      await relay.stop();
      // Node reports the warning on the next tick.
      await new Promise((r) => setImmediate(r));
      process.off('warning', onWarning);
    }
    // Every leg was at work at once (10–11 seen here, over Node's default limit), within half the
    // limit set, on either side.
    expect(peak).toBeGreaterThanOrEqual(8);
    expect(peak).toBeLessThanOrEqual(Math.min(local.getMaxListeners(), central.getMaxListeners()) / 2);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  it('says central is out of reach once, and never reached, while desks write and central does not answer', async () => {
    const local = open('hub-unreached');
    // Nothing listens there: every request is refused at once.
    const central = new Pouch('http://127.0.0.1:9/office_alm01', { skip_setup: true });
    const logs: string[] = [];
    const relay = startRelay({
      local,
      central,
      probe: central,
      maxBackoffMs: 100,
      log: (l) => logs.push(l),
      onError: () => undefined,
    });
    const seen = new Set<boolean | null>();
    try {
      // Each desk write starts a push pass; each pass fails.
      for (let i = 0; i < 20; i++) {
        await local.put({ _id: `evt:U${i}:1:D`, kind: 'registered' });
        seen.add((await relay.state()).reached);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await relay.stop();
    }
    expect(seen.has(true)).toBe(false);
    expect(logs.filter((l) => l.startsWith('central is out of reach'))).toHaveLength(1);
    expect(logs.filter((l) => l === 'central is reached')).toEqual([]);
  });

  it('keeps the pulled ranges merged and finds a sequence in them', () => {
    let r = withPulled([], 10, 20);
    r = withPulled(r, 20, 25);
    r = withPulled(r, 30, 40);
    r = withPulled(r, 0, 5);
    expect(r).toEqual([
      [0, 5],
      [10, 25],
      [30, 40],
    ]);
    expect([0, 1, 5, 6, 10, 11, 25, 26, 30, 31, 40, 41].filter((s) => isPulled(r, s))).toEqual([1, 5, 11, 25, 31, 40]);
    expect(withPulled(r, 3, 12)).toEqual([
      [0, 25],
      [30, 40],
    ]);
  });

  it('a push held by central reads one batch, however much is written meanwhile (nothing queued in memory)', async () => {
    const central = open('central-flood');
    const local = open('hub-flood');
    // What the hub's changes feed hands the push (the only reader that filters by a selector).
    let handed = 0;
    const changes = local.changes.bind(local);
    local.changes = ((o?: PouchDB.Core.ChangesOptions & { selector?: object }) => {
      const feed = changes(o);
      if (o?.selector) void feed.on('change', () => handed++);
      return feed;
    }) as typeof local.changes;
    let paused: () => void = () => undefined;
    const relay = startRelay({ local, central, probe: central, log: () => undefined, onError: () => undefined });
    try {
      await local.put({ _id: 'evt:A:1:D', kind: 'registered' });
      // Central has it: the push has caught up.
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && !(await central.get('evt:A:1:D').catch(() => null)))
        await new Promise((r) => setTimeout(r, 50));
      // Now central stops answering the push's comparisons (a slow uplink), and the pulls write a lot.
      central.revsDiff = () => {
        paused();
        return new Promise(() => undefined);
      };
      const held = new Promise<void>((r) => (paused = r));
      await local.put({ _id: 'evt:A:2:D', kind: 'registered' });
      await held;
      handed = 0;
      // Seen by a feed of our own: the push's, had it one, would have seen them as well.
      let seen = 0;
      const all = new Promise<void>((resolve) => {
        const feed = changes({ since: 'now', live: true }).on('change', () => {
          if (++seen < 2000) return;
          feed.cancel();
          resolve();
        });
      });
      for (let k = 0; k < 4; k++)
        await local.bulkDocs(
          Array.from({ length: 500 }, (_, i) => ({ _id: `evt:B${k}-${i}:1:D`, kind: 'registered' })),
        );
      await all;
      expect(handed).toBeLessThanOrEqual(PUSH_BATCH);
    } finally {
      await relay.stop();
    }
  });
});
