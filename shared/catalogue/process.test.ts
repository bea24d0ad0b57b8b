import { describe, expect, it } from 'vitest';
import { testPermitService } from '../../tests/fixtures/testService';
import { bundledCatalogue, processGraph, type ProcessGraph } from './index';

const catalogue = bundledCatalogue();
const edge = (g: ProcessGraph, from: string, to: string): string[] | undefined =>
  g.edges.find((e) => e.from === from && e.to === to)?.kinds;

describe('a variant’s process graph, drawn from its data', () => {
  const permit = catalogue.get('fl-permit-almaty', '1.1')!;
  const issue = permit.variants.find((v) => v.id === 'employer-issue')!;

  it('takes the steps of the channel only, in lanes of the regulation’s posts', () => {
    const office = processGraph(issue, 'provider_office');
    const portal = processGraph(issue, 'portal');
    expect(office.nodes.some((n) => n.id === 'step:p1')).toBe(false);
    expect(portal.nodes.some((n) => n.id === 'step:p1')).toBe(true);
    expect(office.lanes.slice(0, 3)).toEqual(['district_office_clerk', 'district_head', 'district_employee']);
    expect(office.deadline).toMatchObject({ value: 41, unit: 'working_days' });
  });

  it('branches as the engine does: refusal at intake, the commission’s recommendation, the decision, the wait and its expiry, rework', () => {
    const g = processGraph(issue, 'provider_office');
    expect(edge(g, 'start', 'end:refused_at_intake')).toEqual(['refused_intake']);
    // The check may refuse; the refusal goes on through the same steps (the notice, the signature).
    expect(edge(g, 'step:s3', 'step:s4')).toEqual(['next', 'refused']);
    expect(edge(g, 'step:s11', 'step:s12')).toEqual(['recommended']);
    expect(edge(g, 'step:s12', 'step:s13')).toEqual(['approved', 'refused']);
    // After the notice only an approval waits for the guarantee documents; a refusal ends.
    expect(edge(g, 'step:s13', 'step:s14')).toEqual(['next']);
    expect(edge(g, 'step:s13', 'end:refused')).toEqual(['next']);
    expect(edge(g, 'step:s14', 'step:s15')).toEqual(['received']);
    expect(edge(g, 'step:s14', 'end:not_supplied')).toEqual(['expired']);
    // The head may return the draft from the signature to the executor's last step.
    expect(edge(g, 'step:s5', 'step:s4')).toEqual(['returned']);
    // The issue runs only if the applicant comes: it may be marked as not applying.
    expect(edge(g, 'step:s16', 'end:closed')).toEqual(['next', 'skipped']);
  });

  it('a wait that refuses intake when it expires (004/6: originals not brought)', () => {
    const child = catalogue.get('almaty-child-allowance')!;
    const g = processGraph(child.variants[0]!);
    const waits = child.variants[0]!.steps.filter((s) => s.onExpire === 'refuse_intake').map((s) => `step:${s.id}`);
    expect(waits.length).toBeGreaterThan(0);
    for (const w of waits) expect(edge(g, w, 'end:refused_at_intake')).toEqual(['expired']);
  });

  it('a binding commission decides; every node is reached', () => {
    const g = processGraph(testPermitService.variants[0]!, 'provider_office');
    const commission = testPermitService.variants[0]!.steps.find((s) => s.kind === 'commission')!;
    expect(g.edges.filter((e) => e.from === `step:${commission.id}`).flatMap((e) => e.kinds)).toEqual(
      expect.arrayContaining(['approved', 'refused']),
    );
    for (const n of g.nodes)
      if (n.id !== 'start')
        expect(
          g.edges.some((e) => e.to === n.id),
          n.id,
        ).toBe(true);
  });

  it('every variant of every service gives a graph whose edges join its nodes', () => {
    for (const s of catalogue.services)
      for (const v of s.variants)
        for (const c of v.channels) {
          const g = processGraph(v, c);
          const ids = new Set(g.nodes.map((n) => n.id));
          for (const e of g.edges) expect(ids.has(e.from) && ids.has(e.to), `${s.id}/${v.id}/${c} ${e.id}`).toBe(true);
        }
  });
});
