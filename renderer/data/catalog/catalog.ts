import {
  buildCatalogState,
  parseCatalogDoc,
  seedDocs,
  seedRevision,
  type CatalogDoc,
  type CatalogIssue,
  type CatalogState,
  type CatalogType,
} from '@shared/catalogue';
import { CATALOG_DB, catalogValidationRules, validateCatalogDoc, type UserCtx } from '@shared/couch';
import { classifySyncError, type SyncErrorCode } from '../sync/sync';
import { DEFAULT_ADAPTER, PouchDB } from '../store/pouch';

/**
 * The desk's copy of central's `catalog` database: service versions, calendar years and office
 * profiles (shared/catalogue/docs.ts). Public data, so a plain PouchDB database of its own (not
 * sealed, not tied to the office or the person): it opens before anyone signs in, and Reception,
 * the engine and the Catalogue section use what it holds. The bundled JSON is only its first-run
 * seed, written with the revisions central was seeded with, so the first pull finds no conflict.
 */
export const CATALOG_DB_NAME = 'kense_catalog';

export type CatalogDb = PouchDB.Database;

export function openCatalogDb(name = CATALOG_DB_NAME): CatalogDb {
  return new PouchDB(name, { adapter: DEFAULT_ADAPTER, auto_compaction: false });
}

/** Writes the bundled documents that are absent (a first run, or a release that ships a new version). */
export async function seedCatalogDb(db: CatalogDb): Promise<number> {
  const docs = seedDocs();
  const have = await db.allDocs({ keys: docs.map((d) => d._id) });
  const present = new Set(have.rows.flatMap((r) => ('error' in r ? [] : [r.key])));
  const missing = docs.filter((d) => !present.has(d._id));
  if (missing.length === 0) return 0;
  await db.bulkDocs(
    missing.map((d) => ({ ...d, _rev: seedRevision(d) })),
    { new_edits: false },
  );
  return missing.length;
}

/** Everything the desk's catalogue holds, validated (shared/catalogue buildCatalogState), with its conflicts. */
export async function readCatalog(db: CatalogDb): Promise<CatalogState> {
  const all = await db.allDocs({ include_docs: true, conflicts: true });
  return buildCatalogState(all.rows.flatMap((r) => (r.doc ? [r.doc] : [])));
}

/** One revision of a document, as stored (a conflict's losing side, to be looked at or published again). */
export async function catalogRevision(db: CatalogDb, id: string, rev: string): Promise<unknown> {
  return db.get(id, { rev });
}

/** Why a catalogue write was refused: the schema's issues, or the server rule's reason (`catalog.*`). */
export class CatalogWriteError extends Error {
  constructor(
    readonly reason: string,
    readonly issues: CatalogIssue[] = [],
  ) {
    super(reason);
    this.name = 'CatalogWriteError';
  }
}

const rules = catalogValidationRules();

/**
 * Publishes a document as `login`: the schema first (every problem, located), then the server's
 * own rule (what central would refuse is never written), over the revision this desk holds. The
 * push replication takes it to central; written apart on two desks, CouchDB keeps both and picks
 * the same winner everywhere, and the administration lists the conflict.
 */
export async function publishCatalogDoc(
  db: CatalogDb,
  user: { login: string; roles: string[] },
  doc: { type: CatalogType; data: unknown },
  now: number,
): Promise<CatalogDoc> {
  const parsed = parseCatalogDoc({
    _id: catalogIdOf(doc),
    type: doc.type,
    data: doc.data,
    updated: { by: user.login, at: new Date(now).toISOString() },
  });
  if (!parsed.ok) throw new CatalogWriteError('catalog.invalid', parsed.issues);
  const current = await db.get(parsed.doc._id).catch(() => null);
  const next = { ...parsed.doc, ...(current ? { _rev: current._rev } : {}) };
  const ctx: UserCtx = { db: CATALOG_DB, name: user.login, roles: user.roles };
  try {
    validateCatalogDoc(next, current as Record<string, unknown> | null, ctx, null, rules);
  } catch (e) {
    const reason = (e as { forbidden?: unknown }).forbidden;
    throw new CatalogWriteError(typeof reason === 'string' ? reason : 'catalog.refused');
  }
  const r = await db.put(next);
  return { ...next, _rev: r.rev };
}

