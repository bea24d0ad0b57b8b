import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from '../calendar';
import { bundledCatalogue } from '../catalogue';
import { processGraph } from '../catalogue/process';
import { testPermitService } from '../../tests/fixtures/testService';
import { drive } from './drive';
import { applicationPath } from './progress';

/** Kazakhstan local time (UTC+5) as an instant. */
const kz = (y: number, m: number, d: number, h = 0): number => Date.UTC(y, m - 1, d, h - 5);
const service = testPermitService;
const graph = processGraph(service.variants[0]!, 'provider_office');
const edgeIds = new Set(graph.edges.map((e) => e.id));

describe('an application’s own path on its process diagram', () => {
  it('midway: steps done (with time against the norm), where it is now, the edges taken', () => {
    const { state } = drive({
      service,
      variantId: 'issue',
      calendar: DEFAULT_CALENDAR,
      start: kz(2026, 4, 6, 10),
      maxActions: 2,
    });
    const path = applicationPath(state);
    expect(path.nodes.get('step:s2')).toMatchObject({ status: 'done' });
    expect(path.nodes.get('step:s3')).toMatchObject({ status: 'done', workingMinutes: 60 });
    const current = path.nodes.get(`step:${state.step!.id}`);
    expect(current).toMatchObject({ status: 'current', dueAt: state.stepDueAt });
    // Every edge taken is an edge of the diagram, from the start.
    expect(path.edges[0]).toBe('start>step:s1');
    for (const e of path.edges) expect(edgeIds.has(e), e).toBe(true);
  });

  it('a step done after its due time is late; a current step past it is overdue', () => {
    // An hour's pace; the resolution (norm 1 working hour) then takes a day.
    const slow = drive({
      service,
      variantId: 'issue',
      calendar: DEFAULT_CALENDAR,
      start: kz(2026, 4, 6, 10),
      maxActions: 1,
      pace: (s) => (s.id === 's3' ? 24 * 3_600_000 : 3_600_000),
    });
    const path = applicationPath(slow.state);
    expect(path.nodes.get('step:s3')?.status).toBe('late');
    const stuck = drive({
      service,
      variantId: 'issue',
      calendar: DEFAULT_CALENDAR,
      start: kz(2026, 4, 6, 10),
      maxActions: 0,
    });
    const late = applicationPath({ ...stuck.state, stepOverdue: true });
    expect(late.nodes.get(`step:${stuck.state.step!.id}`)?.status).toBe('overdue');
  });

  it('closed: the end it reached, refused or not, and every edge on the diagram', () => {
    for (const refuse of [false, true]) {
      const { state } = drive({
        service,
        variantId: 'issue',
        calendar: DEFAULT_CALENDAR,
        start: kz(2026, 4, 6, 10),
        refuse,
      });
      const path = applicationPath(state);
      const end = refuse ? 'end:refused' : 'end:closed';
      expect(path.nodes.get(end)?.status, end).toBe('done');
      expect(path.edges[path.edges.length - 1]).toMatch(new RegExp(`>${end}$`));
      for (const e of path.edges) expect(edgeIds.has(e), `${e} (refuse ${refuse})`).toBe(true);
    }
  });
});

describe('the diagram holds every path the engine takes', () => {
  it('for every variant and channel of every seed service, approved or refused, the path runs along the diagram’s edges', () => {
    const misses: string[] = [];
    for (const s of bundledCatalogue().services)
      for (const v of s.variants)
        for (const channel of v.channels)
          for (const refuse of [false, true]) {
            const { state } = drive({
              service: s,
              variantId: v.id,
              channel,
              calendar: DEFAULT_CALENDAR,
              start: kz(2026, 4, 6, 10),
              refuse,
            });
            const ids = new Set(processGraph(v, channel).edges.map((e) => e.id));
            for (const e of applicationPath(state).edges)
              if (!ids.has(e)) misses.push(`${s.id}@${s.version}/${v.id}/${channel}${refuse ? ' refused' : ''}: ${e}`);
          }
    expect(misses).toEqual([]);
  });
});
