import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from '../calendar';
import { bundledCatalogue, parseService, type ServiceDefinition } from '../catalogue';
import { makeEvent, type ActorRef, type EventDoc, type EventKind, type PayloadOf } from '../events/event';
import { tickHlc, type Hlc } from '../events/hlc';
import { testPermitService } from '../../tests/fixtures/testService';
import { allowedActions, fold, outgoingLetter, type ApplicationState } from './engine';

/**
 * Deadline changes mid-case (004/13: 8 → 20 working days; 004/2: +1 month) and the outgoing
 * letters that take their own numbers. Every date below is counted by hand on the 2026 calendar:
 * Nauryz 21–23 March with the weekend days moved to Tue 24 and Wed 25, 8 March (a Sunday) moved to
 * Mon 9 March; April 2026 has no holidays.
 */
const kz = (y: number, m: number, d: number, h = 0, min = 0): number => Date.UTC(y, m - 1, d, h - 5, min);
const H = 3_600_000;
const clerk: ActorRef = { login: 'clerk1', role: 'clerk' };
const head: ActorRef = { login: 'head1', role: 'head' };
const exec: ActorRef = { login: 'exec1', role: 'executor' };
const comm: ActorRef = { login: 'comm1', role: 'commission' };
const catalogue = bundledCatalogue();

function recorder() {
  let clock: Hlc | null = null;
  const events: EventDoc[] = [];
  const add = <K extends EventKind>(at: number, kind: K, actor: ActorRef, payload: PayloadOf<K>): EventDoc => {
    clock = tickHlc(clock, at);
    const e = makeEvent({ kind, appId: 'A1', office: 'ALM01', device: 'D1', clock, now: at, actor, payload });
    events.push(e);
    return e;
  };
  return { events, add };
}

function register(service: ServiceDefinition, variantId: string, at: number) {
  const r = recorder();
  r.add(at, 'registered', clerk, {
    serviceId: service.id,
    serviceVersion: service.version,
    variantId,
    channel: 'provider_office',
    regNumber: 'ALM01-D1-000001',
    applicant: { kind: 'person', iin: '900101300017', surname: 'Сейітов', name: 'Нұрлан' },
    documents: [],
  });
  return r;
}

const foldAt = (service: ServiceDefinition, events: EventDoc[], now: number): ApplicationState =>
  fold({ appId: 'A1', events, service: () => service, calendar: DEFAULT_CALENDAR, now });

