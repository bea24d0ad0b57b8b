import {
  CON_HOURS,
  CalendarError,
  PROVIDER_HOURS,
  PROVIDER_HOURS_LONG,
  dueAt as calendarDueAt,
  workingMinutesBetween,
  type OfficeHours,
  type WorkCalendar,
} from '../calendar';
import type { Extension, Norm, ServiceDefinition, Step, TermChange, Variant } from '../catalogue/schema';
import { actProblems, type ActValues } from '../catalogue/act';
import {
  compareEvents,
  type ActorRef,
  type EventDoc,
  type EventKind,
  type Representative,
  type StaffRole,
} from '../events/event';

/**
 * The workflow engine: a pure function of (service definition, events, calendar, now). Every
 * replica folds the same events in the same (HLC, device) order and so reaches the same state;
 * an event that is no longer possible when its turn comes (a colleague on another desk acted
 * first) is kept and reported as superseded, never dropped silently.
 */

export type Status =
  /** Someone in the office must act. */
  | 'in_progress'
  /** Waiting for the applicant (guarantee documents, originals…). */
  | 'waiting_applicant'
  /** The result was handed over; the application is closed. */
  | 'closed'
  | 'refused_at_intake'
  | 'withdrawn'
  /** Closed because the applicant never brought what was asked for. */
  | 'not_supplied';

export type Outcome = 'approved' | 'refused' | null;

export interface HistoryEntry {
  stepId: string;
  startedAt: number;
  doneAt: number;
  by: ActorRef | null;
  /** The event that closed the step (null for steps done automatically). */
  eventId: string | null;
  outcome: 'done' | 'skipped' | 'approved' | 'refused' | 'expired' | 'auto' | 'returned';
  norm: Norm | null;
  dueAt: number | null;
  /** Working minutes the step took, in the office's hours. */
  workingMinutes: number | null;
  overNorm: boolean;
}

export interface Superseded {
  eventId: string;
  kind: EventKind;
  actor: ActorRef;
  at: string;
  /** Why it no longer applied: a translatable code. */
  reason:
    | 'workflow.stepAlreadyDone'
    | 'workflow.closed'
    | 'workflow.notAllowed'
    | 'workflow.overridden'
    | 'workflow.actInvalid';
  /** The event that won, when there is one. */
  by: string | null;
}

export interface AttachmentEntry {
  eventId: string;
  name: string;
  contentType: string;
  size: number;
  at: string;
  by: ActorRef;
}

/** An extension of the terms recorded on this application, with the due times it changed. */
export interface AppliedExtension {
  extensionId: string;
  /** The regulation's ground, from the definition. */
  ground: Extension['ground'];
  reason: string;
  stepId: string;
  eventId: string;
  at: string;
  by: ActorRef;
  dueBefore: number | null;
  dueAfter: number | null;
  stepDueBefore: number | null;
  stepDueAfter: number | null;
}

/**
 * A letter the office sent out, registered under its own outgoing number (журнал исходящей
 * корреспонденции): a written notice, or the result itself.
 */
export interface OutgoingLetter {
  number: string;
  kind: 'notice' | 'result';
  eventId: string;
  stepId: string;
  at: number;
  by: ActorRef;
}

/** An inspection act recorded at a visit step. */
export interface ActEntry {
  eventId: string;
  stepId: string;
  values: ActValues;
  at: string;
  by: ActorRef;
}

export interface Assignee {
  login: string;
  name: string;
}

