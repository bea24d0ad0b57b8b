import { closureOf, factDays, isOpen, type Closure, type ReportFact } from './fact';

/**
 * The reports' per-day index: for each local date, what happened to which application that day
 * (registered, closed, a step pass ended), packed into typed arrays. A year of a large office
 * (100,000 applications, half a million step passes) is then a few thousand rows to read, not
 * a hundred thousand objects: IndexedDB clones typed arrays as bytes, objects one field at a time.
 * The read model keeps these rows beside the per-application facts, and the projector keeps
 * both in step (renderer/data/projection/projector.ts).
 *
 * A day is DAY_PARTS rows, an application's slots always in the same one (`partOf`): an append
 * rewrites the rows it changes whole, and a busy office's day (thousands of slots, ~200 KB) made
 * reading, re-encoding and writing today's row over a quarter of an append's time until shown
 * (docs/performance/new-desk.md, "The day index in parts").
 *
 * A row: `ids` (the applications, space-separated) and their dimensions in `apps`, APP_STRIDE
 * numbers per slot (indexes into `dict`); the day's entries in `entries`, ENTRY_STRIDE per entry.
 */
export interface ReportDayRow {
  day: string;
  /** Which of the day's rows (`partOf` its applications' ids). */
  part: number;
  ids: string;
  dict: string[];
  apps: Int32Array;
  entries: Int32Array;
}

/**
 * Rows per day. The reports read a period's rows in one range, but open and resolve each row: eight
 * doubled a year's opening at 100,000 applications (0.24 → 0.5 s), where it took the append's p95
 * from 71 to 40 ms (docs/performance/reports.md, new-desk.md).
 */
export const DAY_PARTS = 8;

/** The part of a day an application's slots are kept in: FNV-1a of its id, modulo DAY_PARTS. */
export function partOf(appId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < appId.length; i++) h = Math.imul(h ^ appId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % DAY_PARTS;
}

/** A row's key in the read model (its compound primary key, `[day+part]`). */
export type DayRowKey = [day: string, part: number];

/** A row's key as one string, for maps. */
export const dayRowId = (day: string, part: number): string => `${day}#${part}`;

/** Per application slot: service, version, variant, channel, executor (dict indexes, -1 none), flags. */
export const APP_STRIDE = 6;
export const DIM = { service: 0, version: 1, variant: 2, channel: 3, executor: 4, flags: 5 } as const;
export const APP_FLAG = { extended: 1, returned: 2 } as const;

/** Per entry: kind, slot, then a, b, c, d by kind (see ENTRY). */
export const ENTRY_STRIDE = 6;
/**
 * - registered: a = 1 while the application is still open;
 * - closed: a = closure code (CLOSURES), b = deadline code (SLA), c = working minutes or -1;
 * - step: a = step id (dict), b = working minutes or -1, c = flags (STEP_FLAG), d = norm (dict) or -1.
 */
export const ENTRY = { registered: 1, closed: 2, step: 3 } as const;
export const CLOSURES: readonly Closure[] = ['approved', 'refused', 'withdrawn', 'notSupplied', 'refusedAtIntake'];
/** Deadline code of a closure: 0 not a result handed over, then on time, late, no deadline to judge by. */
export const SLA = { none: 0, onTime: 1, late: 2, noDeadline: 3 } as const;
export const STEP_FLAG = { late: 1, returned: 2 } as const;

/** One entry with its strings, as edited (rows are decoded, changed and encoded again). */
type Entry =
  | { kind: typeof ENTRY.registered; open: boolean }
  | { kind: typeof ENTRY.closed; closure: Closure; sla: number; minutes: number | null }
  | { kind: typeof ENTRY.step; stepId: string; minutes: number | null; flags: number; norm: string | null };

interface AppSlot {
  appId: string;
  dims: [string, string, string, string, string | null];
  flags: number;
  entries: Entry[];
}

