import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from '../calendar';
import { makeEvent, type ActorRef, type EventDoc, type EventKind, type PayloadOf } from '../events/event';
import { tickHlc, type Hlc } from '../events/hlc';
import { fold } from '../workflow/engine';
import { versionsById, currentVersion } from './versions';
import { bundledCatalogue, parseService, CatalogueError, type ServiceDefinition } from './index';

/**
 * Intake at the applicant's home (issue 18): the regulations of 004/1, 2, 3, 6, 7 and 15 let a
 * ЦОН worker take the documents at home from people who cannot come for their health; 004/7's
 * local commission and 004/12's social worker visit the home and draw up an inspection act.
 */
const kz = (y: number, m: number, d: number, h = 0, min = 0): number => Date.UTC(y, m - 1, d, h - 5, min);
const catalogue = bundledCatalogue();
const newest = (id: string): ServiceDefinition => {
  const c = currentVersion(versionsById(catalogue).get(id) ?? [], '2030-01-01');
  if (!c) throw new Error(id);
  return c.service;
};

/** The point of each regulation that allows intake at home, as read in seed 004. */
const HOME_INTAKE: Record<string, { point: string; variants: string[] }> = {
  'almaty-unemployed-registration': { point: '004/1 п. 11', variants: ['con'] },
  'almaty-semipalatinsk-victims': {
    point: '004/2 п. 14',
    variants: ['registration-certificate', 'duplicate-certificate'],
  },
  'almaty-unemployed-certificate': { point: '004/3 п. 11', variants: ['con'] },
  'almaty-child-allowance': { point: '004/6 п. 13', variants: ['provider-or-con'] },
  'almaty-targeted-social-assistance': { point: '004/7 п. 13', variants: ['provider-or-con'] },
  'almaty-asp-membership-certificate': { point: '004/15 п. 13', variants: ['con'] },
};

describe('intake at home in the catalogue', () => {
  it('the version in force of every service whose regulation allows it takes `home_visit`, citing the point', () => {
    for (const [id, { point, variants }] of Object.entries(HOME_INTAKE)) {
      const s = newest(id);
      expect(s.version, id).toBe('1.1');
      expect(s.homeVisit, id).toBe(true);
      expect(s.channels, id).toContain('home_visit');
      for (const v of s.variants) {
        const takes = variants.includes(v.id);
        expect(v.channels.includes('home_visit'), `${id}/${v.id}`).toBe(takes);
        if (takes) expect(v.homeVisit?.basis, `${id}/${v.id}`).toBe(point);
      }
      expect(s.changes?.ru, id).toContain(point);
    }
  });

  it('no other service in force takes applications at home, and none takes them without a basis', () => {
    for (const [id] of versionsById(catalogue)) {
      const s = newest(id);
      for (const v of s.variants) {
        if (v.channels.includes('home_visit')) {
          expect(Object.keys(HOME_INTAKE), `${id}/${v.id}`).toContain(id);
          expect(v.homeVisit?.basis, `${id}/${v.id}`).toBeTruthy();
        }
      }
    }
  });

  it('the versions shipped before stay as they were (an application keeps its version)', () => {
    expect(catalogue.get('almaty-targeted-social-assistance', '1')?.variants[0]?.channels).toEqual([
      'provider_office',
      'con',
    ]);
    expect(catalogue.get('almaty-ssu-home-care', '1.1')?.variants[0]?.steps.some((s) => s.act)).toBe(false);
  });

  it('a basis on a variant without the channel is refused, with the reason', () => {
    const raw = JSON.parse(JSON.stringify(newest('almaty-child-allowance'))) as {
      variants: { channels: string[] }[];
    };
    raw.variants[0]!.channels = ['provider_office', 'con'];
    try {
      parseService(raw);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CatalogueError);
      expect(String((e as Error).message)).toContain('homeVisit');
    }
  });
});