export interface ApplicationState {
  appId: string;
  registered: EventDoc<'registered'> | EventDoc<'intake_refused'> | null;
  service: ServiceDefinition | null;
  variant: Variant | null;
  status: Status;
  outcome: Outcome;
  /** The legal ground given with the latest refusal (мотивированный отказ), for the notification. */
  refusalGround: string | null;
  /** How the result was handed over, once it was; to whom, when a representative took it by proxy. */
  issued: {
    eventId: string;
    mode: string;
    tracking: string | null;
    proxy: Representative | null;
    at: string;
    by: ActorRef;
  } | null;
  /** The step to be done now, and who must do it. */
  step: Step | null;
  role: StaffRole | null;
  assignee: Assignee | null;
  registeredAt: number | null;
  stepStartedAt: number | null;
  stepDueAt: number | null;
  dueAt: number | null;
  closedAt: number | null;
  overdue: boolean;
  stepOverdue: boolean;
  atRisk: boolean;
  /** The step's own limit falls after the overall deadline: the regulation conflicts with itself. */
  stepBeyondDeadline: boolean;
  history: HistoryEntry[];
  superseded: Superseded[];
  /** Scans and photos in the file, in the order they were added. */
  attachments: AttachmentEntry[];
  /** Longer terms recorded mid-case, in the order they were applied. */
  extensions: AppliedExtension[];
  /** Inspection acts drawn up at visit steps, oldest first (a later act for a step stands). */
  acts: ActEntry[];
  /** Letters sent out with their outgoing numbers, oldest first. */
  letters: OutgoingLetter[];
  /** Events that are malformed or belong to no known service: kept out of the fold, shown. */
  problems: { eventId: string; code: string }[];
  /** The calendar year the deadlines needed but the calendar lacks: an explicit gap, not a guess. */
  calendarMissingYear: number | null;
  eventCount: number;
  lastEventAt: number | null;
}

export interface EngineInput {
  appId: string;
  events: readonly EventDoc[];
  /** Finds the definition an application was registered under. */
  service: (serviceId: string, version: string) => ServiceDefinition | undefined;
  calendar: WorkCalendar;
  now: number;
}

export function officeHoursOf(service: ServiceDefinition): OfficeHours {
  switch (service.officeHours) {
    case 'provider_long':
      return PROVIDER_HOURS_LONG;
    case 'con':
      return CON_HOURS;
    default:
      return PROVIDER_HOURS;
  }
}

/** Steps the engine records itself: automated portal checks happen before the desk sees the case. */
function isAutomatic(step: Step): boolean {
  return step.actor === 'system' && (step.kind === 'system' || step.kind === 'submit');
}

/** The leading steps that registration itself covers: submission, intake, consent. */
const INTAKE_KINDS = new Set<Step['kind']>(['submit', 'intake', 'consent']);

/** The staff role that records a step. The clerk records what the applicant brings. */
export function roleForStep(step: Step): StaffRole {
  switch (step.actor) {
    case 'clerk':
    case 'applicant':
      return 'clerk';
    case 'head':
      return 'head';
    case 'commission':
      return 'commission';
    default:
      return 'executor';
  }
}

/** The event kinds that complete a step of this kind. */
export function completingKinds(step: Step): EventKind[] {
  const kinds = ownKinds(step);
  // A step that runs only when its condition holds can be marked as not applying.
  return step.condition && !kinds.includes('step_done') ? [...kinds, 'step_done'] : kinds;
}

function ownKinds(step: Step): EventKind[] {
  if (step.actor === 'applicant' || step.kind === 'applicant_wait') return ['documents_received', 'wait_expired'];
  switch (step.kind) {
    case 'assign':
      return ['resolution'];
    case 'commission':
      return ['commission_decision'];
    case 'sign':
      return ['signed'];
    case 'issue':
    case 'mail':
      return ['issued'];
    default:
      return ['step_done'];
  }
}

/**
 * Steps where the actor chooses between going on and refusing. Preparing the result is one: the
 * regulations have the executor draft either the result or the motivated refusal.
 */
export function decides(step: Step): boolean {
  return step.kind === 'decision' || step.kind === 'review' || step.kind === 'prepare' || step.kind === 'commission';
}

export interface AllowedAction {
  kind: EventKind;
  stepId: string | null;
  /** For step_done: the outcomes the actor may choose. */
  outcomes?: ('done' | 'skipped' | 'approved' | 'refused')[];
  /** For deadline_extended: the regulation's extensions that may be recorded now. */
  extensions?: string[];
}

