import { fieldScope, fieldSelector, type FieldSettings, type NamedEvent, type Selector } from '@shared/couch';
import type { StaffRole } from '@shared/events';
import { firstDownload, queryDeskView, readServerEvents, type FirstDownloadProgress } from './firstDownload';
import type { OfficeDb } from '../store/officeDb';
import type { PouchDB } from '../store/pouch';

/**
 * A field laptop (issue 18, item 5): a computer set (renderer/state/fieldMode.ts) to hold only what
 * its user needs in the field — the open applications she may act on and her own recent ones
 * (shared/couch/fieldScope.ts) — instead of the office's whole history. The scope is decided from
 * the server's desks' views when the sync starts, the scope's events are fetched as a first
 * download fetches (by id, `_bulk_get`), and the live pull then asks the server only for them
 * through a Mango selector. Her own events go up as on any desk; sealing and the purge of closed
 * applications are as on any desk. Off by default: an office desk holds everything.
 */

export const FIELD_DOC_ID = '_local/kense-field';

/** What the laptop holds and from when: kept in the replica only (`_local`, never replicated). */
export interface FieldState {
  /** Whose scope it is: another person signing in on the laptop gets her own. */
  login: string | null;
  scope: string[];
  /** The server's update sequence read before the scope's events were fetched: the live pull starts there. */
  since: string | number | null;
  refreshedAt: number | null;
}

const NONE: FieldState = { login: null, scope: [], since: null, refreshedAt: null };

type FieldDoc = FieldState & { _id: typeof FIELD_DOC_ID; _rev?: string };

export async function readField(db: PouchDB.Database): Promise<FieldState> {
  try {
    const doc = await db.get<FieldDoc>(FIELD_DOC_ID);
    return {
      login: typeof doc.login === 'string' ? doc.login : null,
      scope: Array.isArray(doc.scope) ? doc.scope.filter((x): x is string => typeof x === 'string') : [],
      since: typeof doc.since === 'string' || typeof doc.since === 'number' ? doc.since : null,
      refreshedAt: typeof doc.refreshedAt === 'number' ? doc.refreshedAt : null,
    };
  } catch {
    return NONE;
  }
}

async function writeField(db: PouchDB.Database, state: FieldState): Promise<FieldState> {
  for (;;) {
    const prev = await db.get<FieldDoc>(FIELD_DOC_ID).catch(() => null);
    try {
      await db.put<FieldState>({ ...state, _id: FIELD_DOC_ID, ...(prev?._rev ? { _rev: prev._rev } : {}) });
      return state;
    } catch (e) {
      if ((e as { status?: number }).status !== 409) throw e;
    }
  }
}

/** The user's rows of `_view/people`: events she wrote or that name her executor. */
async function readNamed(remote: PouchDB.Database, login: string): Promise<NamedEvent[]> {
  const key = (k: unknown[]): string => encodeURIComponent(JSON.stringify(k));
  const r = await queryDeskView<string>(
    remote,
    `startkey=${key([login])}&endkey=${key([login, {}])}`,
    undefined,
    'people',
  );
  return r.rows.map((row) => {
    const k = row.key as unknown as [string, string];
    return { appId: row.value, at: typeof k[1] === 'string' ? k[1] : '' };
  });
}

async function updateSeq(remote: PouchDB.Database): Promise<string | number> {
  return (await remote.info()).update_seq;
}

export interface FieldUser {
  login: string;
  role: StaffRole;
}

/**
 * Decides the scope from the server (at the start of each sync), fetches whatever of its events this
 * laptop lacks, and records where the live pull starts. The first time on an empty laptop this is
 * its first download. An executor's scope is read by key (her rows of `_view/people`, then those
 * applications' events); any other role's needs the office's open applications, so the desks'
 * view is read whole, as a first download reads it.
 */
export async function refreshFieldScope(
  office: OfficeDb,
  remote: PouchDB.Database,
  user: FieldUser,
  settings: Pick<FieldSettings, 'recentDays'>,
  opts: {
    now?: () => number;
    onProgress?: (p: FirstDownloadProgress) => void;
    signal?: AbortSignal;
    /**
     * The numbers the server's events gave out, as the first download tells them: every one for a
     * role whose scope reads the desks' view whole, only the held applications' for an executor
     * (her laptop reads the view by key).
     */
    onNumbers?: (given: readonly string[]) => void | Promise<void>;
  } = {},
): Promise<FieldState> {
  const now = opts.now ?? (() => Date.now());
  const prev = await readField(office.db);
  // Read first: whatever is written after this comes through the live pull.
  const since = await updateSeq(remote);
  const named = await readNamed(remote, user.login);
  const kept = prev.login === user.login ? prev.scope : [];
  const events =
    user.role === 'executor'
      ? await readServerEvents(remote, 10_000, [...new Set([...named.map((n) => n.appId), ...kept])].sort())
      : await readServerEvents(remote, 10_000);
  const summaries = new Map(events.summaries.map((s) => [s.key, s.value]));
  const scope = fieldScope({ role: user.role, summaries, named, recentDays: settings.recentDays, now: now() });
  try {
    await firstDownload(office, remote, {
      events,
      only: new Set(scope),
      again: true,
      now,
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onNumbers ? { onNumbers: opts.onNumbers } : {}),
    });
  } finally {
    events.revisions.close();
  }
  return writeField(office.db, { login: user.login, scope, since, refreshedAt: now() });
}

/**
 * Applications that came into scope through the live pull (an assignment naming her, a new
 * registration): their earlier events are fetched by id, and the scope grows. The pull is then
 * restarted with the wider selector from the same `since` as before: it reads again what it had
 * read since the scope was decided (the replica has it: nothing is fetched twice), so nothing
 * written meanwhile, for the new applications or the old, falls between two starting points.
 */
export async function widenFieldScope(
  office: OfficeDb,
  remote: PouchDB.Database,
  appIds: readonly string[],
): Promise<FieldState> {
  const prev = await readField(office.db);
  const added = appIds.filter((id) => !prev.scope.includes(id));
  if (added.length === 0) return prev;
  const events = await readServerEvents(remote, 10_000, added);
  try {
    await firstDownload(office, remote, { events, only: new Set(added), again: true });
  } finally {
    events.revisions.close();
  }
  return writeField(office.db, { ...prev, scope: [...new Set([...prev.scope, ...added])].sort() });
}

/** The live pull's options on a field laptop: the selector, and where it starts when new. */
export function fieldPull(state: FieldState, user: FieldUser): { selector: Selector; since?: string | number } {
  return {
    selector: fieldSelector(state.scope, user.login, user.role),
    ...(state.since !== null ? { since: state.since } : {}),
  };
}
