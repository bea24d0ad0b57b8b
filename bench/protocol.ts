/**
 * What the benchmark page (bench/page.ts, in Chromium) and its driver (scripts/bench.ts, in Node)
 * exchange: plain JSON, one call per step, so that the driver can measure memory between steps.
 */
import type { Period, ReportFact } from '../shared/reports';
import type { LocalAdapter } from '../renderer/data/store/pouch';

export interface CentralAccess {
  /** The office database on the central server, e.g. http://127.0.0.1:6123/office_alm01. */
  url: string;
  user: string;
  password: string;
}

export type ReplicateStrategy =
  /**
   * PouchDB's replication. With `capMs` it is cancelled after that long and its rate is the
   * documents written so far over the time (a whole office at PouchDB's defaults would take most
   * of an hour at 100,000 applications on this machine).
   */
  | { label: string; kind: 'replicate'; batchSize: number; batchesLimit: number; capMs?: number }
  /** Medic CHT's download: list {id, rev} on the server, fetch what is missing with _bulk_get. */
  | { label: string; kind: 'bulkGet'; batchSize: number; parallel: number }
  /** The desk's own first download (renderer/data/sync/firstDownload.ts): open applications first, by the desks' view. */
  | { label: string; kind: 'firstDownload'; batchSize: number; parallel: number };

export interface ReplicateParams {
  central: CentralAccess;
  office: string;
  strategies: ReplicateStrategy[];
  /** The strategy whose database is kept, under `keepAs`, as the desk's office database. */
  keepLabel: string;
  keepAs: string;
  /**
   * The untimed warm-up first (the server's listing, its desks' view, its changes feed read once):
   * true for the run's first download from this server, false for later ones (already warm).
   */
  warm?: boolean;
}

export interface ReplicateResult {
  label: string;
  kind: ReplicateStrategy['kind'];
  batchSize: number;
  batchesLimit: number | null;
  /** Requests in flight ahead of the write (`_bulk_get` strategies). */
  parallel: number | null;
  docs: number;
  ms: number;
  docsPerSec: number;
  /** HTTP requests the download made (counted through PouchDB's fetch). */
  requests: number;
  /** Stopped at its time cap (`capMs`) before the end: `docs` is what it had written by then. */
  capped: boolean;
}

/**
 * The same documents as the download wrote, read back from the replica with their revisions (as
 * `_bulk_get` gives them) and written into an empty database with the first download's own write
 * (OfficeDb.writeReplicated: `new_edits: false`, relaxed durability) in its batch size: the rate a
 * download could reach if the network and the server cost nothing. Only the writes are timed.
 */
export interface RawWriteParams {
  office: string;
  /**
   * Where the documents are read from (untimed): a replica on this page's origin, or the server
   * itself (a page of a fresh profile, whose store holds nothing else: scripts/bench.ts).
   */
  source: { db: string } | { central: CentralAccess };
  batchDocs: number;
  /**
   * Documents per `bulkDocs` inside a batch, written on the page's thread; absent: as a first
   * download writes them (the replica writer's worker, WORKER_SLICE_DOCS).
   */
  sliceDocs?: number;
}
export interface RawWriteResult {
  docs: number;
  batches: number;
  /** Documents per `bulkDocs` inside a batch. */
  sliceDocs: number;
  ms: number;
  docsPerSec: number;
}

/** Long tasks (PerformanceObserver 'longtask': over 50 ms) on a page's main thread, collected by the driver. */
export interface LongTasks {
  count: number;
  /** Tasks longer than 200 ms (the limit for a blocked window). */
  over200: number;
  maxMs: number;
  totalMs: number;
}

export interface OpenDeskParams {
  office: string;
  desk: string;
  dbName: string;
}

