import type { ReportDayRow, ReportFilters, Period } from '@shared/reports';
import { OPEN_STATUSES } from '@shared/workflow';
import { isLate, judgedNow } from './inbox';
import type { ApplicationRow, ReadModel } from '../store/readModel';

/** The reports' day rows of a period (both ends included), each day's parts: a year is a few thousand rows. */
export function loadReportDays(model: ReadModel, period: Period): Promise<ReportDayRow[]> {
  return model.reportDays
    .where('[day+part]')
    .between([period.from, -Infinity], [period.to, Infinity], true, true)
    .toArray();
}

/** Application rows by id, in the order given (a drill-down's page); ids no longer there are left out. */
export async function rowsByIds(model: ReadModel, ids: readonly string[]): Promise<ApplicationRow[]> {
  const rows = await model.applications.bulkGet([...ids]);
  return rows.filter((r): r is NonNullable<typeof r> => r !== undefined);
}

/** Who holds an open application: an executor by login, else the role whose queue it waits in. */
export interface Holder {
  role: string;
  login: string | null;
}

export const holderOf = (a: Pick<ApplicationRow, 'role' | 'assignee'>): Holder => ({
  role: a.role ?? '',
  login: a.role === 'executor' ? a.assignee : null,
});
export const holderKey = (h: Holder): string => `${h.role}:${h.login ?? ''}`;

export interface HolderLoad {
  holder: Holder;
  open: number;
  overdue: number;
  atRisk: number;
  /** The earliest moment one of theirs turned late (null: none late). */
  lateSince: number | null;
}

export interface NowFigures {
  open: number;
  /** Every open application (the workload's drill-down), soonest due first. */
  openRows: ApplicationRow[];
  overdue: ApplicationRow[];
  atRisk: ApplicationRow[];
  byHolder: HolderLoad[];
}

/** Full names of the office's staff by login, from the staff directory on this desk (shared/staff). */
export async function staffNames(model: ReadModel): Promise<Map<string, string>> {
  return new Map((await model.staff.toArray()).map((s) => [s.login, s.fullName]));
}

/**
 * The office as it stands now: open applications, which are late or at risk (judged against
 * `now`, as the inbox does), and who holds them. Reads the open rows only.
 */
export async function nowFigures(model: ReadModel, now: number, filters: ReportFilters): Promise<NowFigures> {
  const open = (await model.applications.where('status').anyOf(OPEN_STATUSES).toArray())
    .filter(
      (a) =>
        (!filters.serviceId || a.serviceId === filters.serviceId) &&
        (!filters.variantId || a.variantId === filters.variantId) &&
        (!filters.channel || a.channel === filters.channel) &&
        (!filters.executor || a.assignee === filters.executor),
    )
    .map((a) => judgedNow(a, now));
  const byHolder = new Map<string, HolderLoad>();
  const overdue: ApplicationRow[] = [];
  const atRisk: ApplicationRow[] = [];
  for (const a of open) {
    const holder = holderOf(a);
    const key = holderKey(holder);
    let h = byHolder.get(key);
    if (!h) byHolder.set(key, (h = { holder, open: 0, overdue: 0, atRisk: 0, lateSince: null }));
    h.open++;
    if (isLate(a, now)) {
      overdue.push(a);
      h.overdue++;
      const since = Math.min(a.dueAt ?? Infinity, a.stepDueAt ?? Infinity);
      h.lateSince = h.lateSince === null ? since : Math.min(h.lateSince, since);
    } else if (a.atRisk === 1) {
      atRisk.push(a);
      h.atRisk++;
    }
  }
  const lateAt = (a: ApplicationRow): number => Math.min(a.dueAt ?? Infinity, a.stepDueAt ?? Infinity);
  overdue.sort((a, b) => lateAt(a) - lateAt(b) || (a.appId < b.appId ? -1 : 1));
  atRisk.sort((a, b) => lateAt(a) - lateAt(b) || (a.appId < b.appId ? -1 : 1));
  const openRows = [...open].sort((a, b) => lateAt(a) - lateAt(b) || (a.appId < b.appId ? -1 : 1));
  return {
    open: open.length,
    openRows,
    overdue,
    atRisk,
    byHolder: [...byHolder.values()].sort((a, b) => b.overdue - a.overdue || b.open - a.open),
  };
}
