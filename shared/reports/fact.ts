import { CalendarError, toLocalDate, workingMinutesBetween, type WorkCalendar } from '../calendar';
import type { Norm } from '../catalogue/schema';
import { OPEN_STATUSES, officeHoursOf, type ApplicationState, type Outcome, type Status } from '../workflow/engine';

/**
 * What the reports know of one application: its service, channel, dates, result and each pass
 * through a step measured against the step's norm, in working minutes of the office's hours. No
 * applicant, no number, nothing personal: the same fact feeds the desk's reports (read model) and
 * the regional figures on central (a reports database that supervisors may read).
 *
 * Counting rules (the reports' legend says the same):
 * - an application counts under the service, variant and channel it was registered with, measured
 *   against the deadline and step norms of the regulation version it was registered under (its
 *   version never changes; the version is kept so step norms are never mixed across versions);
 * - a deadline extended on a ground the regulation names is the deadline it is measured against;
 * - an application returned for rework counts once in the deadline figures, by its final result;
 *   in the step figures every pass through a step counts, the return ending the head's pass.
 */
export interface StepFact {
  stepId: string;
  /** When the pass ended (ms), and its local date 'YYYY-MM-DD' (Kazakhstan time). */
  doneAt: number;
  doneDay: string;
  /** Whole working minutes the pass took in the office's hours; null when the calendar lacks a year. */
  minutes: number | null;
  /** The norm the pass was measured against (`normKey`), null when the regulation gives none. */
  norm: string | null;
  /** Ended after its due time. */
  late: boolean;
  /** The pass was ended by the head returning the work for rework. */
  returned: boolean;
}

export interface ReportFact {
  appId: string;
  office: string;
  serviceId: string;
  serviceVersion: string;
  variantId: string;
  channel: string;
  /** The executor the head assigned (the last one, after reassignments), if any. */
  executor: string | null;
  /** Accepted and registered, or refused at intake (never registered: an intake refusal). */
  intake: 'registered' | 'refused';
  registeredAt: number;
  registeredDay: string;
  status: Status;
  outcome: Outcome;
  closedAt: number | null;
  closedDay: string | null;
  /** The overall deadline, extensions included; null when the regulation gives none or a year is missing. */
  dueAt: number | null;
  /** For a result handed over (status `closed`): after its deadline. Null otherwise or without a deadline. */
  late: boolean | null;
  /** Whole working minutes from registration to closure, for a result handed over. */
  minutes: number | null;
  /** Extensions of the terms recorded. */
  extended: number;
  /** Times the head returned the work for rework. */
  returned: number;
  steps: StepFact[];
}

/** A norm as one short string: `5:working_days`, `1:same_working_day:r` (counted from registration). */
export function normKey(norm: Norm | null): string | null {
  if (!norm) return null;
  return `${norm.value}:${norm.unit}${norm.from === 'registration' ? ':r' : ''}`;
}

export function parseNormKey(key: string): { value: number; unit: Norm['unit']; fromRegistration: boolean } | null {
  const [value, unit, r] = key.split(':');
  if (value === undefined || unit === undefined) return null;
  return { value: Number(value), unit: unit as Norm['unit'], fromRegistration: r === 'r' };
}

export const isOpen = (status: Status): boolean => OPEN_STATUSES.includes(status);

/** The fact of a folded application; null when it was never registered nor refused (unknown service…). */
export function reportFact(state: ApplicationState, calendar: WorkCalendar): ReportFact | null {
  const reg = state.registered;
  if (!reg || state.registeredAt === null) return null;
  const p = reg.payload;
  let history = state.history.filter(
    (h) =>
      // Steps that registration itself covers, automatic steps and steps that did not apply.
      h.eventId !== reg._id && h.by !== null && h.outcome !== 'skipped' && h.outcome !== 'auto',
  );
  // A withdrawal ends the current step without doing it: not a pass through that step.
  if (state.status === 'withdrawn' && state.closedAt !== null) {
    const last = history[history.length - 1];
    if (last && last.doneAt === state.closedAt && last.outcome === 'done') history = history.slice(0, -1);
  }
  const closedWithResult = state.status === 'closed' && state.closedAt !== null;
  return {
    appId: state.appId,
    office: reg.office,
    serviceId: p.serviceId,
    serviceVersion: p.serviceVersion,
    variantId: p.variantId,
    channel: p.channel,
    executor: state.assignee?.login ?? null,
    intake: reg.kind === 'registered' ? 'registered' : 'refused',
    registeredAt: state.registeredAt,
    registeredDay: toLocalDate(state.registeredAt),
    status: state.status,
    outcome: state.outcome,
    closedAt: state.closedAt,
    closedDay: state.closedAt === null ? null : toLocalDate(state.closedAt),
    dueAt: state.dueAt,
    late: closedWithResult && state.dueAt !== null ? (state.closedAt as number) > state.dueAt : null,
    minutes: closedWithResult ? wholeMinutes(state, calendar, state.registeredAt, state.closedAt as number) : null,
    extended: state.extensions.length,
    returned: history.filter((h) => h.outcome === 'returned').length,
    steps: history.map((h) => ({
      stepId: h.stepId,
      doneAt: h.doneAt,
      doneDay: toLocalDate(h.doneAt),
      minutes: h.workingMinutes === null ? null : Math.round(h.workingMinutes),
      norm: normKey(h.norm),
      late: h.overNorm,
      returned: h.outcome === 'returned',
    })),
  };
}

/** Working minutes between two instants in the service's office hours; null when the calendar lacks a year. */
function wholeMinutes(state: ApplicationState, calendar: WorkCalendar, from: number, to: number): number | null {
  if (!state.service) return null;
  try {
    return Math.round(workingMinutesBetween(calendar, officeHoursOf(state.service), from, to));
  } catch (e) {
    if (e instanceof CalendarError) return null;
    throw e;
  }
}

/** What the closure counts as in the volumes. */
export type Closure = 'approved' | 'refused' | 'withdrawn' | 'notSupplied' | 'refusedAtIntake';

export function closureOf(f: Pick<ReportFact, 'status' | 'outcome'>): Closure | null {
  switch (f.status) {
    case 'closed':
      // A result handed over without a recorded decision is the positive result.
      return f.outcome === 'refused' ? 'refused' : 'approved';
    case 'withdrawn':
      return 'withdrawn';
    case 'not_supplied':
      return 'notSupplied';
    case 'refused_at_intake':
      return 'refusedAtIntake';
    default:
      return null;
  }
}

/** The local dates a fact counts on: registration, closure, the end of each step pass. */
export function factDays(f: ReportFact): string[] {
  const days = new Set<string>([f.registeredDay]);
  if (f.closedDay) days.add(f.closedDay);
  for (const s of f.steps) days.add(s.doneDay);
  return [...days];
}