export interface OpenDeskResult {
  /** Desk.open with an empty read model: the initial projection of every event. */
  ms: number;
  events: number;
  applications: number;
}

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export interface LatencyResult {
  appends: number;
  /** Events already in the office database when the appends began. */
  eventsBefore: number;
  /** Call → read-model row reflects the event (ms). */
  withProjection: Percentiles;
  /** Call → the append's promise resolves (written, strict durability) (ms). */
  writeOnly: Percentiles;
  registerWithProjection: Percentiles;
  actionWithProjection: Percentiles;
  /** Template events the desk refused (the rules or the workflow said no); not timed. */
  refused: number;
  refusedReasons: Record<string, number>;
}

export interface AppInboxResult {
  /**
   * The app's own inbox queries (renderer/data/read/inbox.ts) as the inbox screen runs them on opening:
   * the first page (`shown` rows) and the counts; `rows` is the inbox's total.
   */
  head: { rows: number; shown: number; ms: Percentiles };
  executor: { login: string; rows: number; shown: number; ms: Percentiles };
  /**
   * The same screens filtered and sorted (renderer/data/read/lists.ts): the head's inbox by one service,
   * late only, newest registration first; the whole office's applications by that service, open,
   * soonest due first. `rows` matched the filters; the first page shows `shown` of them.
   */
  headFiltered: { serviceId: string; rows: number; shown: number; ms: Percentiles };
  applicationsFiltered: { serviceId: string; rows: number; shown: number; ms: Percentiles };
}

export interface RebuildResult {
  events: number;
  ms: number;
  eventsPerSec: number;
  /**
   * The rebuild's ends apart from its scan: from its start until the scan's first batch is written
   * (the model emptied: its database deleted and made anew), and from the last one on (the day
   * index built from every fact).
   */
  firstBatchMs: number;
  afterLastBatchMs: number;
}

export interface InboxParams {
  office: string;
  dbName: string;
  status: string;
  assignee: string;
  runs: number;
}

export interface InboxResult {
  status: string;
  assignee: string;
  /** Rows in the read model, and how many match the query (before the limit). */
  applications: number;
  matching: number;
  /** Rows of that status and assignee with no due date (no index entry in either store). */
  withoutDue: number;
  returned: number;
  /** Both queries return the same 50 rows in the same due order. */
  sameAnswer: boolean;
  /** Where the two answers first differ (`dueAt:appId`), if they do. */
  mismatch: { index: number; dexie: string[]; pouchFind: string[] } | null;
  dexie: { firstMs: number; ms: Percentiles };
  pouchFind: {
    firstMs: number;
    ms: Percentiles;
    /** Writing one row document per application into the office database. */
    writeRowsMs: number;
    createIndexMs: number;
    /** The same query written with the Mango idiom `dueAt: {$gt: null}`: rows it returned (of 50). */
    gtNullReturned: number;
    gtNullRowsWithoutDue: number;
    /** The index pouchdb-find chose (the indexeddb adapter builds native IndexedDB indexes). */
    indexUsed: string;
  };
  /** pouch-find median / Dexie median. */
  ratio: number;
}

export interface AdapterParams {
  office: string;
  sourceDb: string;
  docs: number;
  rangeReads: number;
  puts: number;
}

export interface AdapterResult {
  adapter: LocalAdapter;
  docs: number;
  bulkWrite: { ms: number; docsPerSec: number };
  put: Percentiles;
  /** Range reads of one application's events (what the projector and the card do). */
  rangeRead: { reads: number; ms: number; perSec: number; latency: Percentiles };
  /** allDocs with documents, pages of 1000, whole database. */
  fullScan: { ms: number; docsPerSec: number };
  /** The changes feed without documents, pages of 500 (the projector's pass). */
  changes: { ms: number; perSec: number };
}

export interface PageInfo {
  userAgent: string;
  hardwareConcurrency: number;
  usedJSHeapSize: number | null;
}

export interface CryptoParams {
  /** Events sealed (then opened) one after another per timed run. */
  batch: number;
  eventRuns: number;
  scanBytes: number;
  scanRuns: number;
  unlockRuns: number;
  pbkdf2Iterations: number;
}

