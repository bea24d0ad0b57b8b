import Dexie, { type EntityTable, type Table } from 'dexie';
import { legacyEventId, parseEventId } from '@shared/events';
import type { DayRowKey, ReportDayRow, ReportFact } from '@shared/reports';
import type { StaffDirectoryEntry } from '@shared/staff';
import { OPEN_STATUSES } from '@shared/workflow';

/**
 * The read model: what lists, inboxes, counters and journals query. It is disposable: built by
 * the projector from the office database's events, and rebuilt from zero at will.
 * Booleans are stored as 0/1 because IndexedDB cannot index booleans.
 *
 * Citizens' data is never stored here in clear (docs/threat-model.md §5): names, IIN/BIN,
 * details and journal data are in one sealed blob per row (renderer/data/seal/sealedRows.ts), and the
 * IIN/BIN and the search words are blind-index tokens (renderer/data/seal/blindIndex.ts), the words'
 * in a table of their own (`search`). Status, role,
 * assignee, dates, flags and registration numbers stay clear: the indexed queries need them.
 */
export interface ApplicationRow {
  appId: string;
  office: string;
  regNumber: string | null;
  serviceId: string;
  serviceVersion: string;
  variantId: string;
  channel: string | null;
  status: string;
  stepId: string | null;
  stepKind: string | null;
  /** The role that must act now, and the person when assigned. */
  role: string | null;
  assignee: string | null;
  stepDueAt: number | null;
  dueAt: number | null;
  /**
   * A due time needed a calendar year that is not published (dueAt or stepDueAt is then null):
   * the lists say "calendar for <year> not published" there instead of a date.
   */
  calendarMissingYear?: number | null;
  overdue: 0 | 1;
  atRisk: 0 | 1;
  /** Blind-index token of the applicant's IIN/BIN (equal for the same applicant: lookup, purge). */
  applicantKey: string | null;
  /** Sealed ApplicationPersonal (the envelope's bytes, renderer/data/seal/envelope.ts). */
  personal: Uint8Array;
  registeredAt: number | null;
  updatedAt: number;
  eventCount: number;
  /** approved / refused once decided. */
  outcome: string | null;
  closedAt: number | null;
  /** How many concurrent actions lost to another desk's: the card shows them. */
  superseded: number;
  /**
   * 1 while the application waits on an executor the office's staff directory does not list as an
   * active executor (mistyped on an older desk, or deactivated since): it then waits in the head's
   * inbox, marked, instead of in nobody's. Set by the projector from the directory (staff.ts).
   */
  assigneeUnknown?: 0 | 1;
}

/**
 * Keys the inboxes page through, derived from a row's role, assignee, status and due times on
 * every write (see `withQueueKeys`): nothing else sets them. IndexedDB leaves out of an index any
 * record whose key holds null, so these are never null: a row in no inbox has no `queue` at all
 * (and no entry in the queue indexes), and a missing due time sorts last as +Infinity.
 */
export interface QueueKeys {
  /** `role:` for the role's queue, `executor:<login>` for an executor's own; absent when in no inbox. */
  queue?: string;
  /** `dueAt`, or +Infinity when the regulation gives none (those rows come last). */
  queueDue?: number;
  /** The moment the row turns late (`isLate`): the earlier of the two due times; +Infinity if never. */
  lateAt?: number;
}

/** Whether a status counts as open: only open applications can be late. */
export const isOpenStatus = (status: string): boolean => (OPEN_STATUSES as readonly string[]).includes(status);

/**
 * The queue an application waits in: its role's, except that an executor step assigned to someone
 * is that person's alone (executors see their own and the unassigned ones).
 */
export function queueOf(
  row: Pick<ApplicationRow, 'role' | 'assignee' | 'status' | 'assigneeUnknown'>,
): string | undefined {
  if (!row.role || row.status === 'closed') return undefined;
  if (row.role !== 'executor') return `${row.role}:`;
  // Assigned to someone who is no active executor: the head, who routes it again, sees it.
  return row.assigneeUnknown === 1 ? 'head:' : `executor:${row.assignee ?? ''}`;
}