function catalogIdOf(doc: { type: CatalogType; data: unknown }): string {
  const d = (doc.data ?? {}) as Record<string, unknown>;
  if (doc.type === 'service') return `service:${String(d['id'])}:${String(d['version'])}`;
  if (doc.type === 'calendar') return `calendar:${String(d['year'])}`;
  return `office:${String(d['code'])}`;
}

/**
 * Ends a conflict: the chosen revision stays (republished on top of the winner when it lost), the
 * other sides are deleted. Every desk then has the same document; what was deleted is still in the
 * history of the revisions, never silently dropped before an administrator chose.
 */
export async function resolveCatalogConflict(
  db: CatalogDb,
  user: { login: string; roles: string[] },
  id: string,
  keep: string,
  now: number,
): Promise<void> {
  const winner = await db.get(id, { conflicts: true });
  const losers = winner._conflicts ?? [];
  if (keep !== winner._rev) {
    const chosen = (await db.get(id, { rev: keep })) as unknown as CatalogDoc;
    await publishCatalogDoc(db, user, { type: chosen.type, data: chosen.data }, now);
  }
  // The losing leaves (the chosen one too, when it was republished over the winner).
  if (losers.length > 0) await db.bulkDocs(losers.map((rev) => ({ _id: id, _rev: rev, _deleted: true })));
}

export interface CatalogSyncSnapshot {
  target: string;
  state: 'connecting' | 'active' | 'idle' | 'offline' | 'error';
  lastPulledAt: number | null;
  error: SyncErrorCode | null;
  /** Documents central refused from this desk (its own edits), with the reason. */
  refused: { id: string; reason: string }[];
}

/**
 * Pulls the catalogue from one server, live, and — for a catalogue administrator — pushes their
 * edits to it. Desks never push otherwise: the catalogue is central's to publish.
 */
export function startCatalogSync(
  local: CatalogDb,
  remote: PouchDB.Database,
  opts: { target: string; push: boolean; onChange: (s: CatalogSyncSnapshot) => void; now?: () => number },
): { stop: () => void } {
  const now = opts.now ?? Date.now;
  let snap: CatalogSyncSnapshot = {
    target: opts.target,
    state: 'connecting',
    lastPulledAt: null,
    error: null,
    refused: [],
  };
  const emit = (patch: Partial<CatalogSyncSnapshot>): void => {
    snap = { ...snap, ...patch };
    opts.onChange(snap);
  };
  const options = {
    live: true,
    retry: true,
    back_off_function: (d: number) => (d === 0 ? 1000 : Math.min(30_000, d * 2)),
  };
  const pull = local.replicate.from(remote, options);
  void pull
    .on('active', () => emit({ state: 'active', error: null }))
    .on('paused', (err: unknown) =>
      emit(
        err ? { state: 'offline', error: classifySyncError(err) } : { state: 'idle', lastPulledAt: now(), error: null },
      ),
    )
    .on('error', (err: unknown) => emit({ state: 'error', error: classifySyncError(err) }));
  const push = opts.push ? local.replicate.to(remote, options) : null;
  void push?.on('denied', (err: unknown) => {
    const e = (err ?? {}) as { doc?: { id?: string; reason?: string }; id?: string; reason?: string };
    const id = e.doc?.id ?? e.id ?? '?';
    const reason = e.doc?.reason ?? e.reason ?? 'catalog.refused';
    if (!snap.refused.some((r) => r.id === id)) emit({ refused: [...snap.refused, { id, reason }] });
  });
  return {
    stop: () => {
      pull.cancel();
      push?.cancel();
    },
  };
}