/** The variant's extensions that may still be recorded on the current step (each once per application). */
export function availableExtensions(state: ApplicationState): Extension[] {
  const step = state.step;
  if (!step || !state.variant || isFinal(state.status)) return [];
  return (state.variant.extensions ?? []).filter(
    (x) => x.during.includes(step.id) && !state.extensions.some((a) => a.extensionId === x.id),
  );
}

/**
 * Whether an action sends a letter out, and so takes the next outgoing number (исходящий номер)
 * on the desk that records it. The regulations register a letter in the outgoing journal when it
 * leaves the office, after the head's signature and before or at the issue: «подписывает
 * уведомление, передает специалисту для регистрации в журнале исходящей корреспонденции» and
 * «регистрирует в журнале исходящей корреспонденции и выдает» (004/1, 004/3), «регистрирует
 * разрешение или уведомление, передает в канцелярию» (003). So:
 * - a written notice (`notify` step done) is a letter of its own (004/13's notification of the
 *   decision, the permit services' notices and summonses);
 * - the result is registered once: at the `register_outgoing` step where the regulation has one,
 *   else when it is issued (in person, by post, to the portal…).
 * The signature itself takes no number: not everything signed leaves the office (004/17 step 5
 * signs internal «информация к пакету документов»), and a signed letter may wait for the applicant.
 */
export function outgoingLetter(
  state: ApplicationState,
  kind: EventKind,
  payload: { stepId?: string; outcome?: string },
): OutgoingLetter['kind'] | null {
  const step = state.step;
  if (!step || payload.stepId !== step.id || isFinal(state.status)) return null;
  if (kind === 'step_done' && payload.outcome !== 'skipped') {
    if (step.kind === 'notify') return 'notice';
    if (step.kind === 'register_outgoing') return state.letters.some((l) => l.kind === 'result') ? null : 'result';
  }
  if (kind === 'issued') return state.letters.some((l) => l.kind === 'result') ? null : 'result';
  return null;
}

/** What a person in `role` may record now. The UI offers exactly this; the fold enforces it. */
export function allowedActions(state: ApplicationState, role: StaffRole): AllowedAction[] {
  if (!state.registered || state.registered.kind !== 'registered' || isFinal(state.status)) return [];
  const out: AllowedAction[] = [];
  const step = state.step;
  if (step && roleForStep(step) === role) {
    for (const kind of completingKinds(step)) {
      if (kind === 'step_done') {
        const outcomes: AllowedAction['outcomes'] = !ownKinds(step).includes('step_done')
          ? []
          : step.kind === 'decision'
            ? ['approved', 'refused']
            : decides(step)
              ? ['done', 'refused']
              : ['done'];
        if (mayDecline(state, step)) outcomes.push('skipped');
        // A step that can only be declined, when declining is not allowed, offers nothing.
        if (outcomes.length > 0) out.push({ kind, stepId: step.id, outcomes });
      } else out.push({ kind, stepId: step.id });
    }
    const extensions = availableExtensions(state).map((x) => x.id);
    if (extensions.length > 0) out.push({ kind: 'deadline_extended', stepId: step.id, extensions });
  }
  if (role === 'head') {
    if (state.assignee) out.push({ kind: 'reassigned', stepId: null });
    if (step && reworkTarget(state) !== null && roleForStep(step) === 'head' && step.kind === 'sign')
      out.push({ kind: 'returned', stepId: step.id });
  }
  if (role === 'clerk') out.push({ kind: 'withdrawn', stepId: null });
  return out;
}

const HAND_OVER = new Set<Step['kind']>(['issue', 'mail']);

/**
 * Whether the actor may mark a conditional step as not applying. Alternative hand-overs (in
 * person if the applicant comes, by post if not) cannot all be declined: once one was marked as
 * not applying and nothing has been handed over, the next one must be done.
 */