/** The row with its queue keys set from its own fields. */
export function withQueueKeys<T extends ApplicationRow>(row: T): T & Required<Omit<QueueKeys, 'queue'>> & QueueKeys {
  const { queue: _old, ...rest } = row as T & Partial<QueueKeys>;
  const queue = queueOf(row);
  const late = isOpenStatus(row.status) ? Math.min(row.dueAt ?? Infinity, row.stepDueAt ?? Infinity) : Infinity;
  return {
    ...(rest as T),
    ...(queue === undefined ? {} : { queue }),
    queueDue: row.dueAt ?? Infinity,
    lateAt: late,
  };
}

/** What an application row holds sealed. */
export interface ApplicationPersonal {
  applicantName: string;
  /** IIN or BIN. */
  applicantId: string | null;
  /** The folded name words (applicant, representative): a long query word is checked against them. */
  words?: string[];
}

export interface ApplicantRow {
  /** Blind-index token of the IIN or BIN. */
  key: string;
  kind: 'person' | 'legal_entity';
  /** Sealed ApplicantPersonal (bytes). */
  personal: Uint8Array;
  lastAppId: string;
  lastSeenAt: number;
}

/** What an applicant row holds sealed. */
export interface ApplicantPersonal {
  /** IIN or BIN. */
  id: string;
  name: string;
  /** The applicant's details as last registered (address, phone…), for the reception form. */
  details: Record<string, unknown>;
}

/**
 * An application's search tokens: the blind-index tokens of the folded name prefixes (applicant,
 * representative) and of the IIN/BIN. Kept apart from the application row because each token is
 * an index entry: the row is written again at every step, these only when the names change.
 */
export interface SearchRow {
  appId: string;
  tokens: string[];
}

/**
 * A journal row's key: the id of the event it records in its form without the content digest
 * (`evt:<appId>:<hlc>:<device>`, shared/events/ids.ts), unique still (a device's clock reading
 * never repeats) and in its application's range of ids. IndexedDB repeats a row's key in each of
 * its index entries: with the 64 hex digits in it, the journal's ~107-character keys made it a
 * third of the read model's write cost (docs/performance/new-desk.md, "The journal keyed shorter").
 */
export function journalKey(eventId: string): string {
  const p = parseEventId(eventId);
  return p ? legacyEventId(p.appId, p.hlc, p.device) : eventId;
}

export interface JournalRow {
  /** `journalKey` of the event's id. */
  id: string;
  appId: string;
  journal: 'registration' | 'outgoing';
  at: number;
  /** The application's registration number: the entry itself in one journal, the reference in the other. */
  regNumber: string | null;
  /** The entry's own number: the registration number, or the letter's outgoing number (null before outgoing numbering). */
  number: string | null;
  /**
   * `number` and each tail of it after a `-` or `/` (shared/text/searchFold.ts `numberSearchKeys`), folded as search
   * folds what is typed: numbers are searched here, in clear, by prefix, not by tokens.
   */
  numberKeys?: string[];
  /** Sealed journal data (applicant, IIN/BIN, channel, document, delivery), bytes. */
  data: Uint8Array;
}

/**
 * The office's staff directory as this desk has it (shared/staff): one row per `staff:<login>`
 * document of the office database, projected from the same changes feed as the events.
 */
export type StaffRow = Omit<StaffDirectoryEntry, '_rev'>;

/**
 * A report fact as the read model keeps it: marked once the purge took its application's rows
 * (`dropApplications`), so that a rebuild finds what to carry over by an index holding only the
 * marked ones (IndexedDB leaves a record without the key out of an index), not by comparing every
 * fact's key with every application's on the window's thread (seconds at 100,000 applications).
 */
export type StoredFact = ReportFact & { purged?: 1 };

export interface MetaRow {
  key: string;
  value: string | number;
}

/**
 * Bump when rows change shape. The version is part of the database name, so a new version starts
 * an empty model that the projector fills from the events (with progress), and the old one is dropped.
 */
export const READ_MODEL_VERSION = 13;

/**
 * The read-model version since which report facts (shared/reports/fact.ts) have their present shape
 * and a purged application's fact is marked (`purged`). Set it to the new READ_MODEL_VERSION when
 * `ReportFact` changes shape: a desk carries the marked facts of an older model into a new version's
 * only from models at or above it (`olderPurgedFacts`); from an older one its reports count what it
 * holds.
 */
export const REPORT_FACTS_SINCE = 13;

