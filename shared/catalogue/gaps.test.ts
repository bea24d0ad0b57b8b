import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from '../calendar';
import { makeEvent, type ActorRef, type EventDoc, type EventKind, type PayloadOf } from '../events/event';
import { tickHlc, type Hlc } from '../events/hlc';
import { fold, type ApplicationState } from '../workflow/engine';
import { bundledCatalogue, type Channel, type ServiceDefinition } from './index';

/**
 * The catalogue gaps found by reading the regulations against the data (issue 15, item 7), closed
 * in versions 1.1 and checked against dates counted by hand on the 2026 calendar: Nauryz 21–23
 * March with the weekend days moved to Tue 24 and Wed 25; 1 May (Fri), 7 May (Thu), 9 May (a
 * Saturday) moved to Mon 11 May; no holiday in April.
 */
const kz = (y: number, m: number, d: number, h = 0, min = 0): number => Date.UTC(y, m - 1, d, h - 5, min);
const clerk: ActorRef = { login: 'clerk1', role: 'clerk' };
const head: ActorRef = { login: 'head1', role: 'head' };
const exec: ActorRef = { login: 'exec1', role: 'executor' };
const catalogue = bundledCatalogue();
const version = (id: string, v: string): ServiceDefinition => {
  const s = catalogue.get(id, v);
  if (!s) throw new Error(`${id} ${v}`);
  return s;
};

function application(service: ServiceDefinition, variantId: string, channel: Channel, at: number) {
  let clock: Hlc | null = null;
  const events: EventDoc[] = [];
  const add = <K extends EventKind>(when: number, kind: K, actor: ActorRef, payload: PayloadOf<K>): void => {
    clock = tickHlc(clock, when);
    events.push(makeEvent({ kind, appId: 'A1', office: 'ALM01', device: 'D1', clock, now: when, actor, payload }));
  };
  add(at, 'registered', clerk, {
    serviceId: service.id,
    serviceVersion: service.version,
    variantId,
    channel,
    regNumber: 'ALM01-D1-000001',
    applicant: { kind: 'legal_entity', bin: '940140000385', title: '«Құрылыс» ЖШС' },
    documents: [],
  });
  const state = (now: number): ApplicationState =>
    fold({ appId: 'A1', events, service: () => service, calendar: DEFAULT_CALENDAR, now });
  return { add, state };
}

describe('004/17 (fl-permit-almaty 1.1): a portal application has the terms of п. 10', () => {
  const v1 = version('fl-permit-almaty', '1');
  const v11 = version('fl-permit-almaty', '1.1');
  const reg = kz(2026, 3, 19, 10); // Thu 19 March 2026

  it('version 1 had a portal variant without a deadline; 1.1 takes portal applications in each procedure', () => {
    expect(v1.variants.find((v) => v.id === 'portal')?.deadline).toBeNull();
    expect(v11.variants.map((v) => v.id)).not.toContain('portal');
    for (const v of v11.variants) expect(v.channels, v.id).toContain('portal');
  });

  it('employer issue through the portal: 41 working days, to Mon 25 May 2026', () => {
    // From Fri 20 March: 20, 26, 27, 30, 31 March (5); 1–3, 6–10, 13–17, 20–24, 27–30 April (27);
    // 4–6, 8 May (31; 1 and 7 May holidays); 12–15 (35; 11 May moved), 18–22 (40), 25 May (41).
    const app = application(v11, 'employer-issue', 'portal', reg);
    const s = app.state(reg);
    expect(s.dueAt).toBe(kz(2026, 5, 25, 18));
    // The portal's own steps are covered by registration: the head's resolution comes next.
    expect(s.history.map((h) => h.stepId)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 's1']);
    expect(s.step?.id).toBe('s2');
  });

  it('employer reissue and extension through the portal: 31 and 8 working days', () => {
    // 31 working days end on Fri 8 May (see above); 8 on Fri 3 April.
    expect(application(v11, 'employer-reissue', 'portal', reg).state(reg).dueAt).toBe(kz(2026, 5, 8, 18));
    expect(application(v11, 'employer-extend', 'portal', reg).state(reg).dueAt).toBe(kz(2026, 4, 3, 18));
  });

  it('a provider-office application skips the portal steps and keeps the same term', () => {
    const s = application(v11, 'employer-issue', 'provider_office', reg).state(reg);
    expect(s.dueAt).toBe(kz(2026, 5, 25, 18));
    expect(s.history.map((h) => h.stepId)).toEqual(['s1']);
  });

  it('the refusal of an incomplete package is due within 5 working days of receipt (step 3), and tracked', () => {
    const app = application(v11, 'employer-issue', 'provider_office', reg);
    app.add(reg + 3_600_000, 'resolution', head, { stepId: 's2', executor: 'exec1', executorName: 'Дана' });
    let s = app.state(reg + 3_600_000);
    expect(s.step?.id).toBe('s3');
    // Five working days counted from registration: 20, 26, 27, 30, 31 March.
    expect(s.stepDueAt).toBe(kz(2026, 3, 31, 18));
    expect(app.state(kz(2026, 3, 31, 17)).stepOverdue).toBe(false);
    expect(app.state(kz(2026, 4, 1, 9, 30)).stepOverdue).toBe(true);
    // Refused on Wed 1 April: a day late, and the history says so.
    app.add(kz(2026, 4, 1, 10), 'step_done', exec, { stepId: 's3', outcome: 'refused', ground: 'п. 9: толық емес' });
    s = app.state(kz(2026, 4, 1, 10));
    const check = s.history.find((h) => h.stepId === 's3');
    expect(check).toMatchObject({ outcome: 'refused', dueAt: kz(2026, 3, 31, 18), overNorm: true });
    // In version 1 the limit was text only: no due time on the check.
    const old = application(v1, 'employer-issue', 'provider_office', reg);
    old.add(reg + 3_600_000, 'resolution', head, { stepId: 's2', executor: 'exec1', executorName: 'Дана' });
    expect(old.state(reg + 3_600_000).stepDueAt).toBeNull();
  });

  it('worker reissue: the refusal limit is 3 working days (step 4)', () => {
    const app = application(v11, 'worker-reissue', 'provider_office', reg);
    app.add(reg + 3_600_000, 'resolution', head, { stepId: 's2', executor: 'head2', executorName: 'Бөлім басшысы' });
    app.add(reg + 7_200_000, 'resolution', head, { stepId: 's3', executor: 'exec1', executorName: 'Дана' });
    const s = app.state(reg + 7_200_000);
    expect(s.step?.id).toBe('s4');
    // 20, 26, 27 March.
    expect(s.stepDueAt).toBe(kz(2026, 3, 27, 18));
  });

  it('an application registered under version 1 keeps version 1', () => {
    const app = application(v1, 'portal', 'portal', reg);
    expect(app.state(reg).service?.version).toBe('1');
    expect(app.state(reg).dueAt).toBeNull();
  });
});

