import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from '../calendar';
import { KIND_ROLES, makeEvent, type EventDoc } from '../events/event';
import { drive } from '../workflow/drive';
import { allowedActions, completingKinds, decides, fold, roleForStep } from '../workflow/engine';
import { bundledCatalogue, CatalogueError, loadCatalogue, parseService } from './index';
import { BUNDLED_SERVICES } from './services';

/** Kazakhstan local time (UTC+5) as an instant. */
const kz = (y: number, m: number, d: number, h = 0, min = 0): number => Date.UTC(y, m - 1, d, h - 5, min);
const catalogue = bundledCatalogue();
const KAZAKH_LETTERS = /[әғқңөұүһі]/i;

describe('the bundled catalogue: all 21 seed services', () => {
  it('loads and validates every service, with every variant and step', () => {
    // 21 services; 004/17 and 004/12 also in a corrected version 1.1, 004/17 in 1.2 (catalogue
    // gaps, issue 15).
    expect(new Set(catalogue.services.map((s) => s.id)).size).toBe(21);
    expect(catalogue.services).toHaveLength(24);
    const variants = catalogue.services.reduce((n, s) => n + s.variants.length, 0);
    const steps = catalogue.services.reduce((n, s) => n + s.variants.reduce((m, v) => m + v.steps.length, 0), 0);
    expect(variants).toBe(63);
    expect(steps).toBe(625);
  });

  it('speaks Kazakh: names and step actions are real Kazakh text, not Russian copied over', () => {
    for (const s of catalogue.services) {
      expect(s.names.kk, s.id).toMatch(KAZAKH_LETTERS);
      expect(s.names.kk, s.id).not.toBe(s.names.ru);
      for (const v of s.variants)
        for (const step of v.steps) expect(step.action.kk, `${s.id}/${v.id}/${step.id}`).not.toBe(step.action.ru);
    }
  });

  it('every step can be recorded by the role the engine gives it, under the server’s role table', () => {
    const misfits: string[] = [];
    for (const s of catalogue.services)
      for (const v of s.variants)
        for (const step of v.steps)
          for (const kind of completingKinds(step))
            if (!KIND_ROLES[kind].includes(roleForStep(step)))
              misfits.push(`${s.id}/${v.id}/${step.id}: ${kind} by ${roleForStep(step)}`);
    expect(misfits).toEqual([]);
  });

  it('every seed act is repealed, so every definition carries its validity period', () => {
    for (const s of catalogue.services) {
      expect(s.validTo, s.id).not.toBeNull();
      expect(s.validFrom < (s.validTo ?? ''), s.id).toBe(true);
    }
  });

  it('a malformed definition is refused at load, naming service, variant, step and field', () => {
    const good = BUNDLED_SERVICES.find((s) => (s as { id: string }).id === 'almaty-child-allowance');
    const bad = JSON.parse(JSON.stringify(good)) as {
      variants: { steps: { norm: unknown; action: { kk: string } }[] }[];
    };
    const step = bad.variants[0]?.steps[3];
    if (!step) throw new Error('fixture');
    step.norm = { value: 3, unit: 'fortnights' };
    step.action.kk = '';
    try {
      parseService(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CatalogueError);
      const issues = (e as CatalogueError).issues;
      expect(issues).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            service: 'almaty-child-allowance',
            variant: 'provider-or-con',
            field: 'norm.unit',
          }),
          expect.objectContaining({
            service: 'almaty-child-allowance',
            variant: 'provider-or-con',
            field: 'action.kk',
          }),
        ]),
      );
      expect(issues[0]?.step).toMatch(/^s/);
      expect((e as Error).message).toMatch(/service almaty-child-allowance, variant provider-or-con, step s\S+, field/);
    }
    expect(() => loadCatalogue([good, bad])).toThrow(CatalogueError);
    expect(() => loadCatalogue([good, good])).toThrow(/duplicate almaty-child-allowance@1/);
  });
});