describe('004/13: the executor switches the term from 8 to 20 working days', () => {
  const service = catalogue.get('almaty-social-assistance-maslikhat') as ServiceDefinition;
  const reg = kz(2026, 3, 19, 10); // Thu 19 March 2026

  it('moves the overall deadline and the decision step, and the rest of the case follows', () => {
    const r = register(service, 'standard', reg);
    let s = foldAt(service, r.events, reg);
    // 8 working days from the day after: 20, 26, 27, 30, 31 March, 1, 2, 3 April.
    expect(s.dueAt).toBe(kz(2026, 4, 3, 18));
    // Only the executor, and only on step 3 (the document check), may record it.
    expect(allowedActions(s, 'head').map((a) => a.kind)).toEqual(['resolution']);
    r.add(reg + H, 'resolution', head, { stepId: 's2', executor: 'exec1', executorName: 'Дана' });
    s = foldAt(service, r.events, reg + H);
    expect(s.step?.id).toBe('s3');
    expect(s.stepDueAt).toBe(kz(2026, 3, 20, 18)); // 1 working day after Thu 19 March: Fri 20 March
    const ext = allowedActions(s, 'executor').find((a) => a.kind === 'deadline_extended');
    expect(ext).toEqual({
      kind: 'deadline_extended',
      stepId: 's3',
      extensions: ['insufficient-documents', 'documents-damaged-or-lost'],
    });
    expect(allowedActions(s, 'commission')).toEqual([]);

    const at = kz(2026, 3, 20, 10);
    const e = r.add(at, 'deadline_extended', exec, {
      stepId: 's3',
      extensionId: 'insufficient-documents',
      reason: 'Сұрау салу: ХҚКО-дан табыс туралы анықтама',
    });
    s = foldAt(service, r.events, at);
    // 20 working days from the day after registration: 20, 26, 27, 30, 31 March (5), 1–3 April (8),
    // 6–10 (13), 13–17 (18), 20, 21 April (20).
    expect(s.dueAt).toBe(kz(2026, 4, 21, 18));
    expect(s.stepDueAt).toBe(kz(2026, 3, 20, 18)); // step 3 keeps its own day
    expect(s.extensions).toEqual([
      expect.objectContaining({
        extensionId: 'insufficient-documents',
        eventId: e._id,
        reason: 'Сұрау салу: ХҚКО-дан табыс туралы анықтама',
        dueBefore: kz(2026, 4, 3, 18),
        dueAfter: kz(2026, 4, 21, 18),
      }),
    ]);
    // The same ground cannot be recorded twice; the other one still can.
    expect(allowedActions(s, 'executor').find((a) => a.kind === 'deadline_extended')?.extensions).toEqual([
      'documents-damaged-or-lost',
    ]);
    const again = r.add(at + 60_000, 'deadline_extended', exec, {
      stepId: 's3',
      extensionId: 'insufficient-documents',
      reason: 'тағы',
    });
    s = foldAt(service, r.events, at + 60_000);
    expect(s.superseded).toEqual([
      expect.objectContaining({ eventId: again._id, reason: 'workflow.stepAlreadyDone', by: e._id }),
    ]);
    expect(s.dueAt).toBe(kz(2026, 4, 21, 18));

    // Past the old 8 days the case is not overdue any more.
    expect(foldAt(service, r.events, kz(2026, 4, 6, 10)).overdue).toBe(false);
    expect(foldAt(service, r.events, kz(2026, 4, 22, 10)).overdue).toBe(true);

    // Survey, income, the special commission's conclusion: the head's decision (step 7) then has
    // 20 working days from registration, not 8.
    r.add(kz(2026, 3, 20, 11), 'step_done', exec, { stepId: 's3', outcome: 'done' });
    r.add(kz(2026, 3, 30, 11), 'step_done', comm, { stepId: 's4', outcome: 'done' });
    r.add(kz(2026, 3, 31, 11), 'step_done', exec, { stepId: 's5', outcome: 'done' });
    r.add(kz(2026, 4, 2, 11), 'commission_decision', comm, {
      stepId: 's6',
      decision: 'approved',
      meetingDate: '2026-04-02',
      minutesNo: '4',
    });
    s = foldAt(service, r.events, kz(2026, 4, 7, 10));
    expect(s.step?.id).toBe('s7');
    expect(s.stepDueAt).toBe(kz(2026, 4, 21, 18));
    expect(s.stepOverdue).toBe(false);
    r.add(kz(2026, 4, 15, 10), 'step_done', head, { stepId: 's7', outcome: 'approved' });
    s = foldAt(service, r.events, kz(2026, 4, 15, 10));
    const s7 = s.history.find((h) => h.stepId === 's7');
    expect(s7?.norm).toMatchObject({ value: 20, unit: 'working_days', from: 'registration' });
    expect(s7?.dueAt).toBe(kz(2026, 4, 21, 18));
    expect(s7?.overNorm).toBe(false);
  });

  it('refuses an extension out of turn: another step, another role, or a ground the variant lacks', () => {
    const r = register(service, 'standard', reg);
    const early = r.add(reg + H, 'deadline_extended', exec, {
      stepId: 's2',
      extensionId: 'insufficient-documents',
      reason: 'ерте',
    });
    r.add(reg + 2 * H, 'resolution', head, { stepId: 's2', executor: 'exec1', executorName: 'Дана' });
    const byHead = r.add(reg + 3 * H, 'deadline_extended', head, {
      stepId: 's3',
      extensionId: 'insufficient-documents',
      reason: 'басшы',
    });
    const unknown = r.add(reg + 4 * H, 'deadline_extended', exec, {
      stepId: 's3',
      extensionId: 'additional-checks',
      reason: 'жоқ негіз',
    });
    const s = foldAt(service, r.events, reg + 4 * H);
    expect(s.superseded.map((x) => [x.eventId, x.reason])).toEqual([
      [early._id, 'workflow.notAllowed'],
      [byHead._id, 'workflow.notAllowed'],
      [unknown._id, 'workflow.notAllowed'],
    ]);
    expect(s.dueAt).toBe(kz(2026, 4, 3, 18));
    expect(s.extensions).toEqual([]);
  });
});