describe('004/12 (almaty-ssu-home-care 1.1): the home visit within 5 working days is its own step', () => {
  const v11 = version('almaty-ssu-home-care', '1.1');
  const reg = kz(2026, 4, 3, 10); // Fri 3 April 2026

  it('visit 5 working days after the documents reach the social worker, conclusion 10 from registration', () => {
    const app = application(v11, 'provider', 'provider_office', reg);
    // Same day: the head assigns, the specialist hands the documents to the social worker.
    app.add(kz(2026, 4, 3, 11), 'resolution', head, { stepId: 's3', executor: 'exec1', executorName: 'Дана' });
    app.add(kz(2026, 4, 3, 12), 'step_done', clerk, { stepId: 's4', outcome: 'done' });
    let s = app.state(kz(2026, 4, 3, 12));
    expect(s.step?.id).toBe('s5');
    // 6–10 April.
    expect(s.stepDueAt).toBe(kz(2026, 4, 10, 18));
    expect(app.state(kz(2026, 4, 13, 9, 30)).stepOverdue).toBe(true);
    // Visited on Thu 9 April; the conclusion is due on the tenth working day from registration:
    // 6–10, 13–17 April.
    app.add(kz(2026, 4, 9, 15), 'step_done', exec, { stepId: 's5', outcome: 'done' });
    s = app.state(kz(2026, 4, 9, 15));
    expect(s.step?.id).toBe('s5b');
    expect(s.stepDueAt).toBe(kz(2026, 4, 17, 18));
    expect(s.history.find((h) => h.stepId === 's5')).toMatchObject({ overNorm: false, dueAt: kz(2026, 4, 10, 18) });
  });
});

describe('terms that change mid-case were already expressible (extensions, event deadline_extended)', () => {
  it('004/13 carries 8 → 20 working days and 004/2 carries +1 month as recorded extensions', () => {
    const maslikhat = version('almaty-social-assistance-maslikhat', '1');
    const terms = maslikhat.variants
      .find((v) => v.id === 'standard')
      ?.extensions?.map((x) => [x.deadline?.set?.value, x.deadline?.set?.unit]);
    expect(terms).toEqual([
      [20, 'working_days'],
      [20, 'working_days'],
    ]);
    const semipalatinsk = version('almaty-semipalatinsk-victims', '1');
    const add = semipalatinsk.variants[0]?.extensions?.[0]?.deadline?.add;
    expect([add?.value, add?.unit]).toEqual([1, 'months']);
    // The dates themselves are checked by hand in shared/workflow/terms.test.ts.
  });
});
