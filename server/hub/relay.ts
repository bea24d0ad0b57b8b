/**
 * The office hub's relay with central, decided per kind of document an office database holds
 * (shared/couch/validateDocUpdate.ts):
 * - events (`evt:`, with their attachments): both ways, the office's record;
 * - desk-key escrows (`deskkey:<DESK>:<digest>`, renderer/data/account/deskUnlock.ts): both ways.
 *   A desk escrows its key on the server it signs in against, the hub while the uplink is down;
 *   central must get it (a new desk, or a new hub after the hub computer dies, unlocks from there),
 *   and a desk new to the office that signs in at the hub needs the escrows written at central;
 * - the staff directory (`staff:<login>`, shared/staff): down only. The central service writes it
 *   as the server admin; the hub's account may not (central would refuse every one);
 * - design documents and `_local` state: never (each side has its own; `_local` never replicates).
 * Nothing else lives there. Central's `catalog` database is not relayed: desks pull it from central
 * directly (renderer/data/catalog/CatalogController.tsx) and keep their copy while central is away.
 *
 * Both legs are filtered with a Mango `selector` in the replication. CouchDB 3 evaluates it in its
 * `_changes` feed (`filter=_selector`) when central is the source (the pull), and PouchDB does the
 * same in-process when the hub is the source (the push), so the hub's own design document never
 * reaches central (it used to, on every replication, and central refused it each time), and
 * central's design documents never overwrite the hub's.
 */
import { MAX_BACKOFF_MS, nextBackoff } from '../../shared/couch/backoff';
import type { HubHealthError } from '../../shared/hub/health';
import { onePassReplication } from './onePass';

/** What the hub sends to central: events (with their attachments) and desk-key escrows. */
export const PUSH_SELECTOR = { _id: { $regex: '^(evt|deskkey):' } };
/**
 * What the hub takes from central, in three pulls: events, scans (events carrying attachments, up
 * to a few MB each) a few at a time as a desk pulls them, and the desk-key escrows with the office's
 * staff directory. In batches of a hundred, ten ahead (PouchDB's defaults), a new hub seeding
 * itself held hundreds of MB of scans at once. Scans are told by `_attachments`, as the desks'
 * pulls tell them (renderer/data/sync/sync.ts WITH_SCANS: CouchDB 3 matches the document with its
 * attachment stubs, and `$exists: false` on a missing field): a scan may ride on any kind of event.
 * Three selectors rather than one with `$or`: the dev central (PouchDB 7) fails on `$regex` inside
 * `$or`.
 */
export const PULL_SELECTORS = {
  events: { _id: { $regex: '^evt:' }, _attachments: { $exists: false } },
  scans: { _id: { $regex: '^evt:' }, _attachments: { $exists: true } },
  others: { _id: { $regex: '^(deskkey|staff):' } },
} as const;
/** Scans per batch of their pull (each under CouchDB's 8 MB a document). */
export const SCAN_BATCH = 4;
/**
 * The push's batches: one at a time, of few documents, because scans go up in them too (one leg,
 * so that its checkpoint says how far central has everything). After a long cut a hub may hold
 * hundreds of scans for central.
 */
export const PUSH_BATCH = 25;
/**
 * The relay's hold on its handles of the office database, here and on central, in listeners: every
 * replication keeps one on its source and target, every changes feed one on its database, while
 * they run. Here: the push's watch and pass (2–4: a pass may begin before the last has let go), the
 * three pulls (3), the pulled-range check and the waiting count (2–3), PouchDB's own (1); on
 * central: the three pulls and their feeds (6), the push (1), PouchDB's own (1). 8–11 each, over
 * Node's default of 10, which then warns of a leak that is none (seen seeding 100,000
 * applications). Twice the most: a real leak still shows.
 */
export const RELAY_LISTENERS = 24;
const EVENT_PREFIX = 'evt:';
/** How long the status waits for a fresh count of the events waiting before it answers the last one. */
export const STATUS_WAIT_MS = 1000;

/** The hub's own record of how far central has confirmed its events (never replicated). */
const RELAY_DOC = '_local/kense-hub-relay';
interface RelayRecord {
  _id: string;
  _rev?: string;
  /** The hub's update sequence up to which central has every event the hub had. */
  pushedSeq: number | string;
  /** When the first of the events still waiting came to be waiting (null: none waits). */
  waitingSince: number | null;
  /** How many were waiting at the last count: what the status says until the next count ends. */
  waiting?: number;
  /** Past `pushedSeq`: the ranges the pulls wrote (see `PulledRanges`). */
  pulled?: PulledRanges;
}