export interface CryptoResult {
  /** Size of the sample registration payload as JSON, and of its sealed text. */
  payloadBytes: number;
  sealedChars: number;
  batch: number;
  eventRuns: number;
  /** Median over runs of the mean time per event (microseconds). */
  eventSealUs: number;
  eventOpenUs: number;
  eventsPerSec: number;
  scanBytes: number;
  scanRuns: number;
  scanSealMs: number;
  scanOpenMs: number;
  /** Seal + open throughput of scans. */
  scanMBps: number;
  pbkdf2Iterations: number;
  /** Deriving the password key at sign-in (browser mode), median. */
  unlockMs: number;
}

/** The desk's real appends and rebuild on a fresh database, clear and sealed (renderer/data/seal/sealedDb.ts). */
export interface SealedDeskParams {
  appends: number;
}
export interface SealedDeskFigures {
  appends: number;
  /** Append until the read model shows it, and the write alone (ms). */
  withProjection: Percentiles;
  writeOnly: Percentiles;
  rebuildEvents: number;
  rebuildMs: number;
  rebuildEventsPerSec: number;
}
export interface SealedDeskResult {
  clear: SealedDeskFigures;
  sealed: SealedDeskFigures;
}

export interface ReportsTimeResult {
  /** First opening on a fresh connection: reading the period's day rows, then computing. */
  cold: { readMs: number; computeMs: number; totalMs: number };
  warm: Percentiles;
  warmRead: Percentiles;
  /** The same with an executor filter. */
  filteredMs: number;
  /** Reading every fact object instead (what the day index avoids). */
  scanAllFactsMs: number;
  /** Bytes of typed arrays and id strings read for the period. */
  bytes: number;
  facts: number;
  dayRows: number;
  closed: number;
  registered: number;
}

export interface BenchApi {
  info(): Promise<PageInfo>;
  replicate(p: ReplicateParams): Promise<ReplicateResult[]>;
  rawWrite(p: RawWriteParams): Promise<RawWriteResult>;
  openDesk(p: OpenDeskParams): Promise<OpenDeskResult>;
  latency(p: { appends: number }): Promise<LatencyResult>;
  appInbox(): Promise<AppInboxResult>;
  rebuild(): Promise<RebuildResult>;
  closeDesk(): Promise<void>;
  /** Sets up the app's session (localStorage) so that the real app opens this desk. */
  setSession(p: { office: string; desk: string; login: string; role: 'head' | 'executor' | 'clerk' }): Promise<{
    key: string;
    value: string;
  }>;
  inbox(p: InboxParams): Promise<InboxResult>;
  adapters(p: AdapterParams): Promise<AdapterResult[]>;
  crypto(p: CryptoParams): Promise<CryptoResult>;
  sealedDesk(p: SealedDeskParams): Promise<SealedDeskResult>;
  reportsAdd(p: { name: string; facts: ReportFact[] }): Promise<number>;
  reportsIndex(p: { name: string }): Promise<{ ms: number; rows: number; facts: number }>;
  reportsTime(p: { name: string; period: Period; runs: number }): Promise<ReportsTimeResult>;
  reportsDrop(p: { name: string }): Promise<void>;
}

export interface RunBenchParams {
  replicate: ReplicateParams;
  appends: number;
  inbox: InboxParams;
  adapters: AdapterParams;
}

export interface RunBenchResult {
  replication: ReplicateResult[];
  open: OpenDeskResult;
  latency: LatencyResult;
  appInbox: AppInboxResult;
  rebuild: RebuildResult;
  inbox: InboxResult;
  adapters: AdapterResult[];
}

declare global {
  interface Window {
    kenseBench?: BenchApi;
    /** All page steps in order (no memory figures: those need the driver's CDP session). */
    runBench?: (p: RunBenchParams) => Promise<RunBenchResult>;
  }
}

/** The password of the bench's people, signing in to the real app (offline: no server there). */
export const BENCH_PASSWORD = 'kense-bench';