function mayDecline(state: ApplicationState, step: Step): boolean {
  if (!step.condition) return false;
  if (!HAND_OVER.has(step.kind) || state.issued) return true;
  const kindOf = (id: string): Step['kind'] | undefined => state.variant?.steps.find((x) => x.id === id)?.kind;
  return !state.history.some((h) => {
    const kind = kindOf(h.stepId);
    return h.outcome === 'skipped' && h.by !== null && kind !== undefined && HAND_OVER.has(kind);
  });
}

/** Every status, in the order lists offer them. */
export const STATUSES: readonly Status[] = [
  'in_progress',
  'waiting_applicant',
  'closed',
  'refused_at_intake',
  'withdrawn',
  'not_supplied',
];
/** Someone still has to act: the open statuses (the rest are final). */
export const OPEN_STATUSES: readonly Status[] = ['in_progress', 'waiting_applicant'];

export function isFinal(status: Status): boolean {
  return !OPEN_STATUSES.includes(status);
}

/** The latest executor step already done: where a returned application goes back to. */
function reworkTarget(state: ApplicationState): string | null {
  const variant = state.variant;
  if (!variant) return null;
  for (let i = state.history.length - 1; i >= 0; i--) {
    const h = state.history[i];
    const s = h && variant.steps.find((x) => x.id === h.stepId);
    if (s && s.actor === 'executor' && h?.outcome !== 'auto') return s.id;
  }
  return null;
}

function emptyState(appId: string): ApplicationState {
  return {
    appId,
    registered: null,
    service: null,
    variant: null,
    status: 'in_progress',
    outcome: null,
    refusalGround: null,
    issued: null,
    step: null,
    role: null,
    assignee: null,
    registeredAt: null,
    stepStartedAt: null,
    stepDueAt: null,
    dueAt: null,
    closedAt: null,
    overdue: false,
    stepOverdue: false,
    atRisk: false,
    stepBeyondDeadline: false,
    history: [],
    superseded: [],
    attachments: [],
    extensions: [],
    acts: [],
    letters: [],
    problems: [],
    calendarMissingYear: null,
    eventCount: 0,
    lastEventAt: null,
  };
}

/** Folds an application's events (delivered in any order) into its state. */
export function fold(input: EngineInput): ApplicationState {
  const events = [...input.events].filter((e) => e.appId === input.appId).sort(compareEvents);
  const f = new Folder(input);
  for (const e of events) f.apply(e);
  return f.finish();
}

class Folder {
  private readonly s: ApplicationState;
  private hours: OfficeHours = PROVIDER_HOURS;
  private stepIndex = -1;
  /** The event that set the current assignee, for reporting an overridden resolution. */
  private assignedBy: string | null = null;
  /** Step norms changed by recorded extensions, by step id. */
  private readonly stepChanges = new Map<string, TermChange>();

  constructor(private readonly input: EngineInput) {
    this.s = emptyState(input.appId);
  }

  private due(from: number, norm: Norm | null): number | null {
    if (!norm) return null;
    const base = norm.from === 'registration' && this.s.registeredAt !== null ? this.s.registeredAt : from;
    return this.after(base, norm);
  }

  /** The end of a term of `norm` started at `from` (null when the calendar lacks the year). */
  private after(from: number, norm: Norm): number | null {
    try {
      return calendarDueAt(this.input.calendar, this.hours, from, norm);
    } catch (e) {
      if (e instanceof CalendarError) {
        this.s.calendarMissingYear = e.year;
        return null;
      }
      throw e;
    }
  }

  /** A step's norm as extensions recorded so far have set it. */
  private normOf(step: Step): Norm | null {
    return this.stepChanges.get(step.id)?.set ?? step.norm;
  }

  /** A step's due time when started at `at`, with any extension recorded for it. */
  private stepDue(step: Step, at: number): number | null {
    const due = this.due(at, this.normOf(step));
    const add = this.stepChanges.get(step.id)?.add;
    return add && due !== null ? this.after(due, add) : due;
  }