describe('004/2: the term is extended by one month for additional checks', () => {
  const service = catalogue.get('almaty-semipalatinsk-victims') as ServiceDefinition;

  it('adds a calendar month to the running deadline, clamped to the month’s end', () => {
    // Wed 25 Feb 2026; 20 working days from the day after: 26, 27 Feb (2), 2–6 March (7),
    // 10–13 (11; Mon 9 March is off for 8 March), 16–20 (16), 26, 27 (18), 30, 31 March (20).
    const reg = kz(2026, 2, 25, 10);
    const r = register(service, 'registration-certificate', reg);
    r.add(reg + H, 'resolution', head, { stepId: 's2', executor: 'exec1', executorName: 'Дана' });
    let s = foldAt(service, r.events, reg + H);
    expect(s.dueAt).toBe(kz(2026, 3, 31, 18));
    expect(s.step?.id).toBe('s3');
    r.add(reg + 2 * H, 'step_done', exec, { stepId: 's3', outcome: 'done' });
    s = foldAt(service, r.events, reg + 2 * H);
    // The commission, checking the payment registers, asks for more time (steps 3–4 allow it).
    expect(allowedActions(s, 'commission').map((a) => [a.kind, a.extensions])).toContainEqual([
      'deadline_extended',
      ['additional-checks'],
    ]);
    r.add(kz(2026, 3, 20, 12), 'deadline_extended', comm, {
      stepId: 's4',
      extensionId: 'additional-checks',
      reason: 'Семей қаласының мұрағатына сұрау салынды',
    });
    s = foldAt(service, r.events, kz(2026, 4, 10, 10));
    // 31 March + 1 month = 30 April (April has 30 days), to the end of that day.
    expect(s.dueAt).toBe(kz(2026, 4, 30, 23, 59));
    expect(s.overdue).toBe(false);
    expect(s.extensions[0]).toMatchObject({ dueBefore: kz(2026, 3, 31, 18), dueAfter: kz(2026, 4, 30, 23, 59) });
    // Once only.
    expect(allowedActions(s, 'commission').some((a) => a.kind === 'deadline_extended')).toBe(false);
  });
});

describe('a step norm changed by an extension while that step runs', () => {
  const service = parseService({
    ...testPermitService,
    variants: testPermitService.variants.map((v) => ({
      ...v,
      extensions: [
        {
          id: 'more-time',
          ground: { kk: 'Қосымша уақыт', ru: 'Дополнительное время' },
          during: ['s4'],
          steps: { s4: { add: { value: 2, unit: 'working_days' } } },
        },
      ],
    })),
  });

  it('lengthens the current step’s due time and leaves the overall deadline alone', () => {
    const reg = kz(2026, 4, 1, 10); // Wed 1 April 2026
    const r = register(service, 'issue', reg);
    r.add(reg + H, 'resolution', head, { stepId: 's3', executor: 'exec1', executorName: 'Дана' });
    let s = foldAt(service, r.events, reg + H);
    const before = { step: s.stepDueAt, due: s.dueAt };
    expect(s.step?.id).toBe('s4');
    r.add(reg + 2 * H, 'deadline_extended', exec, { stepId: 's4', extensionId: 'more-time', reason: 'сұрау' });
    s = foldAt(service, r.events, reg + 2 * H);
    expect(s.dueAt).toBe(before.due);
    expect(before.step).not.toBeNull();
    // Step 4 (2 working days from Wed 1 April) was due Fri 3 April; two more: Mon 6, Tue 7 April.
    expect(before.step).toBe(kz(2026, 4, 3, 18));
    expect(s.stepDueAt).toBe(kz(2026, 4, 7, 18));
  });
});