describe('visit steps carry their norm and their inspection act', () => {
  it('004/7 1.1: the local commission’s visit (step 4), 5 working days, with the act of the material situation', () => {
    const step = newest('almaty-targeted-social-assistance').variants[0]?.steps.find((s) => s.id === 's4');
    expect(step?.norm).toMatchObject({ value: 5, unit: 'working_days' });
    expect(step?.act?.basis).toBe('004/7 п. 7 пп. 4)');
    expect(step?.act?.fields.map((f) => f.id)).toEqual(
      expect.arrayContaining(['settlement', 'present', 'family-size', 'income', 'refused', 'acquainted']),
    );
  });

  it('004/12 1.2: the social worker’s visit (step 5), 5 working days, with the act of the living conditions', () => {
    const step = newest('almaty-ssu-home-care').variants[0]?.steps.find((s) => s.id === 's5');
    expect(newest('almaty-ssu-home-care').version).toBe('1.2');
    expect(step?.norm).toMatchObject({ value: 5, unit: 'working_days' });
    expect(step?.act?.basis).toBe('004/12 п. 7 пп. 5)');
  });

  it('every act field has Kazakh and Russian labels, a choice its options, no id twice', () => {
    for (const s of catalogue.services)
      for (const v of s.variants)
        for (const step of v.steps)
          for (const f of step.act?.fields ?? []) {
            expect(f.label.kk).not.toBe(f.label.ru);
            expect(f.type === 'choice', f.id).toBe(f.options !== undefined);
          }
    const raw = JSON.parse(JSON.stringify(newest('almaty-ssu-home-care'))) as {
      variants: { steps: { id: string; act?: { fields: { id: string; options?: unknown }[] } }[] }[];
    };
    const act = raw.variants[0]!.steps.find((s) => s.id === 's5')!.act!;
    act.fields.push({ ...act.fields[0]! });
    expect(() => parseService(raw)).toThrow(/duplicate field settlement/);
    act.fields.pop();
    delete act.fields.find((f) => f.options)!.options;
    expect(() => parseService(raw)).toThrow(/options/);
  });

  it('a home visit to 004/7 is tracked like any application: the visit is due 5 working days after it starts', () => {
    const service = newest('almaty-targeted-social-assistance');
    let clock: Hlc | null = null;
    const events: EventDoc[] = [];
    const add = <K extends EventKind>(when: number, kind: K, actor: ActorRef, payload: PayloadOf<K>): void => {
      clock = tickHlc(clock, when);
      events.push(makeEvent({ kind, appId: 'A1', office: 'ALM01', device: 'D1', clock, now: when, actor, payload }));
    };
    // Fri 3 April 2026, at the applicant's home.
    add(
      kz(2026, 4, 3, 10),
      'registered',
      { login: 'sw1', role: 'clerk' },
      {
        serviceId: service.id,
        serviceVersion: service.version,
        variantId: 'provider-or-con',
        channel: 'home_visit',
        regNumber: 'ALM01-D1-000001',
        applicant: { kind: 'person', iin: '900101300017', surname: 'Сейітов', name: 'Нұрлан' },
        documents: service.documents.items.map((d) => ({ id: d.id, received: true })),
        consent: true,
      },
    );
    add(
      kz(2026, 4, 3, 11),
      'resolution',
      { login: 'head1', role: 'head' },
      {
        stepId: 's2',
        executor: 'exec1',
        executorName: 'Дана',
      },
    );
    add(kz(2026, 4, 6, 11), 'step_done', { login: 'exec1', role: 'executor' }, { stepId: 's3', outcome: 'done' });
    const s = fold({
      appId: 'A1',
      events,
      service: () => service,
      calendar: DEFAULT_CALENDAR,
      now: kz(2026, 4, 6, 12),
    });
    expect(s.step?.id).toBe('s4');
    // Five working days from Mon 6 April: 7–10 and 13 April, to the end of Mon 13 April (no holiday in April 2026).
    expect(s.stepDueAt).toBe(kz(2026, 4, 13, 18));
    // The overall 7 working days run from the intake at home: 6–10, 13 and 14 April.
    expect(s.dueAt).toBe(kz(2026, 4, 14, 18));
  });
});