  private minutes(a: number, b: number): number | null {
    try {
      return workingMinutesBetween(this.input.calendar, this.hours, a, b);
    } catch (e) {
      if (e instanceof CalendarError) {
        this.s.calendarMissingYear = e.year;
        return null;
      }
      throw e;
    }
  }

  private supersede(e: EventDoc, reason: Superseded['reason'], by: string | null = null): void {
    this.s.superseded.push({ eventId: e._id, kind: e.kind, actor: e.actor, at: e.at, reason, by });
  }

  /** Whether a step applies to this application at all (channel and branch). */
  private applies(step: Step): boolean {
    const channel = this.s.registered?.payload.channel;
    if (step.channel && step.channel !== channel) return false;
    if (step.branch === 'positive' && this.s.outcome === 'refused') return false;
    if (step.branch === 'negative' && this.s.outcome !== 'refused') return false;
    return true;
  }

  /** Moves to the next step that applies, recording automatic steps on the way. */
  private advance(at: number): void {
    const steps = this.s.variant?.steps ?? [];
    // The last step of an early exit (a refused package returned) ends the case here.
    const first = this.s.step?.closes ? steps.length : this.stepIndex + 1;
    for (let i = first; i < steps.length; i++) {
      const step = steps[i];
      if (!step || !this.applies(step)) continue;
      // A conditional step after the result was handed over ("if the applicant does not come,
      // send it by post") no longer applies: recorded as not needed, not left for someone to mark.
      const moot = step.condition !== undefined && this.s.issued !== null;
      if (isAutomatic(step) || moot) {
        this.s.history.push({
          stepId: step.id,
          startedAt: at,
          doneAt: at,
          by: null,
          eventId: null,
          outcome: moot ? 'skipped' : 'auto',
          norm: step.norm,
          dueAt: null,
          workingMinutes: 0,
          overNorm: false,
        });
        continue;
      }
      this.enter(i, at);
      return;
    }
    // Past the last step: the result has been handed over.
    this.stepIndex = steps.length;
    this.s.step = null;
    this.s.role = null;
    this.s.stepStartedAt = null;
    this.s.stepDueAt = null;
    if (!isFinal(this.s.status)) {
      this.s.status = 'closed';
      this.s.closedAt = at;
    }
  }

  private enter(index: number, at: number): void {
    const step = this.s.variant?.steps[index] ?? null;
    this.stepIndex = index;
    this.s.step = step;
    this.s.role = step ? roleForStep(step) : null;
    this.s.stepStartedAt = at;
    this.s.stepDueAt = step ? this.stepDue(step, at) : null;
    this.s.status =
      step && (step.actor === 'applicant' || step.kind === 'applicant_wait') ? 'waiting_applicant' : 'in_progress';
  }

  private complete(e: EventDoc | null, outcome: HistoryEntry['outcome'], at: number): void {
    const step = this.s.step;
    if (!step || this.s.stepStartedAt === null) return;
    const dueAt = this.s.stepDueAt;
    this.s.history.push({
      stepId: step.id,
      startedAt: this.s.stepStartedAt,
      doneAt: at,
      by: e?.actor ?? null,
      eventId: e?._id ?? null,
      outcome,
      norm: this.normOf(step),
      dueAt,
      workingMinutes: this.minutes(this.s.stepStartedAt, at),
      overNorm: dueAt !== null && at > dueAt,
    });
  }

