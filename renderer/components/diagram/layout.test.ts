import { describe, expect, it } from 'vitest';
import { bundledCatalogue, processGraph } from '@shared/catalogue';
import { HEADER_H, layoutProcess, NODE_H, paginate, ROW_H } from './layout';
import { wrapText } from './labels';

const catalogue = bundledCatalogue();
const permit = catalogue.get('fl-permit-almaty', '1.1')!;
const graph = processGraph(permit.variants[0]!, 'provider_office');
const layout = layoutProcess(graph);
const node = (id: string) => layout.nodes.find((n) => n.id === id)!;

describe('the process diagram’s layout (pure)', () => {
  it('puts each node in its lane, one step per row down the flow', () => {
    for (const n of layout.nodes) {
      const lane = layout.lanes.find((l) => l.id === n.node.lane)!;
      expect(n.x, n.id).toBeGreaterThanOrEqual(lane.x);
      expect(n.x + n.width, n.id).toBeLessThanOrEqual(lane.x + lane.width);
      expect(n.y).toBe(HEADER_H + n.row * ROW_H + (ROW_H - NODE_H) / 2);
    }
    // The main flow goes down: every step below the one before it.
    for (let i = 1; i <= 16; i++)
      expect(node(`step:s${i}`).row, `s${i}`).toBeGreaterThan(node(i === 1 ? 'start' : `step:s${i - 1}`).row);
    expect(layout.height).toBe(HEADER_H + layout.rows * ROW_H);
  });

  it('no two nodes overlap', () => {
    for (const a of layout.nodes)
      for (const b of layout.nodes) {
        if (a === b) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${a.id} / ${b.id}`).toBe(true);
      }
  });

  it('routes edges orthogonally from the source to the target; the return for rework goes back up', () => {
    for (const e of layout.edges) {
      const from = node(e.from);
      const to = node(e.to);
      for (let i = 1; i < e.points.length; i++) {
        const [p, q] = [e.points[i - 1]!, e.points[i]!];
        expect(p.x === q.x || p.y === q.y, e.id).toBe(true);
      }
      const [first, last] = [e.points[0]!, e.points[e.points.length - 1]!];
      if (e.back) {
        expect(first).toEqual({ x: from.x + from.width, y: from.y + from.height / 2 });
        expect(last.x).toBe(to.x + to.width);
      } else {
        expect(first).toEqual({ x: from.x + from.width / 2, y: from.y + from.height });
        expect(last).toEqual({ x: to.x + to.width / 2, y: to.y });
      }
    }
    expect(layout.edges.find((e) => e.id === 'step:s5>step:s4')?.back).toBe(true);
  });

  it('is the same every time (a diagram does not move between renders)', () => {
    expect(layoutProcess(processGraph(permit.variants[0]!, 'provider_office'))).toEqual(layout);
  });

  it('pages for A4 landscape: scaled to the width, cut between rows, every row on one page', () => {
    const { scale, pages } = paginate(layout, 1047, 680);
    expect(scale).toBeCloseTo(Math.min(1, 1047 / layout.width));
    expect(pages[0]!.firstRow).toBe(0);
    expect(pages.reduce((n, p) => n + p.rows, 0)).toBe(layout.rows);
    for (const p of pages) expect((HEADER_H + p.rows * ROW_H) * scale).toBeLessThanOrEqual(680);
    expect(paginate(layout, 1047, 100_000).pages).toHaveLength(1);
  });
});

describe('text in the boxes', () => {
  it('wraps at words and marks a cut with an ellipsis', () => {
    expect(wrapText('құжаттардың толық топтамасын тексереді', 14, 2)).toEqual(['құжаттардың', 'толық…']);
    expect(wrapText('қысқа мәтін', 20, 2)).toEqual(['қысқа мәтін']);
    expect(wrapText('аааааааааааааааааааааааа', 10, 2)).toEqual(['ааааааааа…']);
  });
});
