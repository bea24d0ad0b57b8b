import type { Catalogue, Step } from '@shared/catalogue';
import type { StaffRole } from '@shared/events';
import { roleForStep } from '@shared/workflow';
import { type ApplicationRow } from '../../data';

/**
 * A visit waiting for this worker (field mode, issue 18): an open application whose current step
 * is a visit — a step with an inspection act — that her role acts on and, for an executor's step,
 * that is assigned to her. Soonest due first.
 */
export function visitStep(
  row: Pick<ApplicationRow, 'serviceId' | 'serviceVersion' | 'variantId' | 'stepId'>,
  catalogue: Catalogue,
): Step | null {
  const variant = catalogue.get(row.serviceId, row.serviceVersion)?.variants.find((v) => v.id === row.variantId);
  const step = variant?.steps.find((s) => s.id === row.stepId);
  return step?.act ? step : null;
}

export function myVisits<R extends ApplicationRow>(
  rows: readonly R[],
  catalogue: Catalogue,
  user: { login: string; role: StaffRole },
): { row: R; step: Step }[] {
  const out: { row: R; step: Step }[] = [];
  for (const row of rows) {
    if (row.status !== 'in_progress') continue;
    const step = visitStep(row, catalogue);
    if (!step || roleForStep(step) !== user.role) continue;
    if (user.role === 'executor' && row.assignee !== user.login) continue;
    out.push({ row, step });
  }
  return out.sort((a, b) => (a.row.stepDueAt ?? Infinity) - (b.row.stepDueAt ?? Infinity));
}