  private register(e: EventDoc<'registered'> | EventDoc<'intake_refused'>, at: number): void {
    const p = e.payload;
    const service = this.input.service(p.serviceId, p.serviceVersion);
    const variant = service?.variants.find((v) => v.id === p.variantId);
    if (!service || !variant) {
      this.s.problems.push({ eventId: e._id, code: 'workflow.unknownService' });
      return;
    }
    this.s.registered = e;
    this.s.service = service;
    this.s.variant = variant;
    this.hours = officeHoursOf(service);
    this.s.registeredAt = at;
    if (e.kind === 'intake_refused') {
      this.s.status = 'refused_at_intake';
      this.s.outcome = 'refused';
      this.s.closedAt = at;
      return;
    }
    this.s.dueAt = this.due(at, variant.deadline);
    // Registration covers the leading submission, intake and consent steps.
    let i = 0;
    while (i < variant.steps.length) {
      const step = variant.steps[i];
      if (!step || !(INTAKE_KINDS.has(step.kind) || !this.applies(step) || isAutomatic(step))) break;
      if (this.applies(step))
        this.s.history.push({
          stepId: step.id,
          startedAt: at,
          doneAt: at,
          by: e.actor,
          eventId: e._id,
          outcome: isAutomatic(step) ? 'auto' : 'done',
          norm: step.norm,
          dueAt: null,
          workingMinutes: 0,
          overNorm: false,
        });
      i++;
    }
    this.stepIndex = i - 1;
    this.advance(at);
  }

  apply(e: EventDoc): void {
    this.s.eventCount++;
    const at = Date.parse(e.at);
    this.s.lastEventAt = this.s.lastEventAt === null ? at : Math.max(this.s.lastEventAt, at);

    if (e.kind === 'registered' || e.kind === 'intake_refused') {
      if (this.s.registered) return this.supersede(e, 'workflow.stepAlreadyDone', this.s.registered._id);
      return this.register(e, at);
    }
    if (!this.s.registered) {
      this.s.problems.push({ eventId: e._id, code: 'workflow.notRegistered' });
      return;
    }
    // A scan can be added to the file at any time, closed or not: it changes no step.
    if (e.kind === 'attachment_added') {
      const p = e.payload;
      this.s.attachments.push({
        eventId: e._id,
        name: p.name,
        contentType: p.contentType,
        size: p.size,
        at: e.at,
        by: e.actor,
      });
      return;
    }
    if (isFinal(this.s.status)) return this.supersede(e, 'workflow.closed');

    switch (e.kind) {
      case 'act_recorded':
        return this.recordAct(e);
      case 'withdrawn':
        this.complete(e, 'done', at);
        this.s.status = 'withdrawn';
        this.s.closedAt = at;
        this.s.step = null;
        this.s.role = null;
        return;
      case 'reassigned':
        if (!this.s.assignee) return this.supersede(e, 'workflow.notAllowed');
        this.s.assignee = { login: e.payload.executor, name: e.payload.executorName };
        this.assignedBy = e._id;
        return;
      case 'returned':
        return this.rework(e, at);
      case 'deadline_extended':
        return this.extend(e);
      case 'resolution':
        // Two heads (or one head on two desks) assigned at once: the later resolution wins and the
        // earlier one is reported, instead of refusing the later one as "step already done".
        if (this.s.step?.kind !== 'assign' && this.s.assignee && this.assignedBy) {
          const previous = this.assignedBy;
          this.s.assignee = { login: e.payload.executor, name: e.payload.executorName };
          this.assignedBy = e._id;
          this.s.superseded.push({
            eventId: previous,
            kind: 'resolution',
            actor: this.s.history.find((h) => h.eventId === previous)?.by ?? e.actor,
            at: e.at,
            reason: 'workflow.overridden',
            by: e._id,
          });
          return;
        }
        break;
      default:
        break;
    }

    const step = this.s.step;
    const stepId = 'stepId' in e.payload ? e.payload.stepId : null;
    if (!step || stepId !== step.id) {
      const done = this.s.history.find((h) => h.stepId === stepId && h.eventId !== null);
      return this.supersede(e, done ? 'workflow.stepAlreadyDone' : 'workflow.notAllowed', done?.eventId ?? null);
    }
    if (!completingKinds(step).includes(e.kind) || roleForStep(step) !== e.actor.role)
      return this.supersede(e, 'workflow.notAllowed');

    switch (e.kind) {
      case 'resolution':
        this.s.assignee = { login: e.payload.executor, name: e.payload.executorName };
        this.assignedBy = e._id;
        this.complete(e, 'done', at);
        return this.advance(at);
      case 'step_done': {
        const o = e.payload.outcome;
        const valid = !ownKinds(step).includes('step_done')
          ? o === 'skipped' && mayDecline(this.s, step)
          : step.kind === 'decision'
            ? o === 'approved' || o === 'refused' || (o === 'skipped' && mayDecline(this.s, step))
            : o === 'done' || (o === 'refused' && decides(step)) || (o === 'skipped' && mayDecline(this.s, step));
        if (!valid) return this.supersede(e, 'workflow.notAllowed');
        if (o === 'refused') {
          this.s.outcome = 'refused';
          this.s.refusalGround = e.payload.ground ?? this.s.refusalGround;
        }
        if (o === 'approved') this.s.outcome = 'approved';
        if (o !== 'skipped') this.letter(e, e.payload.outgoingNumber, step.kind === 'notify' ? 'notice' : 'result', at);
        this.complete(e, o, at);
        return this.advance(at);
      }
      case 'commission_decision':
        // A recommendation leaves the decision to the next decision step; its refusal still
        // routes the case to the refusal path unless the head decides otherwise there.
        this.s.outcome = e.payload.decision;
        if (e.payload.decision === 'refused') this.s.refusalGround = e.payload.ground ?? this.s.refusalGround;
        this.complete(e, e.payload.decision, at);
        return this.advance(at);
      case 'signed':
      case 'documents_received':
        this.complete(e, 'done', at);
        return this.advance(at);
      case 'issued':
        this.letter(e, e.payload.outgoingNumber, 'result', at);
        this.s.issued = {
          eventId: e._id,
          mode: e.payload.mode,
          tracking: e.payload.tracking ?? null,
          proxy: e.payload.proxy ?? null,
          at: e.at,
          by: e.actor,
        };
        this.complete(e, 'done', at);
        return this.advance(at);
      case 'wait_expired':
        return this.expire(e, step, at);
      default:
        return this.supersede(e, 'workflow.notAllowed');
    }
  }

