import type { WorkCalendar } from '../calendar';
import type { ServiceDefinition, Step } from '../catalogue/schema';
import {
  makeEvent,
  type ActorRef,
  type EventDoc,
  type EventKind,
  type PayloadOf,
  type StaffRole,
} from '../events/event';
import { tickHlc, type Hlc } from '../events/hlc';
import { allowedActions, fold, type AllowedAction, type ApplicationState } from './engine';

/**
 * Plays an application through its workflow the way the office would, one allowed action at a
 * time: used by the tests of every seed service, by the benchmark and by demo data. It goes only
 * through `allowedActions` and `fold`, so it proves the UI's path is complete.
 */
export interface DriveOptions {
  service: ServiceDefinition;
  variantId: string;
  channel?: ServiceDefinition['channels'][number];
  calendar: WorkCalendar;
  /** When registration happens. */
  start: number;
  /** Refuse at the first step that decides (review, decision, commission). */
  refuse?: boolean;
  /** Working time each action takes after the previous one (ms of wall time); default 1 hour. */
  pace?: (step: Step) => number;
  appId?: string;
  office?: string;
  device?: string;
  /** Stop after this many actions, to look at a state midway. */
  maxActions?: number;
}

export interface DriveResult {
  events: EventDoc[];
  state: ApplicationState;
}

const people: Record<StaffRole, ActorRef> = {
  clerk: { login: 'clerk1', role: 'clerk', name: 'Айгерім Сейітова' },
  head: { login: 'head1', role: 'head', name: 'Болат Жұмабеков' },
  executor: { login: 'exec1', role: 'executor', name: 'Дана Омарова' },
  commission: { login: 'comm1', role: 'commission', name: 'Ерлан Қасымов' },
  office_admin: { login: 'admin1', role: 'office_admin' },
  catalog_admin: { login: 'cat1', role: 'catalog_admin' },
  supervisor: { login: 'sup1', role: 'supervisor' },
};

export function drive(o: DriveOptions): DriveResult {
  const variant = o.service.variants.find((v) => v.id === o.variantId);
  if (!variant) throw new Error(`no variant ${o.variantId}`);
  const appId = o.appId ?? 'A1';
  const office = o.office ?? 'ALM01';
  const device = o.device ?? 'D1';
  const channel = o.channel ?? variant.channels[0] ?? 'provider_office';
  const events: EventDoc[] = [];
  let clock: Hlc | null = null;
  let now = o.start;
  const emit = <K extends EventKind>(kind: K, actor: ActorRef, payload: PayloadOf<K>): void => {
    clock = tickHlc(clock, now);
    events.push(makeEvent({ kind, appId, office, device, clock, now, actor, payload }));
  };
  const applicant: PayloadOf<'registered'>['applicant'] = o.service.recipients.includes('person')
    ? { kind: 'person', iin: '900101300017', surname: 'Сейітов', name: 'Нұрлан' }
    : { kind: 'legal_entity', bin: '940140000385', title: '«Құрылыс» ЖШС' };
  emit('registered', people.clerk, {
    serviceId: o.service.id,
    serviceVersion: o.service.version,
    variantId: variant.id,
    channel,
    regNumber: `${office}-${device}-000001`,
    applicant,
    documents: o.service.documents.items.map((d) => ({ id: d.id, received: true })),
    consent: o.service.consentRequired ? true : undefined,
  });
  const service = (): ServiceDefinition => o.service;
  let refused = false;
  for (let n = 0; ; n++) {
    const state = fold({ appId, events, service, calendar: o.calendar, now });
    const step = state.step;
    if (!step || !state.role || n === o.maxActions) return { events, state };
    if (n > 500) throw new Error('the workflow did not finish');
    now += o.pace ? o.pace(step) : 3_600_000;
    const actions = allowedActions(state, state.role).filter((a) => a.stepId === step.id);
    const action = pick(actions, step);
    if (!action) throw new Error(`no action for step ${step.id} (${step.kind}) as ${state.role}`);
    const actor = people[state.role];
    const wantsRefusal: boolean = o.refuse === true && !refused;
    switch (action.kind) {
      case 'resolution':
        emit('resolution', actor, {
          stepId: step.id,
          executor: people.executor.login,
          executorName: people.executor.name ?? '',
        });
        break;
      case 'commission_decision':
        refused ||= wantsRefusal;
        emit('commission_decision', actor, {
          stepId: step.id,
          decision: wantsRefusal || state.outcome === 'refused' ? 'refused' : 'approved',
          meetingDate: new Date(now).toISOString().slice(0, 10),
          minutesNo: '7',
        });
        break;
      case 'signed':
        emit('signed', actor, { stepId: step.id });
        break;
      case 'documents_received':
        emit('documents_received', actor, { stepId: step.id, documents: [] });
        break;
      case 'issued':
        emit('issued', actor, { stepId: step.id, mode: o.service.delivery[0] ?? 'in_person' });
        break;
      case 'step_done': {
        const outcomes = action.outcomes ?? ['done'];
        let outcome: 'done' | 'skipped' | 'approved' | 'refused' = outcomes.includes('done') ? 'done' : 'approved';
        if (wantsRefusal && outcomes.includes('refused')) {
          outcome = 'refused';
          refused = true;
        } else if (state.outcome === 'refused' && outcomes.includes('refused')) outcome = 'refused';
        else if (step.condition && outcomes.includes('skipped')) outcome = 'skipped';
        emit('step_done', actor, {
          stepId: step.id,
          outcome,
          ...(outcome === 'refused' ? { ground: 'п. 10 Стандарта' } : {}),
        });
        break;
      }
      default:
        throw new Error(`unexpected action ${action.kind}`);
    }
  }
}

function pick(actions: AllowedAction[], step: Step): AllowedAction | undefined {
  if (step.kind === 'applicant_wait' || step.actor === 'applicant')
    return actions.find((a) => a.kind === 'documents_received');
  return actions[0];
}