export interface RelayOptions {
  local: PouchDB.Database;
  /** The office database on central, as the hub's account. */
  central: PouchDB.Database;
  /** A second handle on central for probes (the replications' own may be mid-request). */
  probe: PouchDB.Database;
  maxBackoffMs?: number;
  batchSize?: number;
  log: (line: string) => void;
  onError: (code: HubHealthError) => void;
  now?: () => number;
}

export interface RelayState {
  reached: boolean | null;
  lastReachedAt: number | null;
  waiting: { events: number; since: number | null };
  /** Documents central refused (kept on the hub and the desks). */
  refused: number;
}

export interface Relay {
  state: () => Promise<RelayState>;
  stop: () => Promise<void>;
}

const statusOf = (e: unknown): number | undefined => {
  const s = (e as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : undefined;
};

/**
 * Update-sequence ranges `(from, to]` of the hub's database that hold only what the pulls took from
 * central, in order and merged. Central has those, so they are not counted as waiting for it
 * while the push has yet to walk past them: after a hub is seeded that is the whole office, which
 * the push compares with central 25 documents a batch, minutes at 100,000 applications.
 */
export type PulledRanges = readonly (readonly [number, number])[];

/** `ranges` with `(from, to]` added, merged with any it touches. */
export function withPulled(ranges: PulledRanges, from: number, to: number): PulledRanges {
  if (to <= from) return ranges;
  const out: [number, number][] = [];
  for (const [a, b] of [...ranges, [from, to] as const].sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Whether `seq` lies in one of the ranges (binary search: a busy office may leave many). */
export function isPulled(ranges: PulledRanges, seq: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid] ?? [0, 0];
    if (seq <= a) hi = mid - 1;
    else if (seq > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The ranges still ahead of the push once it has passed `seq` (those behind it are no longer needed). */
const aheadOf = (ranges: PulledRanges, seq: number): PulledRanges => ranges.filter(([, b]) => b > seq);

/**
 * Where the push's next pass may start instead of its checkpoint: the end of the pulled range the
 * checkpoint lies in, when everything after it up to there is what the pulls took from central.
 * A hub seeded from central holds the whole office in one such range; the push would otherwise
 * walk it, comparing every document with central 25 at a time (at 100,000 applications, tens of
 * minutes of the hub's work and its LevelDB tables read into memory while desks download from it).
 */
export function pushStart(pushedSeq: number | string, pulled: PulledRanges): number | undefined {
  if (typeof pushedSeq !== 'number') return undefined;
  // Merged ranges never touch: the one holding the checkpoint ends where the pulls' writes end.
  for (const [a, b] of pulled) if (a <= pushedSeq && pushedSeq < b) return b;
  return undefined;
}

/**
 * The pulls' handle on the hub's database: after each write, the sequence range it took, when the
 * changes feed shows that range holding exactly the written documents at their revisions. A desk's
 * write landing amid it, a revision already here, a document written again since: no range (its
 * events are then counted as waiting until the push passes them, as before). `settled` resolves once
 * the writes begun so far, and their ranges, are done (a pull's write counts in the database before
 * its range is told).
 */
export function recordingPulls(
  local: PouchDB.Database,
  onRange: (from: number, to: number) => void,
): { db: PouchDB.Database; settled: () => Promise<unknown> } {
  const handle = Object.create(local) as PouchDB.Database;
  const write = async (docs: unknown, options?: unknown): Promise<unknown> => {
    const before = (await local.info()).update_seq;
    const res = await (local.bulkDocs as (d: unknown, o?: unknown) => Promise<unknown>)(docs, options);
    const list = (Array.isArray(docs) ? docs : ((docs as { docs?: unknown[] }).docs ?? [])) as {
      _id?: string;
      _rev?: string;
    }[];
    if (typeof before === 'number' && list.length > 0) {
      const written = new Set(list.map((d) => `${String(d._id)}@${String(d._rev)}`));
      const page = await local.changes({ since: before, limit: written.size }).catch(() => null);
      const ours = page?.results.every((r) => r.changes.some((c) => written.has(`${r.id}@${c.rev}`)));
      if (page && ours && page.results.length === written.size && typeof page.last_seq === 'number')
        onRange(before, page.last_seq);
    }
    return res;
  };
  // The pulls' writes one at a time (LevelDB takes them one at a time anyway): one pull's write
  // landing amid another's would leave both without a range.
  let queue: Promise<unknown> = Promise.resolve();
  const bulkDocs = (docs: unknown, options?: unknown): Promise<unknown> => {
    const run = queue.then(() => write(docs, options));
    queue = run.catch(() => undefined);
    return run;
  };
  handle.bulkDocs = bulkDocs as typeof local.bulkDocs;
  return { db: handle, settled: () => queue };
}

/** Counts the events written to `db` after `since` (what central has not confirmed yet), those pulled from it aside. */
async function eventsSince(db: PouchDB.Database, since: number | string, pulled: PulledRanges): Promise<number> {
  let n = 0;
  let from = since;
  for (;;) {
    const page = await db.changes({ since: from, limit: 1000 });
    for (const r of page.results)
      if (r.id.startsWith(EVENT_PREFIX) && !r.deleted && !(typeof r.seq === 'number' && isPulled(pulled, r.seq))) n++;
    if (page.results.length < 1000) return n;
    from = page.last_seq;
  }
}

export function startRelay(opts: RelayOptions): Relay {
  for (const db of [opts.local, opts.central]) db.setMaxListeners(Math.max(db.getMaxListeners(), RELAY_LISTENERS));
  const now = opts.now ?? Date.now;
  const maxBackoff = opts.maxBackoffMs ?? MAX_BACKOFF_MS;
  const backOff = (d: number): number => nextBackoff(d, maxBackoff);
  let reached: boolean | null = null;
  let lastReachedAt: number | null = null;
  let refused = 0;
  let record: RelayRecord = { _id: RELAY_DOC, pushedSeq: 0, waitingSince: null };
  const loaded = opts.local
    .get<Omit<RelayRecord, '_id'>>(RELAY_DOC)
    .then((d) => {
      record = d;
    })
    .catch(() => undefined);

  // One write of the record at a time; the latest value wins.
  let saving: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    saving = saving.then(async () => {
      try {
        const r = await opts.local.put(record);
        record = { ...record, _rev: r.rev };
      } catch (e) {
        opts.log(`relay record not saved: ${String(e)}`);
      }
    });
    return saving;
  };

  const failed = (e: unknown): void => {
    const status = statusOf(e);
    if (status === 401 || status === 403) {
      opts.onError('centralRefused');
    } else {
      if (reached !== false) opts.log('central is out of reach; desks keep working through the hub');
      reached = false;
      opts.onError('centralUnreachable');
    }
  };
  /** Central answered: said in the log when it was out of reach (or not yet known). */
  const answered = (): void => {
    if (reached !== true) opts.log('central is reached');
    reached = true;
    lastReachedAt = now();
  };
  const probe = async (): Promise<void> => {
    try {
      await opts.probe.info();
      answered();
    } catch (e) {
      failed(e);
    }
  };

  const common = {
    live: true,
    retry: true,
    back_off_function: backOff,
    ...(opts.batchSize ? { batch_size: opts.batchSize } : {}),
  };
  // In passes, not live: a live push queues every change the pulls write, however far behind it is
  // (onePass.ts: what ended a hub seeding 100,000 applications).
  const push = onePassReplication({
    ready: loaded,
    pass: () => {
      // Past what the pulls wrote (pushStart): PouchDB writes that checkpoint on both sides first.
      const from = pushStart(record.pushedSeq, record.pulled ?? []);
      if (from !== undefined) {
        record = { ...record, pushedSeq: from, pulled: aheadOf(record.pulled ?? [], from) };
        void save();
      }
      return opts.local.replicate.to(opts.central, {
        live: false,
        retry: false,
        batch_size: opts.batchSize ?? PUSH_BATCH,
        batches_limit: 1,
        selector: PUSH_SELECTOR,
        ...(from !== undefined ? { since: from } : {}),
      });
    },
    watch: (onChange) => {
      const feed = opts.local.changes({ since: 'now', live: true }).on('change', onChange);
      return () => feed.cancel();
    },
    backOff,
  });
  // What the pulls write is on central already: not waiting for it (PulledRanges).
  const pulling = recordingPulls(opts.local, (from, to) => {
    void loaded.then(() => {
      record = { ...record, pulled: withPulled(record.pulled ?? [], from, to) };
    });
  });
  // The constructor's replicate: `local.replicate.from` is bound to `local`, not to this handle.
  const Pouch = opts.local.constructor as unknown as {
    replicate: (
      source: PouchDB.Database,
      target: PouchDB.Database,
      o: PouchDB.Replication.ReplicateOptions,
    ) => PouchDB.Replication.Replication<object>;
  };
  const pullFrom = (o: PouchDB.Replication.ReplicateOptions): PouchDB.Replication.Replication<object> =>
    Pouch.replicate(opts.central, pulling.db, o);
  const pull = pullFrom({ ...common, selector: PULL_SELECTORS.events });
  const pullScans = pullFrom({
    ...common,
    batch_size: SCAN_BATCH,
    batches_limit: 1,
    selector: PULL_SELECTORS.scans,
  });
  const pullOthers = pullFrom({ ...common, selector: PULL_SELECTORS.others });
  const legs = [
    ['push', push],
    ['pull', pull],
    ['pull (scans)', pullScans],
    ['pull (escrows, staff)', pullOthers],
  ] as const;
  const ended = Promise.all(
    legs.map(
      ([, r]) =>
        new Promise<void>((resolve) => {
          void r.on('complete', () => resolve());
        }),
    ),
  );
  for (const [leg, r] of legs) {
    void r
      .on('paused', (err: unknown) => {
        if (err) failed(err);
        else void probe();
      })
      // A pull is active once central's feed has given it something; a push pass begins whether
      // central answers or not (onePass.ts): only what it moved says so.
      .on('active', () => {
        if (leg !== 'push') answered();
      })
      .on('change', () => answered())
      .on('error', (err: unknown) => {
        failed(err);
        opts.log(`${leg} replication stopped: ${String(err)}`);
      })
      .on('denied', (err: unknown) => {
        refused++;
        opts.onError('documentRefused');
        opts.log(`central refused a document (${leg}): ${JSON.stringify(err)}`);
      });
  }
  // How far central has every event the hub had: the push's checkpoints.
  // (PouchDB emits 'checkpoint' after each batch's checkpoint is written; its types omit the event.)
  push.on('checkpoint', (c: { checkpoint?: number | string }) => {
    if (c.checkpoint === undefined) return;
    void loaded.then(() => {
      const pushedSeq = c.checkpoint ?? record.pushedSeq;
      // Ranges the push has walked past are no longer needed.
      const pulled = typeof pushedSeq === 'number' ? aheadOf(record.pulled ?? [], pushedSeq) : [];
      record = { ...record, pushedSeq, pulled };
      return save();
    });
  });
  const timer = setInterval(() => void probe(), 10_000);
  void probe();

  /**
   * The events waiting are counted by reading the changes since the push's checkpoint: after a hub
   * is seeded from central that is every event it took, until the push has compared them with
   * central (a 110,000-event office: 110 pages). One count runs at a time, and at most one more
   * waits to start after it, however often the status is asked (the starter polls it every 150 ms:
   * counts piling up once took the hub out of memory at start). The status waits for a count begun
   * after it was asked, for up to STATUS_WAIT_MS, then answers the last count.
   */
  const count = async (): Promise<void> => {
    await loaded;
    await saving;
    const events = await eventsSince(opts.local, record.pushedSeq, record.pulled ?? []);
    const since = events === 0 ? null : (record.waitingSince ?? now());
    if (since !== record.waitingSince || events !== record.waiting) {
      record = { ...record, waitingSince: since, waiting: events };
      await save();
    }
  };
  let counting: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const recount = (): Promise<void> => {
    if (!counting) {
      counting = count().finally(() => {
        counting = null;
      });
      return counting;
    }
    next ??= counting
      .catch(() => undefined)
      .then(() => {
        next = null;
        return recount();
      });
    return next;
  };

  const state = async (): Promise<RelayState> => {
    await loaded;
    const run = recount();
    run.catch((e: unknown) => opts.log(`events waiting not counted: ${String(e)}`));
    if (record.waiting === undefined) await run.catch(() => undefined);
    else await Promise.race([run.catch(() => undefined), new Promise((r) => setTimeout(r, STATUS_WAIT_MS))]);
    const events = record.waiting ?? 0;
    return { reached, lastReachedAt, waiting: { events, since: events === 0 ? null : record.waitingSince }, refused };
  };

  return {
    state,
    stop: async () => {
      clearInterval(timer);
      for (const [, r] of legs) r.cancel();
      // Stopped once both replications have let go (their requests in flight and checkpoint writes
      // would fail unhandled against a store closing under them); one that never says so is not
      // waited for long.
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 2000))]);
      // The pulled ranges noted since the last save (a restart would count their events as waiting,
      // and its push compare them with central), the last write's among them.
      await pulling.settled();
      await loaded;
      await save();
    },
  };
}

/**
 * pouchdb-replication asks its source for info after every batch, for its activeTasks progress
 * only, and never handles a failure (`src.info().then(…)` with no catch in finishBatch, added with
 * the activeTasks API, apache/pouchdb#8441; still so in 9.0.0): when central drops just then during
 * the pull, the rejection goes unhandled and Node ends the hub's process. This handle answers
 * info() from the last good reply while central cannot be asked; everything else fails as it
 * would. (relay.test.ts fails without it.)
 */
export function tolerantInfo(db: PouchDB.Database): PouchDB.Database {
  const info = db.info.bind(db);
  let last: PouchDB.Core.DatabaseInfo | null = null;
  db.info = async () => {
    try {
      last = await info();
      return last;
    } catch (e) {
      if (last) return last;
      throw e;
    }
  };
  return db;
}
