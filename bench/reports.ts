import Dexie from 'dexie';
import { buildDayRows, computeOfficeReport, type Period, type ReportDayRow, type ReportFact } from '@shared/reports';
import { openReadModel, readModelName, type ReadModel } from '../renderer/data/store/readModel';
import { loadReportDays } from '../renderer/data/read/reports';
import type { Percentiles, ReportsTimeResult } from './protocol';

/**
 * The office report's figures on the bench page: a read model holding report facts (made in Node
 * from generated applications, as the projector would) and the day index built from them the way
 * the projector rebuilds it; then the report opened over a period, cold and warm, against the
 * plain alternative of reading every fact.
 */
const models = new Map<string, ReadModel>();
const model = (name: string): ReadModel => {
  let m = models.get(name);
  if (!m) models.set(name, (m = openReadModel(name)));
  return m;
};

export async function reportsAdd(p: { name: string; facts: ReportFact[] }): Promise<number> {
  await model(p.name).reportFacts.bulkPut(p.facts);
  return p.facts.length;
}

/** What a row costs to clone: its typed arrays' bytes and its ids (one byte a character here). */
const rowBytes = (r: ReportDayRow): number => r.ids.length + r.apps.byteLength + r.entries.byteLength;

export async function reportsIndex(p: { name: string }): Promise<{ ms: number; rows: number; facts: number }> {
  const m = model(p.name);
  const t0 = performance.now();
  let rows = 0;
  let facts = 0;
  await m.transaction('rw', [m.reportFacts, m.reportDays], async () => {
    const all = await m.reportFacts.toArray();
    facts = all.length;
    const built = buildDayRows(all);
    rows = built.length;
    await m.reportDays.clear();
    await m.reportDays.bulkPut(built);
  });
  return { ms: performance.now() - t0, rows, facts };
}

function pct(xs: number[]): Percentiles {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
  return {
    n: s.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: s[s.length - 1] ?? NaN,
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}

export async function reportsTime(p: { name: string; period: Period; runs: number }): Promise<ReportsTimeResult> {
  // Cold: a fresh connection, as when the desk opens the Reports section.
  models.get(p.name)?.close();
  models.delete(p.name);
  const open = async (): Promise<{
    read: number;
    compute: number;
    rows: number;
    closed: number;
    registered: number;
  }> => {
    const t0 = performance.now();
    const rows = await loadReportDays(model(p.name), p.period);
    const t1 = performance.now();
    const r = computeOfficeReport(rows, p.period, {});
    return {
      read: t1 - t0,
      compute: performance.now() - t1,
      rows: rows.length,
      closed: r.sla.closed,
      registered: r.volume.registered,
    };
  };
  const cold = await open();
  const warm: { read: number; compute: number }[] = [];
  for (let i = 0; i < p.runs; i++) warm.push(await open());
  const filtered0 = performance.now();
  computeOfficeReport(await loadReportDays(model(p.name), p.period), p.period, { executor: 'exec03' });
  const filteredMs = performance.now() - filtered0;
  // The plain alternative: every fact of the office read as an object.
  const scan0 = performance.now();
  const facts = await model(p.name).reportFacts.count();
  await model(p.name).reportFacts.toArray();
  const scanMs = performance.now() - scan0;
  const rows = await loadReportDays(model(p.name), p.period);
  return {
    cold: { readMs: cold.read, computeMs: cold.compute, totalMs: cold.read + cold.compute },
    warm: pct(warm.map((w) => w.read + w.compute)),
    warmRead: pct(warm.map((w) => w.read)),
    filteredMs,
    scanAllFactsMs: scanMs,
    bytes: rows.reduce((n, r) => n + rowBytes(r), 0),
    facts,
    dayRows: cold.rows,
    closed: cold.closed,
    registered: cold.registered,
  };
}

export async function reportsDrop(p: { name: string }): Promise<void> {
  models.get(p.name)?.close();
  models.delete(p.name);
  await Dexie.delete(readModelName(p.name));
}