describe('every variant of every seed service runs through the engine', () => {
  const start = kz(2026, 4, 1, 10);
  const variants = catalogue.services.flatMap((s) => s.variants.map((v) => [s.id, v.id, s, v] as const));

  it.each(variants)('%s / %s: approved to the end', (_sid, _vid, service, variant) => {
    for (const channel of variant.channels) {
      const { state } = drive({ service, variantId: variant.id, channel, calendar: DEFAULT_CALENDAR, start });
      expect(state.status, channel).toBe('closed');
      expect(state.outcome, channel).not.toBe('refused');
      expect(state.superseded, channel).toEqual([]);
      expect(state.calendarMissingYear).toBeNull();
      // Every step that applied was done by someone or automatically: nothing was left behind.
      const done = new Set(state.history.map((h) => h.stepId));
      const skipped = variant.steps.filter((st) => !done.has(st.id));
      for (const st of skipped)
        expect(st.branch === 'negative' || (st.channel !== undefined && st.channel !== channel), `${st.id}`).toBe(true);
    }
  });

  it.each(variants)('%s / %s: refused, at a deciding step or at intake', (_sid, _vid, service, variant) => {
    if (variant.steps.some(decides)) {
      const { state } = drive({ service, variantId: variant.id, calendar: DEFAULT_CALENDAR, start, refuse: true });
      expect(state.status).toBe('closed');
      expect(state.outcome).toBe('refused');
      expect(state.history.some((h) => h.outcome === 'refused')).toBe(true);
      // Steps that only follow an approval never ran.
      const positive = new Set(variant.steps.filter((s) => s.branch === 'positive').map((s) => s.id));
      const refusedAt = state.history.findIndex((h) => h.outcome === 'refused');
      expect(state.history.slice(refusedAt + 1).filter((h) => positive.has(h.stepId))).toEqual([]);
    } else {
      const refusal = makeEvent({
        kind: 'intake_refused',
        appId: 'A1',
        office: 'ALM01',
        device: 'D1',
        clock: { wall: start, counter: 0 },
        now: start,
        actor: { login: 'clerk1', role: 'clerk' },
        payload: {
          serviceId: service.id,
          serviceVersion: service.version,
          variantId: variant.id,
          channel: variant.channels[0] ?? 'provider_office',
          regNumber: 'ALM01-D1-000001',
          applicant: { kind: 'person', iin: '900101300017', surname: 'А', name: 'Б' },
          documents: [],
          reason: 'incomplete',
          missing: ['application'],
        },
      }) as EventDoc;
      const state = fold({
        appId: 'A1',
        events: [refusal],
        service: () => service,
        calendar: DEFAULT_CALENDAR,
        now: start,
      });
      expect(state.status).toBe('refused_at_intake');
      expect(allowedActions(state, 'clerk')).toEqual([]);
    }
  });
});

describe('result dates against hand-computed ones, across holidays', () => {
  const dueFor = (serviceId: string, variantId: string, at: number): number | null => {
    const service = catalogue.get(serviceId);
    if (!service) throw new Error(serviceId);
    const { state } = drive({ service, variantId, calendar: DEFAULT_CALENDAR, start: at, maxActions: 0 });
    return state.dueAt;
  };

  it('unemployed registration, 5 working days from Thu 19 March 2026: Nauryz 21–25 March skipped', () => {
    // 20 Mar (1), 26 (2), 27 (3), 30 (4), 31 (5).
    expect(dueFor('almaty-unemployed-registration', 'provider', kz(2026, 3, 19, 10))).toBe(kz(2026, 3, 31, 18));
  });

  it('child allowance, 7 working days from Wed 29 April 2026, office open till 18:30: May holidays skipped', () => {
    // 30 Apr (1); 1 May off; 4 (2), 5 (3), 6 (4); 7 May off; 8 (5); 9 May Sat → Mon 11 off; 12 (6), 13 (7).
    expect(dueFor('almaty-child-allowance', 'provider-or-con', kz(2026, 4, 29, 15))).toBe(kz(2026, 5, 13, 18, 30));
  });

  it('wheelchair, 10 working days from Fri 3 May 2024: Saturday 4 May worked, 7–9 May off', () => {
    // Sat 4 (1), Mon 6 (2), Fri 10 (3), 13–17 (4–8), 20 (9), 21 (10).
    expect(dueFor('almaty-disabled-wheelchair', 'provider', kz(2024, 5, 3, 11))).toBe(kz(2024, 5, 21, 18));
  });
});
