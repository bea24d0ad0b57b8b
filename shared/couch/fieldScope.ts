import { z } from 'zod';
import type { StaffRole } from '../events';
import { isProbablyOpen, type AppSummary } from './deskViews';

/**
 * A field laptop (issue 18: a home-visit worker's, offline for days) holds what its user needs,
 * not the office's history: the open applications she may act on and her own recent ones, as
 * Medic CHT's field users replicate only their catchment. Decided here over plain data from the
 * desks' views on the server (shared/couch/deskViews.ts); the server is then asked for exactly
 * that through a Mango selector on its changes feed (`POST _changes?filter=_selector`, CouchDB ≥ 2).
 */

/** One row of `_view/people` for the user: an event she wrote, or one naming her executor. */
export interface NamedEvent {
  appId: string;
  /** The event's `at` (ISO 8601). */
  at: string;
}

export const DEFAULT_RECENT_DAYS = 30;
export const MAX_RECENT_DAYS = 365;

/** The laptop's setting: field mode on or off, and how many days her own applications stay. */
export const fieldSettingsSchema = z
  .object({ on: z.boolean(), recentDays: z.number().int().min(1).max(MAX_RECENT_DAYS) })
  .strict();
export type FieldSettings = z.infer<typeof fieldSettingsSchema>;
export const FIELD_OFF: FieldSettings = { on: false, recentDays: DEFAULT_RECENT_DAYS };

/**
 * The applications a field laptop holds, sorted.
 * - An executor (the social worker): the open applications that name her (she was given them, or
 *   she registered them), plus every application she or a resolution named in the last
 *   `recentDays`, open or not.
 * - Any other role (a clerk taking applications at home, a head): every open application of the
 *   office, since each may reach a step of her role without naming her, plus her recent ones.
 * An application is open by its latest event (`isProbablyOpen`): a wrong guess keeps one longer.
 */
export function fieldScope(input: {
  role: StaffRole;
  /** Per application, its summary from `_view/apps`: at least every application in `named`. */
  summaries: ReadonlyMap<string, AppSummary>;
  named: readonly NamedEvent[];
  recentDays: number;
  now: number;
}): string[] {
  const since = new Date(input.now - input.recentDays * 86_400_000).toISOString();
  const out = new Set<string>();
  const open = (appId: string): boolean => {
    const s = input.summaries.get(appId);
    return s !== undefined && isProbablyOpen(s);
  };
  for (const n of input.named) if (n.at >= since || open(n.appId)) out.add(n.appId);
  if (input.role !== 'executor') for (const [appId, s] of input.summaries) if (isProbablyOpen(s)) out.add(appId);
  return [...out].sort();
}

/** A Mango selector (the subset CouchDB 3 and PouchDB both evaluate). */
export type Selector = Record<string, unknown>;

/**
 * What the field laptop's live pull asks the server for: every document that is not an event (the
 * staff directory, desk-key escrows, design documents), the events of the applications in scope,
 * and any event that concerns her (written by her, or naming her executor: a new assignment), which
 * brings a new application into scope. For roles other than executor, every registration too: a
 * new application of the office is one they may act on.
 */
export function fieldSelector(scope: readonly string[], login: string, role: StaffRole): Selector {
  const or: Selector[] = [
    { _id: { $lt: 'evt:' } },
    { _id: { $gt: 'evt:\ufff0' } },
    { 'actor.login': login },
    { 'payload.executor': login },
  ];
  if (scope.length > 0) or.push({ appId: { $in: [...scope] } });
  if (role !== 'executor') or.push({ kind: 'registered' });
  return { $or: or };
}

/** Events that arrived through the selector for applications not yet in scope: to add, with their history. */
export function widening(scope: ReadonlySet<string>, pulled: readonly unknown[]): string[] {
  const out = new Set<string>();
  for (const d of pulled) {
    if (!d || typeof d !== 'object') continue;
    const { _id: id, appId } = d as { _id?: unknown; appId?: unknown };
    if (typeof id === 'string' && id.startsWith('evt:') && typeof appId === 'string' && !scope.has(appId))
      out.add(appId);
  }
  return [...out].sort();
}