export type ReadModel = Dexie & {
  applications: EntityTable<ApplicationRow & QueueKeys, 'appId'>;
  applicants: EntityTable<ApplicantRow, 'key'>;
  search: EntityTable<SearchRow, 'appId'>;
  journal: EntityTable<JournalRow, 'id'>;
  staff: EntityTable<StaffRow, 'login'>;
  meta: EntityTable<MetaRow, 'key'>;
  /** Per application, what the reports count (shared/reports/fact.ts): nothing personal. */
  reportFacts: EntityTable<StoredFact, 'appId'>;
  /** The reports' per-day index built from the facts (shared/reports/dayIndex.ts): a day in parts. */
  reportDays: Table<ReportDayRow, DayRowKey>;
};

export const readModelName = (name: string, version = READ_MODEL_VERSION): string => `kense_read_${name}_v${version}`;

/**
 * The marked report facts (purged applications') of this desk's read models older than `current`
 * and at least `since`, the newest model's for each application: read before a new version drops
 * them, since no event is left to fold those applications again. The versions are parameters for
 * the tests (a model of the next version cannot be made otherwise).
 */
export async function olderPurgedFacts(
  name: string,
  current = READ_MODEL_VERSION,
  since = REPORT_FACTS_SINCE,
): Promise<StoredFact[]> {
  const older = (await readModelsOf(name)).filter((m) => m.v >= since && m.v < current).sort((a, b) => b.v - a.v);
  const facts = new Map<string, StoredFact>();
  for (const { n } of older) {
    // Opened as it is (no schema declared here: Dexie reads the stored one), and only read.
    const db = new Dexie(n);
    try {
      await db.open();
      const table = db.tables.find((t) => t.name === 'reportFacts');
      if (!table?.schema.idxByName['purged']) continue;
      for (const f of (await table.where('purged').equals(1).toArray()) as StoredFact[])
        if (!facts.has(f.appId)) facts.set(f.appId, f);
    } finally {
      db.close();
    }
  }
  return [...facts.values()];
}

/**
 * Removes this desk's read models of other versions (older, or newer after a downgrade, whose rows
 * would miss what this version did): the new one is built from the events, with only the purged
 * applications' facts carried over first (`olderPurgedFacts`).
 */
export async function dropOldReadModels(name: string): Promise<void> {
  await Promise.all((await readModelsOf(name)).filter((m) => m.v !== READ_MODEL_VERSION).map((m) => Dexie.delete(m.n)));
}

/**
 * This desk's read models, by name and version: exactly `readModelName(name, v)`, never another
 * replica's whose name begins with this one's (its model and its purged facts are its own).
 */
async function readModelsOf(name: string): Promise<{ n: string; v: number }[]> {
  const prefix = readModelName(name, 0).slice(0, -1);
  return (await Dexie.getDatabaseNames()).flatMap((n) => {
    const rest = n.startsWith(prefix) ? n.slice(prefix.length) : '';
    return /^\d+$/.test(rest) ? [{ n, v: Number(rest) }] : [];
  });
}

export function openReadModel(name: string, version = READ_MODEL_VERSION): ReadModel {
  const db = new Dexie(readModelName(name, version), { chromeTransactionDurability: 'relaxed' }) as ReadModel;
  // Relaxed durability is right here: a lost write is rebuilt from the events.
  // Only the indexes something queries: each one is written with every row (the projection's cost).
  db.version(1).stores({
    applications:
      'appId, regNumber, status, role, [queue+queueDue+appId], [queue+registeredAt+appId], [queue+regNumber], [queue+lateAt], [queueDue+appId], applicantKey, registeredAt',
    search: 'appId, *tokens',
    applicants: 'key, lastSeenAt',
    // No `appId` index: a row's id is its event's (`journalKey`), so an application's rows are a range of ids.
    journal: 'id, [journal+at], number, *numberKeys',
    staff: 'login',
    meta: 'key',
    reportFacts: 'appId, purged',
    reportDays: '[day+part]',
  });
  // The queue keys follow the row on every write, whoever writes it (projector, rebuild, tests).
  db.use({
    stack: 'dbcore',
    name: 'kense-queue-keys',
    create: (down) => ({
      ...down,
      table: (table) => {
        const t = down.table(table);
        if (table !== 'applications') return t;
        return {
          ...t,
          mutate: (req) =>
            req.type === 'add' || req.type === 'put'
              ? t.mutate({ ...req, values: req.values.map((v) => withQueueKeys(v as ApplicationRow)) })
              : t.mutate(req),
        };
      },
    }),
  });
  return db;
}
