import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from '../calendar';
import { bundledCatalogue } from '../catalogue';
import { testPermitService as service } from '../../tests/fixtures/testService';
import { makeEvent, type ActorRef, type EventDoc, type EventKind, type PayloadOf } from '../events/event';
import { tickHlc, type Hlc } from '../events/hlc';
import { drive } from './drive';
import { allowedActions, fold, type ApplicationState } from './engine';

/** Kazakhstan local time (UTC+5) as an instant. */
const kz = (y: number, m: number, d: number, h = 0, min = 0): number => Date.UTC(y, m - 1, d, h - 5, min);

const clerk: ActorRef = { login: 'clerk1', role: 'clerk' };
const head: ActorRef = { login: 'head1', role: 'head' };
const head2: ActorRef = { login: 'head2', role: 'head' };
const exec: ActorRef = { login: 'exec1', role: 'executor' };
const comm: ActorRef = { login: 'comm1', role: 'commission' };

/** Events from several desks, each with its own clock. */
function desks() {
  const clocks: Record<string, Hlc | null> = {};
  return <K extends EventKind>(
    device: string,
    at: number,
    kind: K,
    actor: ActorRef,
    payload: PayloadOf<K>,
  ): EventDoc => {
    const clock = tickHlc(clocks[device] ?? null, at);
    clocks[device] = clock;
    return makeEvent({ kind, appId: 'A1', office: 'ALM01', device, clock, now: at, actor, payload });
  };
}

const registration = (channel: 'provider_office' | 'con' = 'provider_office'): PayloadOf<'registered'> => ({
  serviceId: 'test-permit',
  serviceVersion: '1',
  variantId: 'issue',
  channel,
  regNumber: 'ALM01-D1-000001',
  applicant: { kind: 'legal_entity', bin: '940140000385', title: 'ТОО «Құрылыс»' },
  documents: [{ id: 'application', received: true }],
});

const run = (events: EventDoc[], now: number): ApplicationState =>
  fold({ appId: 'A1', events, service: () => service, calendar: DEFAULT_CALENDAR, now });