  /**
   * An inspection act: on the visit step now due, by the role acting on it, with entries its form
   * accepts. It records the visit; the step is then done as any other.
   */
  private recordAct(e: EventDoc<'act_recorded'>): void {
    const step = this.s.step;
    if (!step || step.id !== e.payload.stepId || !step.act || roleForStep(step) !== e.actor.role)
      return this.supersede(e, 'workflow.notAllowed');
    if (actProblems(step.act, e.payload.values).length > 0) return this.supersede(e, 'workflow.actInvalid');
    this.s.acts.push({ eventId: e._id, stepId: step.id, values: e.payload.values, at: e.at, by: e.actor });
  }

  /** Registers the letter an accepted event sent out under the outgoing number it carries. */
  private letter(e: EventDoc, number: string | undefined, kind: OutgoingLetter['kind'], at: number): void {
    if (number === undefined || this.s.step === null) return;
    this.s.letters.push({ number, kind, eventId: e._id, stepId: this.s.step.id, at, by: e.actor });
  }

  /**
   * A longer term on a ground the regulation names: recorded on one of its `during` steps by the
   * role acting on that step, once per application. The overall due time and the step norms change
   * from now on; what was already done keeps the norm it was done under.
   */
  private extend(e: EventDoc<'deadline_extended'>): void {
    const step = this.s.step;
    const x = this.s.variant?.extensions?.find((v) => v.id === e.payload.extensionId);
    if (
      !step ||
      step.id !== e.payload.stepId ||
      roleForStep(step) !== e.actor.role ||
      !x ||
      !x.during.includes(step.id)
    )
      return this.supersede(e, 'workflow.notAllowed');
    const earlier = this.s.extensions.find((a) => a.extensionId === x.id);
    if (earlier) return this.supersede(e, 'workflow.stepAlreadyDone', earlier.eventId);
    const dueBefore = this.s.dueAt;
    const stepDueBefore = this.s.stepDueAt;
    if (x.deadline?.set && this.s.registeredAt !== null) this.s.dueAt = this.after(this.s.registeredAt, x.deadline.set);
    if (x.deadline?.add && this.s.dueAt !== null) this.s.dueAt = this.after(this.s.dueAt, x.deadline.add);
    for (const [id, change] of Object.entries(x.steps ?? {})) this.stepChanges.set(id, change);
    const change = x.steps?.[step.id];
    if (change && this.s.stepStartedAt !== null) {
      if (change.set) this.s.stepDueAt = this.due(this.s.stepStartedAt, change.set);
      else if (change.add && this.s.stepDueAt !== null) this.s.stepDueAt = this.after(this.s.stepDueAt, change.add);
    }
    this.s.extensions.push({
      extensionId: x.id,
      ground: x.ground,
      reason: e.payload.reason,
      stepId: step.id,
      eventId: e._id,
      at: e.at,
      by: e.actor,
      dueBefore,
      dueAfter: this.s.dueAt,
      stepDueBefore,
      stepDueAfter: this.s.stepDueAt,
    });
  }

