import dagre from '@dagrejs/dagre';
import type { EdgeKind, ProcessGraph, ProcessNode } from '@shared/catalogue';

/**
 * Where the process diagram puts things: pure arithmetic over the process graph
 * (shared/catalogue/process.ts), no DOM. The flow runs top to bottom, one lane (a column) per post
 * of the regulation, so a page holds the lanes side by side and a long process continues on the
 * next page at a row boundary.
 *
 * The ranks — which row each step takes — come from dagre (network simplex: the shortest edges,
 * branch targets spread, cycles broken); the lanes are ours, since no layered layout library
 * draws swimlanes. Two nodes of one lane in one row sit side by side (the lane widens), and edges
 * are routed orthogonally through the gaps between rows and the lanes' gutters. The return for
 * rework goes back up, routed beside the lanes.
 */

export const NODE_W = 132;
export const NODE_H = 62;
const COL_GAP = 14;
const LANE_PAD = 10;
/** A row: a node and the gap below it where edges bend and their labels sit. */
export const ROW_H = NODE_H + 46;
export const HEADER_H = 46;

export interface Point {
  x: number;
  y: number;
}

export interface LaidNode {
  id: string;
  node: ProcessNode;
  /** Top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
  row: number;
}

export interface LaidEdge {
  id: string;
  from: string;
  to: string;
  kinds: EdgeKind[];
  points: Point[];
  label: Point;
  /** Goes back up the flow (a return for rework). */
  back: boolean;
}

export interface LaidLane {
  id: string;
  x: number;
  width: number;
}

export interface ProcessLayout {
  nodes: LaidNode[];
  edges: LaidEdge[];
  lanes: LaidLane[];
  rows: number;
  width: number;
  height: number;
}