describe('workflow engine on a small permit service', () => {
  it('registration covers intake; the head must give a resolution next; deadlines are working time', () => {
    const ev = desks();
    const reg = kz(2026, 3, 19, 10); // Thu; Nauryz days off 21–25 March 2026
    const s = run([ev('D1', reg, 'registered', clerk, registration())], reg + 60_000);
    expect(s.status).toBe('in_progress');
    expect(s.step?.id).toBe('s3');
    expect(s.role).toBe('head');
    expect(s.stepDueAt).toBe(kz(2026, 3, 19, 11));
    // 10 working days from the day after Thu 19 March: 20, 26, 27, 30, 31 Mar, 1, 2, 3, 6, 7 Apr.
    expect(s.dueAt).toBe(kz(2026, 4, 7, 18));
    expect(s.history.map((h) => h.stepId)).toEqual(['s1', 's2']);
    // The ЦОН-only courier step is not part of a desk application's route.
    expect(allowedActions(s, 'head').map((a) => a.kind)).toEqual(['resolution']);
    expect(allowedActions(s, 'executor')).toEqual([]);
  });

  it('an application that came through ЦОН goes through the courier step first', () => {
    const ev = desks();
    const reg = kz(2026, 4, 1, 10);
    const s = run([ev('D1', reg, 'registered', clerk, registration('con'))], reg);
    expect(s.step?.id).toBe('s2c');
    expect(s.role).toBe('clerk');
  });

  it('goes the whole way to issue on approval, waiting on the applicant for guarantees', () => {
    const ev = desks();
    const d = kz(2026, 4, 1, 10);
    const h = 3_600_000;
    const events = [
      ev('D1', d, 'registered', clerk, registration()),
      ev('D2', d + h, 'resolution', head, { stepId: 's3', executor: 'exec1', executorName: 'Дана' }),
      ev('D3', d + 2 * h, 'step_done', exec, { stepId: 's4', outcome: 'done' }),
      ev('D4', d + 3 * h, 'commission_decision', comm, {
        stepId: 's5',
        decision: 'approved',
        meetingDate: '2026-04-01',
        minutesNo: '12',
      }),
      ev('D3', d + 4 * h, 'step_done', exec, { stepId: 's6', outcome: 'done' }),
    ];
    let s = run(events, d + 4 * h);
    expect(s.status).toBe('waiting_applicant');
    expect(s.step?.id).toBe('s7');
    expect(s.assignee).toEqual({ login: 'exec1', name: 'Дана' });
    events.push(ev('D1', d + 24 * h, 'documents_received', clerk, { stepId: 's7', documents: ['guarantee'] }));
    events.push(ev('D2', d + 25 * h, 'signed', head, { stepId: 's9' }));
    s = run(events, d + 25 * h);
    expect(s.step?.id).toBe('s10');
    events.push(ev('D1', d + 26 * h, 'issued', clerk, { stepId: 's10', mode: 'in_person' }));
    s = run(events, d + 30 * 24 * h);
    expect(s.status).toBe('closed');
    expect(s.outcome).toBe('approved');
    expect(s.overdue).toBe(false);
    // The refusal-only step never ran.
    expect(s.history.map((x) => x.stepId)).not.toContain('s8');
    expect(s.superseded).toEqual([]);
  });

  it('a refusal at review skips the commission and the guarantees and goes to sign and issue', () => {
    const ev = desks();
    const d = kz(2026, 4, 1, 10);
    const events = [
      ev('D1', d, 'registered', clerk, registration()),
      ev('D2', d + 1000, 'resolution', head, { stepId: 's3', executor: 'exec1', executorName: 'Дана' }),
      ev('D3', d + 2000, 'step_done', exec, { stepId: 's4', outcome: 'refused', ground: 'п. 10' }),
    ];
    const s = run(events, d + 3000);
    expect(s.outcome).toBe('refused');
    expect(s.step?.id).toBe('s8');
  });

  it('refuses actions out of turn or by the wrong role, and reports them as superseded', () => {
    const ev = desks();
    const d = kz(2026, 4, 1, 10);
    const events = [
      ev('D1', d, 'registered', clerk, registration()),
      ev('D3', d + 1000, 'signed', head, { stepId: 's9' }),
      ev('D3', d + 2000, 'step_done', exec, { stepId: 's3', outcome: 'done' }),
    ];
    const s = run(events, d + 3000);
    expect(s.step?.id).toBe('s3');
    expect(s.superseded.map((x) => x.reason)).toEqual(['workflow.notAllowed', 'workflow.notAllowed']);
  });

  it('two heads assign different executors offline at once: the later wins, the earlier is reported', () => {
    const ev = desks();
    const d = kz(2026, 4, 1, 10);
    const reg = ev('D1', d, 'registered', clerk, registration());
    const a = ev('D2', d + 5000, 'resolution', head, { stepId: 's3', executor: 'exec1', executorName: 'Дана' });
    const b = ev('D3', d + 6000, 'resolution', head2, { stepId: 's3', executor: 'exec2', executorName: 'Марат' });
    for (const order of [
      [reg, a, b],
      [b, a, reg],
      [a, reg, b],
    ]) {
      const s = run(order, d + 10_000);
      expect(s.assignee?.login).toBe('exec2');
      expect(s.step?.id).toBe('s4');
      expect(s.superseded).toEqual([
        expect.objectContaining({ eventId: a._id, reason: 'workflow.overridden', by: b._id, actor: head }),
      ]);
    }
  });

  it('two clerks issue the same result offline: one issue stands, the other is reported', () => {
    const s0 = drive({ service, variantId: 'issue', calendar: DEFAULT_CALENDAR, start: kz(2026, 4, 1, 10) });
    const events = s0.events.slice(0, -1);
    const last = s0.events[s0.events.length - 1] as EventDoc<'issued'>;
    const ev = desks();
    const twin = ev(
      'D9',
      Date.parse(last.at),
      'issued',
      { login: 'clerk2', role: 'clerk' },
      { stepId: 's10', mode: 'mail' },
    );
    const s = run([...events, last, twin], Date.parse(last.at) + 1000);
    expect(s.status).toBe('closed');
    expect(s.superseded).toHaveLength(1);
    expect(s.superseded[0]?.reason).toBe('workflow.closed');
  });

  it('a result handed to a representative by proxy keeps who took it and the power of attorney', () => {
    const s0 = drive({ service, variantId: 'issue', calendar: DEFAULT_CALENDAR, start: kz(2026, 4, 1, 10) });
    const last = s0.events[s0.events.length - 1] as EventDoc<'issued'>;
    const proxy = { iin: '850315400025', fullName: 'Нұрланова Гүлнар', poaNumber: '12-345', poaDate: '2026-03-30' };
    const ev = desks();
    const byProxy = ev('D9', Date.parse(last.at), 'issued', clerk, { stepId: 's10', mode: 'proxy', proxy });
    const s = run([...s0.events.slice(0, -1), byProxy], Date.parse(last.at) + 1000);
    expect(s.status).toBe('closed');
    expect(s.issued).toMatchObject({ eventId: byProxy._id, mode: 'proxy', proxy });
    expect(s.history.at(-1)?.eventId).toBe(byProxy._id);
    // Without a proxy the field is empty, not missing.
    expect(run(s0.events, Date.parse(last.at) + 1000).issued?.proxy).toBeNull();
  });

  it('the head returns a prepared result for rework; the executor decides again', () => {
    const ev = desks();
    const d = kz(2026, 4, 1, 10);
    const events = [
      ev('D1', d, 'registered', clerk, registration()),
      ev('D2', d + 1000, 'resolution', head, { stepId: 's3', executor: 'exec1', executorName: 'Дана' }),
      ev('D3', d + 2000, 'step_done', exec, { stepId: 's4', outcome: 'refused', ground: 'x' }),
      ev('D3', d + 3000, 'step_done', exec, { stepId: 's8', outcome: 'done' }),
    ];
    let s = run(events, d + 4000);
    expect(s.step?.id).toBe('s9');
    expect(allowedActions(s, 'head').map((a) => a.kind)).toContain('returned');
    events.push(ev('D2', d + 5000, 'returned', head, { toStepId: 's8', note: 'уточнить основание' }));
    s = run(events, d + 6000);
    expect(s.step?.id).toBe('s8');
    expect(s.role).toBe('executor');
    expect(s.history.at(-1)?.outcome).toBe('returned');
  });

  it('an expired wait for guarantees closes the case as not supplied, but not before it expires', () => {
    const r = drive({
      service,
      variantId: 'issue',
      calendar: DEFAULT_CALENDAR,
      start: kz(2026, 4, 1, 10),
      maxActions: 4,
    });
    expect(r.state.step?.id).toBe('s7');
    const ev = desks();
    const early = ev('D1', (r.state.stepStartedAt ?? 0) + 86_400_000, 'wait_expired', clerk, { stepId: 's7' });
    let s = run([...r.events, early], Date.parse(early.at));
    expect(s.status).toBe('waiting_applicant');
    expect(s.superseded[0]?.reason).toBe('workflow.notAllowed');
    const late = ev('D1', (r.state.stepDueAt ?? 0) + 60_000, 'wait_expired', clerk, { stepId: 's7' });
    s = run([...r.events, late], Date.parse(late.at));
    expect(s.status).toBe('not_supplied');
  });

  it('flags overdue and at-risk work against the regulation', () => {
    const ev = desks();
    const d = kz(2026, 4, 1, 10);
    const events = [ev('D1', d, 'registered', clerk, registration())];
    // The head's hour ran out at 11:00.
    let s = run(events, kz(2026, 4, 1, 11, 30));
    expect(s.stepOverdue).toBe(true);
    expect(s.overdue).toBe(false);
    // Overall 10 working days: due Wed 15 April 18:00; on the 14th at noon less than a quarter is left.
    s = run(events, kz(2026, 4, 2, 12));
    expect(s.atRisk).toBe(false);
    s = run(events, kz(2026, 4, 14, 12));
    expect(s.atRisk).toBe(true);
    s = run(events, kz(2026, 4, 16, 9));
    expect(s.overdue).toBe(true);
  });

  it('a year without calendar data is reported, never guessed', () => {
    const ev = desks();
    const d = kz(2031, 4, 1, 10);
    const s = run([ev('D1', d, 'registered', clerk, registration())], d);
    expect(s.calendarMissingYear).toBe(2031);
    expect(s.dueAt).toBeNull();
  });

  it('the fold is deterministic: any delivery order of the same events gives the same state', () => {
    const ev = desks();
    const d = kz(2026, 4, 1, 10);
    const events = [
      ev('D1', d, 'registered', clerk, registration()),
      ev('D2', d + 1000, 'resolution', head, { stepId: 's3', executor: 'exec1', executorName: 'Дана' }),
      ev('D3', d + 1000, 'resolution', head2, { stepId: 's3', executor: 'exec2', executorName: 'Марат' }),
      ev('D4', d + 2000, 'step_done', exec, { stepId: 's4', outcome: 'done' }),
      ev('D5', d + 2000, 'step_done', exec, { stepId: 's4', outcome: 'refused' }),
      ev('D6', d + 3000, 'commission_decision', comm, {
        stepId: 's5',
        decision: 'approved',
        meetingDate: '2026-04-01',
        minutesNo: '1',
      }),
      ev('D1', d + 3000, 'withdrawn', clerk, {}),
    ];
    const expected = run(events, d + 10_000);
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), (order) => {
        expect(run(order, d + 10_000)).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });
});

