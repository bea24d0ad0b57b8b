import type { Channel, Extension, Norm, Step, Variant } from './schema';

/**
 * A variant's process as a graph, drawn from its data (the regulations describe their flowcharts
 * in words): one node per step that applies to the channel, a start and the ends, and the edges
 * the workflow engine can take — the next step, approval and refusal (the `positive` steps are
 * skipped once refused, the `negative` ones run only then), a step marked as not applying, the
 * applicant's wait ending with the documents or expiring (and what that does), a commission's
 * decision or recommendation, and the return for rework from a signature. The same rules as
 * shared/workflow/engine.ts, read here as a map rather than run; the layout is the renderer's.
 */

export type ProcessEnd =
  /** The result handed over (or the last step done). */
  | 'closed'
  /** The refusal handed over. */
  | 'refused'
  | 'refused_at_intake'
  | 'not_supplied';

export interface ProcessNode {
  id: string;
  kind: 'start' | 'step' | 'end';
  /** The regulation's post that acts (step.role): the lane. Start and ends sit in their neighbour's lane. */
  lane: string;
  step: Step | null;
  end: ProcessEnd | null;
}

export type EdgeKind =
  | 'next'
  | 'approved'
  | 'refused'
  /** The step did not apply (its condition did not hold). */
  | 'skipped'
  /** The applicant brought what was asked. */
  | 'received'
  /** The applicant's wait ran out. */
  | 'expired'
  /** A commission recommended; the decision is someone else's. */
  | 'recommended'
  /** The head returned the draft for rework. */
  | 'returned'
  /** The package was refused at intake (расписка об отказе). */
  | 'refused_intake';

export interface ProcessEdge {
  id: string;
  from: string;
  to: string;
  kinds: EdgeKind[];
}

export interface ProcessGraph {
  nodes: ProcessNode[];
  edges: ProcessEdge[];
  /** The lanes in order of first appearance along the flow. */
  lanes: string[];
  deadline: Norm | null;
  /** Longer terms the regulation allows mid-case (recorded extensions), for the caption. */
  extensions: Extension[];
  /** The variant's steps, for naming the steps an extension changes. */
  steps: Step[];
}

type Outcome = 'approved' | 'refused';

/** Mirrors the engine's `decides`: these steps may end in a refusal. */
const DECIDES = new Set<Step['kind']>(['decision', 'review', 'prepare', 'commission']);
const isWait = (s: Step): boolean => s.actor === 'applicant' || s.kind === 'applicant_wait';

function applies(step: Step, outcome: Outcome): boolean {
  if (step.branch === 'positive' && outcome === 'refused') return false;
  if (step.branch === 'negative' && outcome !== 'refused') return false;
  return true;
}

export const stepNodeId = (stepId: string): string => `step:${stepId}`;
/**
 * An end's node. An early exit (a step that `closes` the case) has an end of its own beside it,
 * `end:refused:<step>`, so that the layout keeps the exit short instead of running it down to the
 * refusal at the foot of the process.
 */
export const endNodeId = (end: ProcessEnd, exitStep?: string): string =>
  exitStep === undefined ? `end:${end}` : `end:${end}:${exitStep}`;
export const START_NODE = 'start';

/**
 * The process of a variant for applications of one channel (steps of other channels left out;
 * without a channel, the variant's first).
 */
