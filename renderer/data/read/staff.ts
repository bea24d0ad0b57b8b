import Dexie from 'dexie';
import { isActiveExecutor, parseStaffDirectoryEntry, STAFF_DIRECTORY_PREFIX } from '@shared/staff';
import { matchesSearch } from '@shared/text/searchFold';
import type { ApplicationRow, ReadModel, StaffRow } from '../store/readModel';

/**
 * The office's staff directory on this desk (штат / қызметкерлер тізімі): who may be given an
 * application to execute, and how much each executor has open. The `staff:` documents arrive in
 * the office database like events and the projector keeps them in the read model's `staff` table.
 */

export const isStaffDocId = (id: string): boolean => id.startsWith(STAFF_DIRECTORY_PREFIX);

/** A `staff:` document as the read model keeps it, or null when it is not a valid entry. */
export function staffRowOf(doc: unknown): StaffRow | null {
  const entry = parseStaffDirectoryEntry(doc);
  if (!entry) return null;
  const { _rev: _ignored, ...row } = entry;
  return row;
}

/** Where a login stands in the directory, as an executor of this office. */
export type ExecutorStanding = 'active' | 'inactive' | 'unknown' | 'noDirectory';

export function executorStanding(
  directory: ReadonlyMap<string, StaffRow>,
  office: string,
  login: string,
): ExecutorStanding {
  return standingOf(directory.size > 0, directory.get(login), office);
}

/** The same, from the login's own entry and whether the office has a directory at all. */
export function standingOf(hasDirectory: boolean, entry: StaffRow | undefined, office: string): ExecutorStanding {
  if (!hasDirectory) return 'noDirectory';
  if (!entry) return 'unknown';
  return isActiveExecutor(entry, office) ? 'active' : 'inactive';
}

/**
 * Whether an application waits on someone who is no active executor here. An office whose
 * directory has not arrived yet (its central service has not run) cannot judge: nothing is marked.
 */
export function isAssigneeUnknown(
  row: Pick<ApplicationRow, 'role' | 'assignee' | 'office'>,
  directory: ReadonlyMap<string, StaffRow>,
): boolean {
  if (row.role !== 'executor' || !row.assignee) return false;
  const standing = executorStanding(directory, row.office, row.assignee);
  return standing === 'unknown' || standing === 'inactive';
}

/** The whole directory by login (a few dozen people). */
export async function loadDirectory(model: ReadModel): Promise<Map<string, StaffRow>> {
  return new Map((await model.staff.toArray()).map((s) => [s.login, s]));
}

/** The directory, people in alphabetical order of their names. */
export async function staffDirectory(model: ReadModel): Promise<StaffRow[]> {
  const all = await model.staff.toArray();
  return all.sort((a, b) => a.fullName.localeCompare(b.fullName, 'kk') || a.login.localeCompare(b.login));
}

/** An active executor the head may choose, with what they have open now. */
export interface ExecutorChoice {
  login: string;
  fullName: string;
  /** Open applications waiting on them. */
  open: number;
  /** Of which late now. */
  late: number;
}

/**
 * The office's active executors with their current open workload, counted on the inbox index
 * (`[queue+lateAt]`) without reading a row.
 */
export async function executorChoices(model: ReadModel, office: string, now: number): Promise<ExecutorChoice[]> {
  const people = (await staffDirectory(model)).filter((s) => isActiveExecutor(s, office));
  const index = () => model.applications.where('[queue+lateAt]');
  return Promise.all(
    people.map(async (p) => {
      const q = `executor:${p.login}`;
      const [open, late] = await Promise.all([
        index().between([q, Dexie.minKey], [q, Dexie.maxKey], true, true).count(),
        index().between([q, -Infinity], [q, now], true, false).count(),
      ]);
      return { login: p.login, fullName: p.fullName, open, late };
    }),
  );
}

/** Type-ahead: every word typed starts a word of the name or is the login's start (either script). */
export function matchExecutors<T extends { login: string; fullName: string }>(
  people: readonly T[],
  query: string,
): T[] {
  const q = query.trim();
  if (!q) return [...people];
  return people.filter((p) => matchesSearch(p.fullName, q) || p.login.startsWith(q.toLowerCase()));
}