describe('Kyzylorda permit: the result in person, or by post when the applicant does not come', () => {
  const kyzylorda = bundledCatalogue().get('fl-permit-kyzylorda');
  if (!kyzylorda) throw new Error('fl-permit-kyzylorda missing');
  const play = (events: EventDoc[], now: number): ApplicationState =>
    fold({ appId: 'A1', events, service: () => kyzylorda, calendar: DEFAULT_CALENDAR, now });
  const start = kz(2026, 4, 1, 10);

  it('handed over in person: the post-only steps after it are recorded as not needed, and it closes', () => {
    const { events, state } = drive({ service: kyzylorda, variantId: 'issue', calendar: DEFAULT_CALENDAR, start });
    expect(state.status).toBe('closed');
    expect(events.filter((e) => e.kind === 'issued')).toHaveLength(1);
    const after = state.history.slice(state.history.findIndex((h) => h.stepId === 's8b') + 1);
    expect(after.map((h) => [h.stepId, h.outcome, h.by])).toEqual([
      ['s8c', 'skipped', null],
      ['s9', 'skipped', null],
    ]);
  });

  it('the applicant does not come: the clerk marks the hand-over as not applying, the permit goes by post', () => {
    const upTo = drive({ service: kyzylorda, variantId: 'issue', calendar: DEFAULT_CALENDAR, start });
    const events = upTo.events.slice(0, -1);
    let s = play(events, start + 40 * 86_400_000);
    expect(s.step?.id).toBe('s8b');
    expect(allowedActions(s, 'clerk').find((a) => a.kind === 'step_done')?.outcomes).toEqual(['skipped']);
    const ev = desks();
    const t0 = Date.parse(events[events.length - 1]?.at ?? '') + 3 * 86_400_000;
    events.push(ev('D7', t0, 'step_done', clerk, { stepId: 's8b', outcome: 'skipped' }));
    s = play(events, t0);
    expect([s.step?.id, s.role]).toEqual(['s8c', 'executor']);
    events.push(ev('D7', t0 + 60_000, 'step_done', exec, { stepId: 's8c', outcome: 'done' }));
    s = play(events, t0 + 60_000);
    expect([s.step?.id, s.role]).toEqual(['s9', 'clerk']);
    // In person was declined: the post is now the only way, and cannot be declined too.
    expect(allowedActions(s, 'clerk').map((a) => a.kind)).toEqual(['issued', 'withdrawn']);
    const declined = ev('D7', t0 + 90_000, 'step_done', clerk, { stepId: 's9', outcome: 'skipped' });
    expect(play([...events, declined], t0 + 90_000).superseded.map((x) => x.eventId)).toEqual([declined._id]);
    events.push(ev('D7', t0 + 120_000, 'issued', clerk, { stepId: 's9', mode: 'mail', tracking: 'RR123456789KZ' }));
    s = play(events, t0 + 120_000);
    expect(s.status).toBe('closed');
    expect(s.issued).toMatchObject({ mode: 'mail', tracking: 'RR123456789KZ' });
    expect(s.superseded).toEqual([]);
  });
});
