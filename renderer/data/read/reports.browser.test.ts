import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from '@shared/calendar';
import { loadCatalogue } from '@shared/catalogue';
import { buildDayRows, computeOfficeReport, type ReportFact } from '@shared/reports';
import { fold } from '@shared/workflow';
import { factsOfPlans, findReportService, planOffice, REPORT_SERVICES } from '../../../tests/fixtures/reportOffice';
import { throwawayDeskKeys, type DeskKeys } from '../seal/deskKeys';
import { makeProjectFn } from '../projection/project';
import { Projector } from '../projection/projector';
import { PouchDB } from '../store/pouch';
import { openReadModel, type ReadModel } from '../store/readModel';
import { holderKey, holderOf, loadReportDays, nowFigures, staffNames } from './reports';

/**
 * The projector keeps the reports' facts and day index in step with the events, in real IndexedDB:
 * a long first catch-up (facts only, the index rebuilt at its end) and later small passes (the
 * touched days rewritten) both end with the index a rebuild from the facts would give, and the
 * facts the workflow engine gives for the same events.
 */
const catalogue = loadCatalogue(REPORT_SERVICES);
const NOW = Date.parse('2026-07-01T00:00:00Z');
const plans = planOffice(700, 11);
const first = plans.slice(0, 600);
const later = plans.slice(600);

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function projectorOn(): Promise<{
  db: PouchDB.Database;
  model: ReadModel;
  projector: Projector;
  keys: DeskKeys;
}> {
  const name = `reports_${Math.random().toString(36).slice(2, 8)}`;
  const db = new PouchDB(name, { adapter: 'indexeddb' });
  const model = openReadModel(name);
  const keys = await throwawayDeskKeys();
  const projector = new Projector(db, model, makeProjectFn(catalogue, DEFAULT_CALENDAR), keys, () => NOW);
  cleanup.push(async () => {
    projector.stop();
    model.close();
    await Dexie.delete(model.name);
    await db.destroy();
  });
  return { db, model, projector, keys };
}

const expectedFacts = (ps: typeof plans): ReportFact[] => factsOfPlans(ps, NOW);

describe('reports in the read model', () => {
  it('builds the day index after a long catch-up and keeps it through small passes', async () => {
    const { db, model, projector } = await projectorOn();
    await db.bulkDocs(first.flatMap((p) => p.events));
    await projector.catchUp();
    expect((await model.meta.get('reportDaysStale'))?.value).toBe(0);
    const period = { from: '2026-01-01', to: '2026-12-31' };
    const factsNow = expectedFacts(first);
    expect(await model.reportFacts.count()).toBe(factsNow.length);
    expect(computeOfficeReport(await loadReportDays(model, period), period, {})).toEqual(
      computeOfficeReport(buildDayRows(factsNow), period, {}),
    );

    // Then colleagues' work arrives in small passes: events of new applications and the
    // remaining events of half-done ones, interleaved by time.
    const events = later.flatMap((p) => p.events).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    for (let i = 0; i < events.length; i += 97) {
      await db.bulkDocs(events.slice(i, i + 97));
      await projector.catchUp();
      expect((await model.meta.get('reportDaysStale'))?.value).toBe(0);
    }
    const all = expectedFacts(plans);
    const rows = await loadReportDays(model, period);
    expect(rows.map((r) => r.day)).toEqual(buildDayRows(all).map((r) => r.day));
    for (const filters of [{}, { serviceId: 'svc-a' }, { executor: 'exec1', channel: 'con' }])
      expect(computeOfficeReport(rows, period, filters)).toEqual(
        computeOfficeReport(buildDayRows(all), period, filters),
      );
    // Only the period's rows are read.
    const april = await loadReportDays(model, { from: '2026-04-01', to: '2026-04-30' });
    expect(april.length).toBeGreaterThan(0);
    expect(april.every((r) => r.day >= '2026-04-01' && r.day <= '2026-04-30')).toBe(true);
  });

  it('rebuilds an index left stale by an interrupted catch-up', async () => {
    const { db, model, projector, keys } = await projectorOn();
    await db.bulkDocs(first.slice(0, 50).flatMap((p) => p.events));
    await projector.catchUp();
    // As a pass that died after writing facts would leave it; the desk then starts again.
    await model.reportDays.clear();
    await model.meta.put({ key: 'reportDaysStale', value: 1 });
    const again = new Projector(db, model, makeProjectFn(catalogue, DEFAULT_CALENDAR), keys, () => NOW);
    await db.bulkDocs(first.slice(50, 60).flatMap((p) => p.events));
    await again.catchUp();
    // Not rebuilt from zero (same keys): the first fifty applications' facts were kept.
    expect(await model.meta.get('checkpoint')).toBeDefined();
    const period = { from: '2026-01-01', to: '2026-12-31' };
    expect(computeOfficeReport(await loadReportDays(model, period), period, {})).toEqual(
      computeOfficeReport(buildDayRows(expectedFacts(first.slice(0, 60))), period, {}),
    );
  });

  it('gives the office now: every open application by who holds it, each count with its list, names from the directory', async () => {
    const { db, model, projector } = await projectorOn();
    await db.bulkDocs(plans.flatMap((p) => p.events));
    await projector.catchUp();
    // Open, as the engine folds them (not as the code under test reads them).
    const open = plans.filter((p) => {
      const s = fold({
        appId: p.appId,
        events: p.events,
        service: findReportService,
        calendar: DEFAULT_CALENDAR,
        now: NOW,
      });
      return s.registered && (s.status === 'in_progress' || s.status === 'waiting_applicant');
    });
    expect(open.length).toBeGreaterThan(0);
    const now = await nowFigures(model, NOW, {});
    expect(now.open).toBe(open.length);
    expect(now.openRows.map((a) => a.appId).sort()).toEqual(open.map((p) => p.appId).sort());
    // Each person's figures are the lists behind them: what the workload's drill-down shows.
    expect(now.byHolder.reduce((n, h) => n + h.open, 0)).toBe(open.length);
    for (const h of now.byHolder) {
      const theirs = now.openRows.filter((a) => holderKey(holderOf(a)) === holderKey(h.holder));
      expect(theirs.length).toBe(h.open);
      expect(now.overdue.filter((a) => holderKey(holderOf(a)) === holderKey(h.holder)).length).toBe(h.overdue);
      expect(now.atRisk.filter((a) => holderKey(holderOf(a)) === holderKey(h.holder)).length).toBe(h.atRisk);
    }
    expect(await staffNames(model)).toEqual(new Map());
    await model.staff.put({
      _id: 'staff:exec1',
      type: 'staff',
      v: 1,
      office: 'ALM01',
      login: 'exec1',
      fullName: 'Омарова Дана',
      roles: ['executor'],
      active: true,
      updatedAt: '2026-06-01T09:00:00+05:00',
    });
    expect((await staffNames(model)).get('exec1')).toBe('Омарова Дана');
  });
});
