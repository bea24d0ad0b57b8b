import type { AuditReport } from '@shared/audit';
import type { EventDoc } from '@shared/events';
import type { Period, ReportDayRow, ReportFilters } from '@shared/reports';
import type { Desk } from '../desk';
import { inboxCount as countInbox, type InboxUser } from './inbox';
import { checkReplica as checkPouch, userActions as scanUserActions, type ScanProgress } from './integrity';
import { listPage as pageOf, type ListPage, type ListQuery, type ListScope } from './lists';
import type { StoredEvent } from '../projection/projector';
import { readField, type FieldState } from '../sync/field';
import { otherDocs } from '../sync/firstDownload';
import { OPEN_STATUSES } from '@shared/workflow';
import {
  readPurgeInfo as readPurge,
  setPurgePolicy as writePurgePolicy,
  type PurgeInfo,
  type PurgePolicy,
} from '../purge/purge';
import type { ApplicantPersonal, ApplicantRow, ApplicationRow, JournalRow, StaffRow } from '../store/readModel';
import {
  loadReportDays as reportDaysOf,
  nowFigures as figuresNow,
  rowsByIds as rowsOf,
  staffNames as namesOf,
  type NowFigures,
} from './reports';
import { findApplicant as findSealedApplicant, type SearchTerm } from '../seal/sealedRows';
import {
  executorChoices as choicesOf,
  loadDirectory as directoryOf,
  staffDirectory as sortedDirectory,
  type ExecutorChoice,
} from './staff';

/*
 * The queries and actions features use, each taking the desk (the data context, as cht-datasource's
 * functions take theirs): which Dexie table, index or PouchDB call answers is this layer's business,
 * so the read model's schema can change without touching a screen.
 */

/** What each query reads of the desk: its read model, its keys, its office, its replica. */
type ModelOf = Pick<Desk, 'model'>;

/** One application's read-model row (undefined: not on this desk). */
export const applicationById = (desk: ModelOf, appId: string): Promise<ApplicationRow | undefined> =>
  desk.model.applications.get(appId);

/** Application rows by id, in the order given; ids no longer there are left out. */
export const rowsByIds = (desk: ModelOf, ids: readonly string[]): Promise<ApplicationRow[]> => rowsOf(desk.model, ids);

/** Whether the desk holds no application at all (a new office, or a first download not yet in). */
export const hasNoApplications = async (desk: ModelOf): Promise<boolean> =>
  (await desk.model.applications.count()) === 0;

/** Every application in one status (e.g. those in progress, for the visits planner). */
export const applicationsWithStatus = (desk: ModelOf, status: string): Promise<ApplicationRow[]> =>
  desk.model.applications.where('status').equals(status).toArray();

/** An applicant's earlier applications by their IIN/BIN's blind-index token, newest first. */
export const applicantHistory = (desk: ModelOf, idToken: string): Promise<ApplicationRow[]> =>
  desk.model.applications.where('applicantKey').equals(idToken).reverse().sortBy('registeredAt');

/** Service ids by how often the office registered them among its last `recent` applications. */
export async function frequentServices(desk: ModelOf, recent = 500): Promise<string[]> {
  const counts = new Map<string, number>();
  await desk.model.applications
    .orderBy('registeredAt')
    .reverse()
    .limit(recent)
    .each((a) => counts.set(a.serviceId, (counts.get(a.serviceId) ?? 0) + 1));
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([s]) => s);
}

/** A known applicant's details from their last registration, opened with the desk's keys. */
export const findApplicant = (
  desk: Pick<Desk, 'model' | 'keys'>,
  token: string,
  iinOrBin: string,
): Promise<(ApplicantPersonal & { kind: ApplicantRow['kind'] }) | undefined> =>
  findSealedApplicant(desk.model, desk.keys, token, iinOrBin);

/** One journal's entries in [start, end) (epoch ms), oldest first, with the applications they belong to. */
export async function journalEntries(
  desk: ModelOf,
  journal: string,
  start: number,
  end: number,
): Promise<{ entries: JournalRow[]; apps: Map<string, ApplicationRow> }> {
  const entries = await desk.model.journal
    .where('[journal+at]')
    .between([journal, start], [journal, end], true, false)
    .toArray();
  const apps = await rowsOf(desk.model, [...new Set(entries.map((e) => e.appId))]);
  return { entries, apps: new Map(apps.map((a) => [a.appId, a])) };
}