function slaCode(f: ReportFact): number {
  if (f.status !== 'closed') return SLA.none;
  return f.late === null ? SLA.noDeadline : f.late ? SLA.late : SLA.onTime;
}

/** What one application contributes to one day's row; null when nothing happened to it that day. */
export function slotOf(f: ReportFact, day: string): AppSlot | null {
  const entries: Entry[] = [];
  if (f.intake === 'registered' && f.registeredDay === day)
    entries.push({ kind: ENTRY.registered, open: isOpen(f.status) });
  const closure = closureOf(f);
  if (closure && f.closedDay === day)
    entries.push({ kind: ENTRY.closed, closure, sla: slaCode(f), minutes: f.minutes });
  for (const s of f.steps)
    if (s.doneDay === day)
      entries.push({
        kind: ENTRY.step,
        stepId: s.stepId,
        minutes: s.minutes,
        flags: (s.late ? STEP_FLAG.late : 0) | (s.returned ? STEP_FLAG.returned : 0),
        norm: s.norm,
      });
  if (entries.length === 0) return null;
  return {
    appId: f.appId,
    dims: [f.serviceId, f.serviceVersion, f.variantId, f.channel, f.executor],
    flags: (f.extended > 0 ? APP_FLAG.extended : 0) | (f.returned > 0 ? APP_FLAG.returned : 0),
    entries,
  };
}

function decode(row: ReportDayRow): AppSlot[] {
  const ids = row.ids === '' ? [] : row.ids.split(' ');
  const str = (i: number): string | null => (i < 0 ? null : (row.dict[i] ?? null));
  const slots: AppSlot[] = ids.map((appId, k) => {
    const o = k * APP_STRIDE;
    const d = (j: number): string => str(row.apps[o + j] ?? -1) ?? '';
    return {
      appId,
      dims: [d(0), d(1), d(2), d(3), str(row.apps[o + DIM.executor] ?? -1)],
      flags: row.apps[o + DIM.flags] ?? 0,
      entries: [],
    };
  });
  const e = row.entries;
  for (let i = 0; i < e.length; i += ENTRY_STRIDE) {
    const slot = slots[e[i + 1] ?? -1];
    if (!slot) continue;
    const [kind, , a = 0, b = 0, c = 0, d = -1] = e.subarray(i, i + ENTRY_STRIDE);
    if (kind === ENTRY.registered) slot.entries.push({ kind, open: a === 1 });
    else if (kind === ENTRY.closed)
      slot.entries.push({ kind, closure: CLOSURES[a - 1] ?? 'approved', sla: b, minutes: c < 0 ? null : c });
    else if (kind === ENTRY.step)
      slot.entries.push({ kind, stepId: str(a) ?? '', minutes: b < 0 ? null : b, flags: c, norm: str(d) });
  }
  return slots;
}

function encode(day: string, part: number, slots: AppSlot[]): ReportDayRow {
  const dict: string[] = [];
  const index = new Map<string, number>();
  const intern = (s: string | null): number => {
    if (s === null) return -1;
    let i = index.get(s);
    if (i === undefined) {
      i = dict.push(s) - 1;
      index.set(s, i);
    }
    return i;
  };
  const apps = new Int32Array(slots.length * APP_STRIDE);
  const count = slots.reduce((n, s) => n + s.entries.length, 0);
  const entries = new Int32Array(count * ENTRY_STRIDE);
  let at = 0;
  slots.forEach((s, k) => {
    s.dims.forEach((v, j) => (apps[k * APP_STRIDE + j] = intern(v)));
    apps[k * APP_STRIDE + DIM.flags] = s.flags;
    for (const x of s.entries) {
      const row =
        x.kind === ENTRY.registered
          ? [x.kind, k, x.open ? 1 : 0, 0, 0, -1]
          : x.kind === ENTRY.closed
            ? [x.kind, k, CLOSURES.indexOf(x.closure) + 1, x.sla, x.minutes ?? -1, -1]
            : [x.kind, k, intern(x.stepId), x.minutes ?? -1, x.flags, intern(x.norm)];
      entries.set(row, at);
      at += ENTRY_STRIDE;
    }
  });
  return { day, part, ids: slots.map((s) => s.appId).join(' '), dict, apps, entries };
}