  private expire(e: EventDoc<'wait_expired'>, step: Step, at: number): void {
    // Recorded early by mistake: the wait has not run out yet.
    if (this.s.stepDueAt !== null && at < this.s.stepDueAt) return this.supersede(e, 'workflow.notAllowed');
    this.complete(e, 'expired', at);
    switch (step.onExpire) {
      case 'refuse_intake':
        this.s.status = 'refused_at_intake';
        this.s.outcome = 'refused';
        this.s.closedAt = at;
        this.s.step = null;
        this.s.role = null;
        return;
      case 'mail_result':
        return this.advance(at);
      default:
        this.s.status = 'not_supplied';
        this.s.closedAt = at;
        this.s.step = null;
        this.s.role = null;
        return;
    }
  }

  private rework(e: EventDoc<'returned'>, at: number): void {
    const variant = this.s.variant;
    const target = variant?.steps.findIndex((s) => s.id === e.payload.toStepId) ?? -1;
    if (!variant || target < 0 || target >= this.stepIndex || this.s.step?.kind !== 'sign')
      return this.supersede(e, 'workflow.notAllowed');
    const targetStep = variant.steps[target];
    if (!targetStep || targetStep.actor !== 'executor') return this.supersede(e, 'workflow.notAllowed');
    this.complete(e, 'returned', at);
    // The executor decides again: a refusal made before the return no longer stands.
    this.s.outcome = null;
    this.enter(target, at);
  }

  finish(): ApplicationState {
    const s = this.s;
    const now = this.input.now;
    if (!isFinal(s.status) && s.registered) {
      s.overdue = s.dueAt !== null && now > s.dueAt;
      s.stepOverdue = s.stepDueAt !== null && now > s.stepDueAt;
      s.stepBeyondDeadline = s.stepDueAt !== null && s.dueAt !== null && s.stepDueAt > s.dueAt;
      s.atRisk = !s.overdue && this.atRisk(now);
    } else if (s.closedAt !== null) {
      // A closed case is overdue when it closed late; that is what the journals report.
      s.overdue = s.dueAt !== null && s.closedAt > s.dueAt;
    }
    return s;
  }

  /** Less than a quarter of the working time allowed is left, on the step or overall. */
  private atRisk(now: number): boolean {
    const check = (start: number | null, due: number | null): boolean => {
      if (start === null || due === null || now > due) return false;
      const total = this.minutes(start, due);
      const left = this.minutes(now, due);
      return total !== null && left !== null && total > 0 && left * 4 <= total;
    };
    return check(this.s.registeredAt, this.s.dueAt) || check(this.s.stepStartedAt, this.s.stepDueAt);
  }
}
