import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from '../calendar';
import { makeEvent, type ActorRef, type EventDoc, type EventKind, type PayloadOf } from '../events/event';
import { tickHlc, type Hlc } from '../events/hlc';
import { fold, type ApplicationState } from '../workflow/engine';
import { applicationPath } from '../workflow/progress';
import {
  bundledCatalogue,
  CatalogueError,
  parseService,
  processGraph,
  type Channel,
  type ServiceDefinition,
} from './index';

/**
 * The catalogue gaps found by reading the regulations against the data (issue 15, item 7), closed
 * in versions 1.1 (004/17's early refusal exit in 1.2) and checked against dates counted by hand on the 2026 calendar: Nauryz 21–23
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

describe('004/17 (fl-permit-almaty 1.2): a refused incomplete package leaves by its own steps and ends there', () => {
  const v11 = version('fl-permit-almaty', '1.1');
  const v12 = version('fl-permit-almaty', '1.2');
  const reg = kz(2026, 3, 19, 10); // Thu 19 March 2026
  const refuse = (service: ServiceDefinition) => {
    const app = application(service, 'employer-issue', 'provider_office', reg);
    app.add(reg + 3_600_000, 'resolution', head, { stepId: 's2', executor: 'exec1', executorName: 'Дана' });
    app.add(kz(2026, 3, 30, 11), 'step_done', exec, { stepId: 's3', outcome: 'refused', ground: 'п. 9: толық емес' });
    return app;
  };

  it('version 1.1 sent a refused package on to the notice, the transfer and the commission', () => {
    expect(refuse(v11).state(kz(2026, 3, 30, 11)).step?.id).toBe('s4');
  });

  it('the head signs the refusal and the documents go back within 5 working days of receipt; then the case is closed', () => {
    const app = refuse(v12);
    // Five working days from registration: 20, 26, 27, 30, 31 March (Nauryz 21–25 March off).
    let s = app.state(kz(2026, 3, 30, 11));
    expect(s.step?.id).toBe('s3a');
    expect(s.stepDueAt).toBe(kz(2026, 3, 31, 18));
    // At risk with a quarter of the step's working time left: from Mon 30 March 11:00 to Tue 31
    // March 18:00 is 6 + 8 = 14 working hours (lunch 13–14 off); at 15:00 on the 31st 3 h are left.
    expect(app.state(kz(2026, 3, 31, 10)).atRisk).toBe(false);
    expect(app.state(kz(2026, 3, 31, 15)).atRisk).toBe(true);
    expect(app.state(kz(2026, 4, 1, 9, 30)).stepOverdue).toBe(true);
    app.add(kz(2026, 3, 31, 12), 'signed', head, { stepId: 's3a' });
    s = app.state(kz(2026, 3, 31, 12));
    expect(s.step?.id).toBe('s3b');
    expect(s.stepDueAt).toBe(kz(2026, 3, 31, 18));
    // The documents handed back on Wed 1 April: a day late, and the case ends refused.
    app.add(kz(2026, 4, 1, 10), 'issued', exec, { stepId: 's3b', mode: 'in_person' });
    s = app.state(kz(2026, 4, 1, 10));
    expect(s.status).toBe('closed');
    expect(s.outcome).toBe('refused');
    expect(s.step).toBeNull();
    expect(s.closedAt).toBe(kz(2026, 4, 1, 10));
    // Within the 41 working days overall (to Mon 25 May), so not overdue as a case.
    expect(s.overdue).toBe(false);
    expect(s.history.map((h) => [h.stepId, h.outcome, h.dueAt, h.overNorm])).toEqual([
      ['s1', 'done', null, false],
      ['s2', 'done', null, false],
      ['s3', 'refused', kz(2026, 3, 31, 18), false],
      ['s3a', 'done', kz(2026, 3, 31, 18), false],
      ['s3b', 'done', kz(2026, 3, 31, 18), true],
    ]);
    // On the card's diagram the path runs from the check through the exit to the refusal's end.
    expect(applicationPath(s).edges.slice(-3)).toEqual([
      'step:s3>step:s3a',
      'step:s3a>step:s3b',
      'step:s3b>end:refused:s3b',
    ]);
  });

  it('a complete package passes the exit by: the district prepares the information next', () => {
    const app = application(v12, 'employer-issue', 'provider_office', reg);
    app.add(reg + 3_600_000, 'resolution', head, { stepId: 's2', executor: 'exec1', executorName: 'Дана' });
    app.add(kz(2026, 3, 20, 11), 'step_done', exec, { stepId: 's3', outcome: 'done' });
    const s = app.state(kz(2026, 3, 20, 11));
    expect(s.step?.id).toBe('s4');
    expect(s.history.map((h) => h.stepId)).not.toContain('s3a');
  });

  it('a refusal the head sends back for rework is decided again: a complete package then goes on', () => {
    const app = refuse(v12);
    app.add(kz(2026, 3, 30, 15), 'returned', head, { toStepId: 's3', note: 'Барлық құжат бар' });
    let s = app.state(kz(2026, 3, 30, 15));
    expect(s.step?.id).toBe('s3');
    expect(s.outcome).toBeNull();
    // The check keeps its limit counted from registration: Tue 31 March.
    expect(s.stepDueAt).toBe(kz(2026, 3, 31, 18));
    app.add(kz(2026, 3, 31, 10), 'step_done', exec, { stepId: 's3', outcome: 'done' });
    s = app.state(kz(2026, 3, 31, 10));
    expect(s.step?.id).toBe('s4');
    expect(s.status).toBe('in_progress');
  });

  it('the diagram draws the exit: refused at the check → signature → return → end', () => {
    const g = processGraph(
      v12.variants.find((v) => v.id === 'employer-issue')!,
      'provider_office',
    );
    const kinds = (from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to)?.kinds;
    expect(kinds('step:s3', 'step:s3a')).toEqual(['refused']);
    expect(kinds('step:s3', 'step:s4')).toEqual(['next']);
    expect(kinds('step:s3a', 'step:s3b')).toEqual(['next']);
    // The exit has its own end beside it; the refusal after the decision keeps the common one.
    expect(kinds('step:s3b', 'end:refused:s3b')).toEqual(['next']);
    expect(g.edges.filter((e) => e.from === 'step:s3b').map((e) => e.to)).toEqual(['end:refused:s3b']);
    expect(g.nodes.filter((n) => n.kind === 'end').map((n) => [n.id, n.end])).toEqual([
      ['end:closed', 'closed'],
      ['end:refused', 'refused'],
      ['end:refused:s3b', 'refused'],
      ['end:not_supplied', 'not_supplied'],
      ['end:refused_at_intake', 'refused_at_intake'],
    ]);
    // The head may still return the refusal to the executor for rework.
    expect(kinds('step:s3a', 'step:s3')).toEqual(['returned']);
  });

  it('worker reissue: the provider refuses within 3 working days of receipt (steps 4а, 4б)', () => {
    const app = application(v12, 'worker-reissue', 'provider_office', reg);
    app.add(reg + 3_600_000, 'resolution', head, { stepId: 's2', executor: 'head2', executorName: 'Бөлім басшысы' });
    app.add(reg + 7_200_000, 'resolution', head, { stepId: 's3', executor: 'exec1', executorName: 'Дана' });
    app.add(kz(2026, 3, 20, 11), 'step_done', exec, { stepId: 's4', outcome: 'refused', ground: 'толық емес' });
    const s = app.state(kz(2026, 3, 20, 11));
    expect(s.step?.id).toBe('s4a');
    // 20, 26, 27 March.
    expect(s.stepDueAt).toBe(kz(2026, 3, 27, 18));
    app.add(kz(2026, 3, 26, 10), 'signed', head, { stepId: 's4a' });
    app.add(kz(2026, 3, 26, 12), 'issued', exec, { stepId: 's4b', mode: 'in_person' });
    expect(app.state(kz(2026, 3, 26, 12))).toMatchObject({ status: 'closed', outcome: 'refused', step: null });
  });

  it('only a step on one side of a decision may close the case (else every later step is unreachable)', () => {
    const bad = JSON.parse(JSON.stringify(v12)) as ServiceDefinition;
    const check = bad.variants[0]!.steps.find((x) => x.id === 's3b')!;
    delete check.branch;
    expect(() => parseService(bad)).toThrow(CatalogueError);
    try {
      parseService(bad);
    } catch (e) {
      expect((e as CatalogueError).issues).toContainEqual(
        expect.objectContaining({ variant: 'employer-issue', step: 's3b', field: 'closes' }),
      );
    }
  });

  it('new applications take 1.2; each procedure has the exit right after its check', () => {
    expect(catalogue.get('fl-permit-almaty')?.version).toBe('1.2');
    for (const v of v12.variants) {
      const ids = v.steps.map((x) => x.id);
      const check = v.id === 'worker-reissue' ? 's4' : 's3';
      expect(ids.slice(ids.indexOf(check), ids.indexOf(check) + 3), v.id).toEqual([check, `${check}a`, `${check}b`]);
      expect(
        v.steps.filter((x) => x.closes).map((x) => [x.id, x.branch]),
        v.id,
      ).toEqual([[`${check}b`, 'negative']]);
    }
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
