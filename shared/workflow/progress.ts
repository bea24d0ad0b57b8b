import { endNodeId, START_NODE, stepNodeId, type ProcessEnd } from '../catalogue/process';
import type { Norm } from '../catalogue/schema';
import type { ApplicationState } from './engine';

/**
 * One application's own path on its variant's process diagram, from the fold: the steps done (with
 * the working time they took against their norm), where it is now, what is or was late, which
 * steps were skipped, and the edges it took. Node and edge ids are the process graph's
 * (shared/catalogue/process.ts).
 */
export type NodeStatus =
  /** Done within its norm (or with no norm). */
  | 'done'
  /** Done, after its due time. */
  | 'late'
  /** Recorded by the engine itself, or covered by registration. */
  | 'auto'
  /** Did not apply to this application (its condition), or was returned from. */
  | 'skipped'
  /** Where the application is now. */
  | 'current'
  /** Where it is now, past the step's due time. */
  | 'overdue';

export interface NodeProgress {
  status: NodeStatus;
  /** How many times the step was done (a step redone after a return for rework counts twice). */
  times: number;
  doneAt: number | null;
  /** Working minutes the last pass took (office hours), null when not measured. */
  workingMinutes: number | null;
  norm: Norm | null;
  dueAt: number | null;
}

export interface ApplicationPath {
  nodes: Map<string, NodeProgress>;
  /** `from>to` ids of the edges taken, in order. */
  edges: string[];
}

const ENDS: Partial<Record<ApplicationState['status'], (s: ApplicationState) => ProcessEnd>> = {
  closed: (s) => (s.outcome === 'refused' ? 'refused' : 'closed'),
  refused_at_intake: () => 'refused_at_intake',
  not_supplied: () => 'not_supplied',
};

export function applicationPath(state: ApplicationState): ApplicationPath {
  const nodes = new Map<string, NodeProgress>();
  const order: string[] = [START_NODE];
  nodes.set(START_NODE, {
    status: 'auto',
    times: 1,
    doneAt: state.registeredAt,
    workingMinutes: 0,
    norm: null,
    dueAt: null,
  });
  for (const h of state.history) {
    const id = stepNodeId(h.stepId);
    const before = nodes.get(id);
    const status: NodeStatus =
      h.outcome === 'skipped' || h.outcome === 'returned'
        ? 'skipped'
        : h.outcome === 'auto' || h.by === null
          ? 'auto'
          : h.overNorm
            ? 'late'
            : 'done';
    nodes.set(id, {
      // A step redone after a return keeps "late" if any pass was late.
      status: before?.status === 'late' && status === 'done' ? 'late' : status,
      times: (before?.times ?? 0) + 1,
      doneAt: h.doneAt,
      workingMinutes: h.workingMinutes,
      norm: h.norm,
      dueAt: h.dueAt,
    });
    order.push(id);
  }
  if (state.step) {
    const id = stepNodeId(state.step.id);
    const before = nodes.get(id);
    nodes.set(id, {
      status: state.stepOverdue ? 'overdue' : 'current',
      times: before?.times ?? 0,
      doneAt: null,
      workingMinutes: null,
      norm: state.step.norm,
      dueAt: state.stepDueAt,
    });
    order.push(id);
  } else {
    const end = ENDS[state.status]?.(state);
    if (end) {
      // Closed by the last step of an early exit: that exit's own end (process.ts `endNodeId`).
      const last = state.history[state.history.length - 1];
      const exit = state.variant?.steps.find((x) => x.id === last?.stepId && x.closes);
      const id = endNodeId(end, state.status === 'closed' ? exit?.id : undefined);
      nodes.set(id, {
        status: state.overdue ? 'late' : 'done',
        times: 1,
        doneAt: state.closedAt,
        workingMinutes: null,
        norm: state.variant?.deadline ?? null,
        dueAt: state.dueAt,
      });
      order.push(id);
    }
  }
  const edges: string[] = [];
  for (let i = 1; i < order.length; i++) edges.push(`${order[i - 1]}>${order[i]}`);
  return { nodes, edges };
}