export function processGraph(variant: Variant, channel: Channel | null = null): ProcessGraph {
  const through = channel ?? variant.channels[0] ?? null;
  const steps = variant.steps.filter((s) => !s.channel || s.channel === through);
  const edges = new Map<string, ProcessEdge>();
  const link = (from: string, to: string, kind: EdgeKind): void => {
    const key = `${from}>${to}`;
    const e = edges.get(key);
    if (!e) edges.set(key, { id: key, from, to, kinds: [kind] });
    else if (!e.kinds.includes(kind)) e.kinds.push(kind);
  };
  /** Where the flow goes after index i with this outcome: the next step that applies, or an end. */
  const after = (i: number, outcome: Outcome): { node: string; index: number | null } => {
    // A step that closes the case (the end of an early exit) leads only to its own end (engine.ts `advance`).
    const exit = steps[i]?.closes ? steps[i].id : undefined;
    for (let k = exit === undefined ? i + 1 : steps.length; k < steps.length; k++) {
      const s = steps[k];
      if (s && applies(s, outcome)) return { node: stepNodeId(s.id), index: k };
    }
    return { node: endNodeId(outcome === 'refused' ? 'refused' : 'closed', exit), index: null };
  };
  /** The end nodes reached, by id, with their kind. */
  const ends = new Map<string, ProcessEnd>();
  const endOf = (node: string): void => {
    if (node.startsWith('end:')) ends.set(node, node.split(':')[1] as ProcessEnd);
  };
  const addEnd = (end: ProcessEnd): void => {
    ends.set(endNodeId(end), end);
  };

  // Walk every (step, outcome) the engine can reach, from the first step with no decision yet.
  const seen = new Set<string>();
  const queue: { index: number; outcome: Outcome }[] = [];
  const first = after(-1, 'approved');
  link(START_NODE, first.node, 'next');
  endOf(first.node);
  link(START_NODE, endNodeId('refused_at_intake'), 'refused_intake');
  addEnd('refused_at_intake');
  if (first.index !== null) queue.push({ index: first.index, outcome: 'approved' });
  const go = (from: string, i: number, outcome: Outcome, kind: EdgeKind): void => {
    const next = after(i, outcome);
    link(from, next.node, kind);
    endOf(next.node);
    if (next.index !== null) queue.push({ index: next.index, outcome });
  };
  // The leading submission, intake and consent steps (and automatic ones) are covered by the
  // registration itself (engine.ts `register`): they simply lead on, nobody waits at them.
  const INTAKE = new Set<Step['kind']>(['submit', 'intake', 'consent']);
  let covered = 0;
  while (covered < steps.length) {
    const s = steps[covered]!;
    const automatic = s.actor === 'system' && (s.kind === 'system' || s.kind === 'submit');
    if (!INTAKE.has(s.kind) && !automatic) break;
    covered++;
  }
  while (queue.length > 0) {
    const { index, outcome } = queue.shift()!;
    const key = `${index}/${outcome}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const step = steps[index];
    if (!step) continue;
    const id = stepNodeId(step.id);
    if (index < covered) go(id, index, outcome, 'next');
    else if (step.kind === 'commission' && step.commission?.binding === 'recommendation') {
      // A recommendation either way; a refusal still routes to the refusal path unless the next
      // decision overturns it (engine.ts), so both outcomes go on from here.
      go(id, index, 'approved', 'recommended');
      go(id, index, 'refused', 'recommended');
    } else if (DECIDES.has(step.kind)) {
      go(id, index, 'approved', step.kind === 'decision' || step.kind === 'commission' ? 'approved' : 'next');
      go(id, index, 'refused', 'refused');
    } else if (isWait(step)) {
      go(id, index, outcome, 'received');
      if (step.onExpire === 'refuse_intake') {
        link(id, endNodeId('refused_at_intake'), 'expired');
        addEnd('refused_at_intake');
      } else if (step.onExpire === 'mail_result') go(id, index, outcome, 'expired');
      else {
        // Unregulated expiry closes the case without a result (engine.ts `expire`).
        link(id, endNodeId('not_supplied'), 'expired');
        addEnd('not_supplied');
      }
    } else go(id, index, outcome, 'next');
    if (step.condition) go(id, index, outcome, 'skipped');
    // The head may return a draft from the signature to the latest executor step before it.
    if (step.kind === 'sign' && step.actor === 'head') {
      for (let k = index - 1; k >= 0; k--) {
        const target = steps[k];
        if (target?.actor === 'executor' && applies(target, outcome)) {
          link(id, stepNodeId(target.id), 'returned');
          break;
        }
      }
    }
  }

  const reached = new Set([...edges.values()].flatMap((e) => [e.from, e.to]));
  const stepNodes: ProcessNode[] = steps
    .filter((s) => reached.has(stepNodeId(s.id)))
    .map((s) => ({ id: stepNodeId(s.id), kind: 'step', lane: s.role, step: s, end: null }));
  const laneOf = (id: string): string => stepNodes.find((n) => n.id === id)?.lane ?? stepNodes[0]?.lane ?? 'applicant';
  const start: ProcessNode = { id: START_NODE, kind: 'start', lane: laneOf(first.node), step: null, end: null };
  const order: ProcessEnd[] = ['closed', 'refused', 'not_supplied', 'refused_at_intake'];
  // The ends in a fixed order of kind; early exits' own ends after the common one, in step order.
  const endNodes: ProcessNode[] = [...ends]
    .sort(([a, x], [b, y]) => order.indexOf(x) - order.indexOf(y) || a.length - b.length || (a < b ? -1 : 1))
    .map(([id, e]) => {
      // An end sits in the lane of the step that leads to it last in the flow.
      const from = [...edges.values()].filter((x) => x.to === id && x.from !== START_NODE).map((x) => x.from);
      return { id, kind: 'end', lane: from.length ? laneOf(from[from.length - 1]!) : start.lane, step: null, end: e };
    });
  const nodes = [start, ...stepNodes, ...endNodes];
  const lanes = [...new Set(nodes.map((n) => n.lane))];
  return {
    nodes,
    edges: [...edges.values()],
    lanes,
    deadline: variant.deadline,
    extensions: variant.extensions ?? [],
    steps: variant.steps,
  };
}

/** Whether a variant has steps that only some channels run (the diagram is then drawn per channel). */
export function channelsWithOwnSteps(variant: Variant): Channel[] {
  return variant.channels.filter((c) => variant.steps.some((s) => s.channel === c));
}