describe('outgoing letters', () => {
  const kyzylorda = catalogue.get('fl-permit-kyzylorda') as ServiceDefinition;

  it('a notice and the result each take a number; the result is registered once', () => {
    // 003, ICT issue: head decides, executor prepares, head signs, executor registers the permit
    // in the outgoing journal (register_outgoing), the clerk issues it.
    const variant = kyzylorda.variants.find((v) => v.id === 'ict-issue');
    expect(variant?.steps.some((x) => x.kind === 'register_outgoing')).toBe(true);
    const reg = kz(2026, 4, 1, 10);
    const r = register(kyzylorda, 'ict-issue', reg);
    let s = foldAt(kyzylorda, r.events, reg);
    let t = reg;
    const next = (): number => (t += H);
    // Walk to the register_outgoing step; nothing before it sends a letter.
    while (s.step && s.step.kind !== 'register_outgoing') {
      const step = s.step;
      expect(outgoingLetter(s, step.kind === 'sign' ? 'signed' : 'step_done', { stepId: step.id })).toBeNull();
      if (step.kind === 'decision') r.add(next(), 'step_done', head, { stepId: step.id, outcome: 'approved' });
      else if (step.kind === 'sign') r.add(next(), 'signed', head, { stepId: step.id });
      else r.add(next(), 'step_done', exec, { stepId: step.id, outcome: 'done' });
      s = foldAt(kyzylorda, r.events, t);
    }
    const regStep = s.step?.id ?? '';
    expect(outgoingLetter(s, 'step_done', { stepId: regStep, outcome: 'done' })).toBe('result');
    expect(outgoingLetter(s, 'step_done', { stepId: 'other', outcome: 'done' })).toBeNull();
    const registered = r.add(next(), 'step_done', exec, {
      stepId: regStep,
      outcome: 'done',
      outgoingNumber: 'ALM01-D2/000007',
    });
    s = foldAt(kyzylorda, r.events, t);
    expect(s.letters).toEqual([
      { number: 'ALM01-D2/000007', kind: 'result', eventId: registered._id, stepId: regStep, at: t, by: exec },
    ]);
    // Issued: already registered, so no second number.
    expect(s.step?.kind).toBe('issue');
    expect(outgoingLetter(s, 'issued', { stepId: s.step?.id })).toBeNull();
  });

  it('a written notice of the decision (004/13 step 8) and an issue with no earlier registration take numbers', () => {
    const social = catalogue.get('almaty-social-assistance-maslikhat') as ServiceDefinition;
    const r = register(social, 'standard', kz(2026, 4, 1, 10));
    let s = foldAt(social, r.events, kz(2026, 4, 1, 10));
    const step8 = social.variants[0]?.steps.find((x) => x.kind === 'notify');
    expect(step8?.id).toBe('s8');
    // As if at step 8:
    s = { ...s, step: step8 ?? null };
    expect(outgoingLetter(s, 'step_done', { stepId: 's8', outcome: 'done' })).toBe('notice');
    expect(outgoingLetter(s, 'step_done', { stepId: 's8', outcome: 'skipped' })).toBeNull();
    const wheelchair = catalogue.get('almaty-disabled-wheelchair') as ServiceDefinition;
    const issue = wheelchair.variants[0]?.steps.find((x) => x.kind === 'issue') ?? null;
    const w = { ...foldAt(wheelchair, register(wheelchair, 'provider', kz(2026, 4, 1, 10)).events, 0), step: issue };
    expect(outgoingLetter(w, 'issued', { stepId: issue?.id })).toBe('result');
    expect(outgoingLetter(w, 'signed', { stepId: issue?.id })).toBeNull();
  });
});