/** The row each node takes: dagre's ranks, read off its y positions (edges back up are left out). */
function ranks(graph: ProcessGraph): Map<string, { row: number; order: number }> {
  const g = new dagre.graphlib.Graph<object, { width: number; height: number; x?: number; y?: number }>();
  g.setGraph({ rankdir: 'TB', ranker: 'network-simplex', acyclicer: 'greedy', nodesep: 20, ranksep: 40 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.id, { width: NODE_W, height: NODE_H });
  for (const e of graph.edges) {
    if (e.kinds.includes('returned')) continue;
    // Refusal and expiry edges are longer-tolerant: the main flow keeps its rows tight.
    const main = e.kinds.some((k) => k === 'next' || k === 'approved' || k === 'received' || k === 'recommended');
    g.setEdge(e.from, e.to, { weight: main ? 4 : 1, minlen: 1 });
  }
  dagre.layout(g);
  const ys = [...new Set(graph.nodes.map((n) => Math.round(g.node(n.id).y ?? 0)))].sort((a, b) => a - b);
  const out = new Map<string, { row: number; order: number }>();
  for (const n of graph.nodes) {
    const laid = g.node(n.id);
    out.set(n.id, { row: ys.indexOf(Math.round(laid.y ?? 0)), order: laid.x ?? 0 });
  }
  return out;
}

export function layoutProcess(graph: ProcessGraph): ProcessLayout {
  const rank = ranks(graph);
  // Nodes of one lane in one row, left to right as dagre ordered them.
  const cells = new Map<string, ProcessNode[]>();
  for (const n of graph.nodes) {
    const key = `${n.lane}\u0000${rank.get(n.id)!.row}`;
    cells.set(key, [...(cells.get(key) ?? []), n]);
  }
  for (const list of cells.values()) list.sort((a, b) => rank.get(a.id)!.order - rank.get(b.id)!.order);
  const columns = new Map<string, number>();
  for (const [key, list] of cells) {
    const lane = key.split('\u0000')[0]!;
    columns.set(lane, Math.max(columns.get(lane) ?? 1, list.length));
  }
  const lanes: LaidLane[] = [];
  let x = 0;
  for (const id of graph.lanes) {
    const k = columns.get(id) ?? 1;
    const width = LANE_PAD * 2 + k * NODE_W + (k - 1) * COL_GAP;
    lanes.push({ id, x, width });
    x += width;
  }
  const laneOf = (id: string): LaidLane => lanes.find((l) => l.id === id)!;
  const rows = Math.max(0, ...[...rank.values()].map((r) => r.row)) + 1;
  const nodes: LaidNode[] = graph.nodes.map((n) => {
    const { row } = rank.get(n.id)!;
    const lane = laneOf(n.lane);
    const cell = cells.get(`${n.lane}\u0000${row}`)!;
    const k = columns.get(n.lane) ?? 1;
    // A cell with fewer nodes than the lane's columns is centred in the lane.
    const used = cell.length * NODE_W + (cell.length - 1) * COL_GAP;
    const left = lane.x + LANE_PAD + (k * NODE_W + (k - 1) * COL_GAP - used) / 2;
    return {
      id: n.id,
      node: n,
      x: left + cell.indexOf(n) * (NODE_W + COL_GAP),
      y: HEADER_H + row * ROW_H + (ROW_H - NODE_H) / 2,
      width: NODE_W,
      height: NODE_H,
      row,
    };
  });
  const at = new Map(nodes.map((n) => [n.id, n]));
  const gutters = new Map<string, number>();
  /** A free vertical track in a lane's right gutter (a few edges may run down the same lane). */
  const gutter = (lane: LaidLane): number => {
    const used = gutters.get(lane.id) ?? 0;
    gutters.set(lane.id, used + 1);
    return lane.x + lane.width - 5 - (used % 4) * 4;
  };
  const gap = ROW_H - NODE_H;
  const edges: LaidEdge[] = graph.edges.map((e) => {
    const a = at.get(e.from)!;
    const b = at.get(e.to)!;
    const back = b.row <= a.row;
    if (back) {
      // Up beside the lanes: out of the source's right side, along the gutter, into the target's.
      const laneA = laneOf(a.node.lane);
      const laneB = laneOf(b.node.lane);
      const gx = gutter(laneA.x > laneB.x ? laneA : laneB);
      const sy = a.y + a.height / 2;
      const ty = b.y + b.height / 2 + 8;
      const points = [
        { x: a.x + a.width, y: sy },
        { x: gx, y: sy },
        { x: gx, y: ty },
        { x: b.x + b.width, y: ty },
      ];
      return { ...e, points, label: { x: gx + 4, y: (sy + ty) / 2 }, back };
    }
    const sx = a.x + a.width / 2;
    const tx = b.x + b.width / 2;
    const sy = a.y + a.height;
    const ty = b.y;
    const bendOut = sy + gap / 2 - 6;
    if (b.row === a.row + 1) {
      const points =
        sx === tx
          ? [
              { x: sx, y: sy },
              { x: tx, y: ty },
            ]
          : [
              { x: sx, y: sy },
              { x: sx, y: bendOut },
              { x: tx, y: bendOut },
              { x: tx, y: ty },
            ];
      return { ...e, points, label: { x: sx === tx ? sx + 6 : (sx + tx) / 2, y: bendOut - 4 }, back };
    }
    // Several rows down: along the target lane's gutter, clear of the nodes between.
    const gx = gutter(laneOf(b.node.lane));
    const bendIn = ty - gap / 2 + 6;
    const points = [
      { x: sx, y: sy },
      { x: sx, y: bendOut },
      { x: gx, y: bendOut },
      { x: gx, y: bendIn },
      { x: tx, y: bendIn },
      { x: tx, y: ty },
    ];
    return { ...e, points, label: { x: (sx + gx) / 2, y: bendOut - 4 }, back };
  });
  return { nodes, edges, lanes, rows, width: x, height: HEADER_H + rows * ROW_H };
}

/**
 * Pages for printing: the layout scaled to the page's width (never enlarged), cut between rows so
 * that no step is split, each page repeating the lane headers. `pageHeight` and `pageWidth` in CSS
 * pixels of the printable area.
 */
export function paginate(
  layout: ProcessLayout,
  pageWidth: number,
  pageHeight: number,
): { scale: number; pages: { firstRow: number; rows: number }[] } {
  const scale = Math.min(1, pageWidth / Math.max(1, layout.width));
  const perPage = Math.max(1, Math.floor((pageHeight / scale - HEADER_H) / ROW_H));
  const pages: { firstRow: number; rows: number }[] = [];
  for (let first = 0; first < layout.rows; first += perPage)
    pages.push({ firstRow: first, rows: Math.min(perPage, layout.rows - first) });
  return { scale, pages };
}