/** A page of a list (the inbox or all applications), filtered, sorted and searched. */
export const listPage = (
  desk: Pick<Desk, 'model' | 'keys'>,
  scope: ListScope,
  query: ListQuery,
  opts: { limit: number; now: number; terms?: readonly SearchTerm[] },
): Promise<ListPage> => pageOf(desk.model, scope, query, { ...opts, keys: desk.keys });

/** How many applications wait in a user's inbox, and how many of them are late. */
export const inboxCount = (desk: ModelOf, user: InboxUser, now?: number): Promise<{ total: number; overdue: number }> =>
  countInbox(desk.model, user, now);

export const loadReportDays = (desk: ModelOf, period: Period): Promise<ReportDayRow[]> =>
  reportDaysOf(desk.model, period);
export const nowFigures = (desk: ModelOf, now: number, filters: ReportFilters): Promise<NowFigures> =>
  figuresNow(desk.model, now, filters);
export const staffNames = (desk: ModelOf): Promise<Map<string, string>> => namesOf(desk.model);

/** The office's staff directory on this desk, people in alphabetical order. */
export const staffDirectory = (desk: ModelOf): Promise<StaffRow[]> => sortedDirectory(desk.model);
/** The directory by login. */
export const loadDirectory = (desk: ModelOf): Promise<Map<string, StaffRow>> => directoryOf(desk.model);
/** How many people the directory holds (0: the office's central service has not written it yet). */
export const staffCount = (desk: ModelOf): Promise<number> => desk.model.staff.count();
/** The active executors of the desk's office the head may choose, with what they have open now. */
export const executorChoices = (desk: Pick<Desk, 'model' | 'config'>, now: number): Promise<ExecutorChoice[]> =>
  choicesOf(desk.model, desk.config.office, now);

/** An application's stored event documents as the replica holds them (the audit trail shows them raw). */
export const storedEventsOf = (desk: Pick<Desk, 'projector'>, appId: string): Promise<StoredEvent[]> =>
  desk.projector.eventsOf(appId);

/** The replica's integrity check: every event's hash, chain and conflicts. */
export const checkReplica = (
  desk: Pick<Desk, 'office'>,
  onProgress?: (p: ScanProgress) => void,
): Promise<AuditReport> => checkPouch(desk.office.db, onProgress);

/** What one login did between two instants (epoch ms), from the replica's events. */
export const userActions = (
  desk: Pick<Desk, 'office'>,
  login: string,
  from: number,
  to: number,
  onProgress?: (p: ScanProgress) => void,
): Promise<EventDoc[]> => scanUserActions(desk.office.db, login, from, to, onProgress);

/** The desk's purge policy and what it has purged. */
export const readPurgeInfo = (desk: Pick<Desk, 'office'>): Promise<PurgeInfo> => readPurge(desk.office.db);
export const setPurgePolicy = (desk: Pick<Desk, 'office'>, policy: PurgePolicy): Promise<void> =>
  writePurgePolicy(desk.office.db, policy);

/** What a field laptop holds (Settings): its scope, the applications and events here, the disk used. */
export interface FieldInfo {
  state: FieldState;
  applications: { open: number; other: number };
  events: number;
  /** `navigator.storage.estimate()`: bytes this app's storage uses and may use, when the browser says. */
  storage: { usage: number; quota: number } | null;
}

/**
 * Events in the replica: its document count less the few documents that are not events (the staff
 * directory, escrows, design documents), so that an office desk's Settings does not list every
 * event key to count them.
 */
async function eventCount(db: Desk['office']['db']): Promise<number> {
  const [info, others] = await Promise.all([db.info(), otherDocs(db)]);
  return info.doc_count - others.length;
}

export async function readFieldInfo(desk: Pick<Desk, 'office' | 'model'>): Promise<FieldInfo> {
  const [state, open, all, events, storage] = await Promise.all([
    readField(desk.office.db),
    desk.model.applications.where('status').anyOf(OPEN_STATUSES).count(),
    desk.model.applications.count(),
    eventCount(desk.office.db),
    navigator.storage?.estimate
      ? navigator.storage.estimate().then(
          (e) => ({ usage: e.usage ?? 0, quota: e.quota ?? 0 }),
          () => null,
        )
      : Promise.resolve(null),
  ]);
  return { state, applications: { open, other: all - open }, events, storage };
}
