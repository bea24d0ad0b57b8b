import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from '../calendar';
import { makeEvent, type ActorRef, type EventDoc, type EventKind, type PayloadOf } from '../events/event';
import { tickHlc, type Hlc } from '../events/hlc';
import { fold } from '../workflow/engine';
import { actEntries, actProblems } from './act';
import { bundledCatalogue, type ServiceDefinition } from './index';

const kz = (y: number, m: number, d: number, h = 0, min = 0): number => Date.UTC(y, m - 1, d, h - 5, min);
const service = bundledCatalogue().get('almaty-ssu-home-care', '1.2') as ServiceDefinition;
const form = service.variants[0]!.steps.find((s) => s.id === 's5')!.act!;
const complete = {
  settlement: 'Алматы',
  'lives-alone': true,
  housing: 'own',
  'housing-state': 'Екі бөлмелі пәтер, жылу бар',
  'self-care': 'partial',
  'care-needs': 'Күнделікті күтім',
  acquainted: true,
};

describe('an inspection act’s entries against its form', () => {
  it('a complete act has no problem; an empty one lists every required field', () => {
    expect(actProblems(form, complete)).toEqual([]);
    expect(actProblems(form, {}).map((p) => p.field)).toEqual(form.fields.filter((f) => f.required).map((f) => f.id));
  });

  it('refuses a wrong type, an unknown option, an unknown field and a date not YYYY-MM-DD', () => {
    expect(actProblems(form, { ...complete, 'lives-alone': 'yes' })).toEqual([{ field: 'lives-alone', code: 'type' }]);
    expect(actProblems(form, { ...complete, 'self-care': 'some' })).toEqual([
      { field: 'self-care', code: 'unknownOption' },
    ]);
    expect(actProblems(form, { ...complete, extra: 'x' })).toEqual([{ field: 'extra', code: 'unknownField' }]);
    const withDate = { ...form, fields: [...form.fields, { id: 'visited', type: 'date' as const, label: form.title }] };
    expect(actProblems(withDate, { ...complete, visited: '03.04.2026' })).toEqual([{ field: 'visited', code: 'date' }]);
    expect(actProblems(withDate, { ...complete, visited: '2026-04-03' })).toEqual([]);
  });

  it('blank entries are not recorded, and a blank required entry is missing', () => {
    expect(actEntries({ ...complete, housing: ' ' })).not.toHaveProperty('housing');
    expect(actProblems(form, { ...complete, settlement: '  ' })).toEqual([{ field: 'settlement', code: 'required' }]);
  });
});

describe('the act in the fold (event act_recorded)', () => {
  const clerk: ActorRef = { login: 'clerk1', role: 'clerk' };
  const head: ActorRef = { login: 'head1', role: 'head' };
  const worker: ActorRef = { login: 'sw1', role: 'executor', name: 'Дана' };
  function application() {
    let clock: Hlc | null = null;
    const events: EventDoc[] = [];
    const add = <K extends EventKind>(when: number, kind: K, actor: ActorRef, payload: PayloadOf<K>): EventDoc => {
      clock = tickHlc(clock, when);
      const e = makeEvent({ kind, appId: 'A1', office: 'ALM01', device: 'D1', clock, now: when, actor, payload });
      events.push(e);
      return e;
    };
    add(kz(2026, 4, 3, 10), 'registered', clerk, {
      serviceId: service.id,
      serviceVersion: service.version,
      variantId: 'provider',
      channel: 'provider_office',
      regNumber: 'ALM01-D1-000001',
      applicant: { kind: 'person', iin: '900101300017', surname: 'Сейітов', name: 'Нұрлан' },
      documents: [{ id: 'application', received: true }],
    });
    const state = () =>
      fold({ appId: 'A1', events, service: () => service, calendar: DEFAULT_CALENDAR, now: kz(2026, 4, 9, 18) });
    return { add, state };
  }

  it('is recorded at the visit step by the social worker; a second act stands over the first; the step then completes', () => {
    const app = application();
    // Too early: the documents have not reached the social worker.
    const early = app.add(kz(2026, 4, 3, 10, 30), 'act_recorded', worker, { stepId: 's5', values: complete });
    app.add(kz(2026, 4, 3, 11), 'resolution', head, { stepId: 's3', executor: 'sw1', executorName: 'Дана' });
    app.add(kz(2026, 4, 3, 12), 'step_done', clerk, { stepId: 's4', outcome: 'done' });
    const first = app.add(kz(2026, 4, 8, 11), 'act_recorded', worker, { stepId: 's5', values: complete });
    const second = app.add(kz(2026, 4, 8, 12), 'act_recorded', worker, {
      stepId: 's5',
      values: { ...complete, 'self-care': 'none' },
    });
    let s = app.state();
    expect(s.superseded.map((x) => [x.eventId, x.reason])).toEqual([[early._id, 'workflow.notAllowed']]);
    expect(s.acts.map((a) => a.eventId)).toEqual([first._id, second._id]);
    expect(s.step?.id).toBe('s5');
    app.add(kz(2026, 4, 9, 15), 'step_done', worker, { stepId: 's5', outcome: 'done' });
    s = app.state();
    expect(s.step?.id).toBe('s5b');
    expect(s.acts.at(-1)?.values['self-care']).toBe('none');
  });

  it('an act not by the step’s role, or not as its form says, is kept out and shown as such', () => {
    const app = application();
    app.add(kz(2026, 4, 3, 11), 'resolution', head, { stepId: 's3', executor: 'sw1', executorName: 'Дана' });
    app.add(kz(2026, 4, 3, 12), 'step_done', clerk, { stepId: 's4', outcome: 'done' });
    const byClerk = app.add(kz(2026, 4, 8, 11), 'act_recorded', clerk, { stepId: 's5', values: complete });
    const partial = app.add(kz(2026, 4, 8, 12), 'act_recorded', worker, { stepId: 's5', values: { settlement: 'X' } });
    const s = app.state();
    expect(s.acts).toEqual([]);
    expect(s.superseded.map((x) => [x.eventId, x.reason])).toEqual([
      [byClerk._id, 'workflow.notAllowed'],
      [partial._id, 'workflow.actInvalid'],
    ]);
  });
});