/** Day rows built from scratch (a rebuild of the index), in key order (day, then part). */
export function buildDayRows(facts: Iterable<ReportFact>): ReportDayRow[] {
  const byRow = new Map<string, { day: string; part: number; slots: AppSlot[] }>();
  for (const f of facts) {
    const part = partOf(f.appId);
    for (const day of factDays(f)) {
      const slot = slotOf(f, day);
      if (!slot) continue;
      const id = dayRowId(day, part);
      const row = byRow.get(id);
      if (row) row.slots.push(slot);
      else byRow.set(id, { day, part, slots: [slot] });
    }
  }
  return [...byRow.values()].sort(byKey).map((r) => encode(r.day, r.part, r.slots));
}

const byKey = (a: { day: string; part: number }, b: { day: string; part: number }): number =>
  a.day < b.day ? -1 : a.day > b.day ? 1 : a.part - b.part;

/** One application's fact as stored and as folded now (null: none). */
export interface FactChange {
  before: ReportFact | null;
  after: ReportFact | null;
}

const sameSlot = (a: AppSlot | null, b: AppSlot | null): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The days whose rows a change rewrites: those where the application's slot differs before and
 * after. A step ended today leaves the registration day's slot as it was (unless the executor,
 * the flags or the open mark changed with it): its row is neither read nor written again.
 */
function daysChanged({ before, after }: FactChange): string[] {
  const days = new Set([...(before ? factDays(before) : []), ...(after ? factDays(after) : [])]);
  return [...days].filter((day) => !sameSlot(before && slotOf(before, day), after && slotOf(after, day)));
}

/** The rows that `updateDayRows` rewrites for these changes (the rows to read first), in key order. */
export function changedDayRows(changes: readonly FactChange[]): DayRowKey[] {
  const keys = new Map<string, DayRowKey>();
  for (const change of changes) {
    const f = change.after ?? change.before;
    if (!f) continue;
    const part = partOf(f.appId);
    for (const day of daysChanged(change)) keys.set(dayRowId(day, part), [day, part]);
  }
  return [...keys.values()].sort((a, b) => byKey({ day: a[0], part: a[1] }, { day: b[0], part: b[1] }));
}

/**
 * The rows that `changes` alter, rewritten: in each such row the application's earlier slot
 * removed and its new one added. `current` holds the stored rows of those keys, by `dayRowId`
 * (missing: none yet; see `changedDayRows`). A row left with nothing comes back with no ids
 * (delete it).
 */
export function updateDayRows(
  current: ReadonlyMap<string, ReportDayRow>,
  changes: readonly FactChange[],
): ReportDayRow[] {
  const touched = new Map<string, { day: string; part: number; remove: Set<string>; add: AppSlot[] }>();
  for (const change of changes) {
    const f = change.after ?? change.before;
    if (!f) continue;
    const part = partOf(f.appId);
    for (const day of daysChanged(change)) {
      const id = dayRowId(day, part);
      let t = touched.get(id);
      if (!t) touched.set(id, (t = { day, part, remove: new Set(), add: [] }));
      t.remove.add(f.appId);
      const slot = change.after && slotOf(change.after, day);
      if (slot) t.add.push(slot);
    }
  }
  const out: ReportDayRow[] = [];
  for (const [id, t] of touched) {
    const row = current.get(id);
    const slots = (row ? decode(row) : []).filter((s) => !t.remove.has(s.appId));
    slots.push(...t.add);
    out.push(encode(t.day, t.part, slots));
  }
  return out.sort(byKey);
}
