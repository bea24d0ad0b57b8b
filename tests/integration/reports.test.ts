import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putStaffUser } from '../../server/provision';
import { validationRules } from '../../server/rules';
import { loadCentralCatalog } from '../../server/central/reports/catalog';
import { ReportsWriter } from '../../server/central/reports/writer';
import { seedDocs, serviceDocId, type ServiceDoc } from '../../shared/catalogue';
import { DEFAULT_CALENDAR } from '../../shared/calendar';
import { loadCatalogue } from '../../shared/catalogue/load';
import { REPORTS_DESIGN_DOC_ID } from '../../shared/couch';
import { buildDayRows, computeOfficeReport, factDocId, periodOf, type ReportFact } from '../../shared/reports';
import { regionalReport } from '../../renderer/data/remote/regional';
import { factsOfPlans, planOffice, REPORT_SERVICES, type Plan } from '../fixtures/reportOffice';
import { freePort } from './lab/harness';
import { basicAuth as basic, startTestCouch, testAdmin, type TestCouch } from './lab/couch';

/**
 * Regional reports through a real CouchDB-protocol server (the dev central), provisioned by the
 * production script: the reports writer keeps each office's facts, a supervisor reads only the
 * reports databases' totals, and the figures merged on the supervisor's computer equal each
 * office's own desk report. Also what the supervisor cannot do: read an office database, write a
 * reports database, or read an office they do not oversee.
 */
let central: TestCouch;
let writer: ReportsWriter;
const ADMIN = testAdmin();
const OFFICES = ['ALM01', 'KZO01', 'SHY01'];
const plans: Record<string, Plan[]> = Object.fromEntries(
  OFFICES.map((o, i) => [o, planOffice(120 + 40 * i, 20 + i, o)]),
);
const admin = basic(ADMIN.user, ADMIN.password);
/** A non-member is refused: 403 on CouchDB 3 for a signed-in user, 401 on the dev server (pouchdb-server). */
const REFUSED = [401, 403];

async function http(
  method: string,
  p: string,
  auth: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(`${central.url}/${p}`, {
    method,
    // A fresh connection each time (as central.test.ts): an idle kept-alive one can be closed under us.
    headers: { 'content-type': 'application/json', connection: 'close', authorization: auth },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

const factsOf = (ps: Plan[]): ReportFact[] => factsOfPlans(ps, Date.now());

beforeAll(async () => {
  central = await startTestCouch({
    port: await freePort(),
    offices: OFFICES,
    rules: validationRules(),
    logins: ['saule', 'marat', 'aigerim'],
    // On an external CouchDB 3, the reports databases start empty too (provisioning makes them again).
    databases: OFFICES.map((o) => `reports_${o.toLowerCase()}`),
  });
  const server = { url: central.url, user: ADMIN.user, password: ADMIN.password };
  await putStaffUser(server, { login: 'saule', password: 'sup-1', role: 'supervisor', office: 'ALM01+KZO01+SHY01' });
  await putStaffUser(server, { login: 'marat', password: 'sup-2', role: 'supervisor', office: 'KZO01' });
  await putStaffUser(server, { login: 'aigerim', password: 'clerk-1', role: 'clerk', office: 'ALM01' });
  // Most of each office's events now, the rest after the writer's first pass.
  for (const office of OFFICES) {
    const events = (plans[office] ?? []).flatMap((p) => p.events.slice(0, -1));
    const r = await http('POST', `office_${office.toLowerCase()}/_bulk_docs`, admin, { docs: events });
    expect(r.status).toBe(201);
  }
  writer = new ReportsWriter({
    url: central.url,
    user: ADMIN.user,
    password: ADMIN.password,
    offices: OFFICES,
    catalogue: loadCatalogue(REPORT_SERVICES),
    calendar: DEFAULT_CALENDAR,
    batch: 200,
  });
  for (const office of OFFICES) expect(await writer.catchUp(office)).toBeGreaterThan(0);
  for (const office of OFFICES) {
    const last = (plans[office] ?? []).flatMap((p) => p.events.slice(-1));
    expect((await http('POST', `office_${office.toLowerCase()}/_bulk_docs`, admin, { docs: last })).status).toBe(201);
  }
  for (const office of OFFICES) await writer.catchUp(office);
}, 300_000);

afterAll(async () => {
  await writer?.stop();
  await central?.stop();
});

describe('regional reports on the dev central', () => {
  const supervisor = { login: 'saule', password: 'sup-1' };

  it('give each office its desk figures, side by side, and their sum', async () => {
    for (const period of [
      periodOf('month', '2026-04-10'),
      periodOf('quarter', '2026-04-10'),
      { from: '2026-03-20', to: '2026-05-12' },
    ]) {
      const { report, failed } = await regionalReport({ server: central.url, ...supervisor }, OFFICES, period, {});
      expect(failed).toEqual([]);
      expect(report.offices.map((o) => o.office)).toEqual(OFFICES);
      for (const o of report.offices) {
        const desk = computeOfficeReport(buildDayRows(factsOf(plans[o.office] ?? [])), period, {});
        expect(o.volume, `${o.office} ${period.from}`).toEqual(desk.volume);
        const { medianMinutes: _m, p90Minutes: _p, ...counts } = desk.sla;
        const { meanMinutes: _mean, ...regional } = o.sla;
        expect(regional).toEqual(counts);
      }
      expect(report.total.volume.registered).toBe(report.offices.reduce((n, o) => n + o.volume.registered, 0));
    }
  });

  it('let a supervisor read only the reports of the offices they oversee, and nothing else', async () => {
    const saule = basic('saule', 'sup-1');
    const marat = basic('marat', 'sup-2');
    // No office database: its documents carry citizens' data.
    expect(REFUSED).toContain((await http('GET', 'office_alm01/_all_docs?limit=1&include_docs=true', saule)).status);
    expect(REFUSED).toContain(
      (await http('GET', 'office_alm01/_design/kense_reports/_view/by_app?limit=1', saule)).status,
    );
    // Their reports databases: facts and totals without a name, an IIN or a number.
    const facts = await http('GET', 'reports_alm01/_all_docs?include_docs=true&limit=50', saule);
    const totals = await http('GET', 'reports_alm01/_all_docs?include_docs=true&startkey="totals:"&limit=50', saule);
    expect(facts.status).toBe(200);
    expect(totals.status).toBe(200);
    const text = JSON.stringify([facts.json, totals.json]);
    expect(text).toContain('report_fact');
    expect(text).toContain('report_totals');
    for (const p of (plans['ALM01'] ?? []).slice(0, 50)) {
      const reg = p.events[0]?.payload as { regNumber: string; applicant: { iin: string; surname: string } };
      expect(text).not.toContain(reg.regNumber);
      expect(text).not.toContain(reg.applicant.iin);
      expect(text).not.toContain(reg.applicant.surname);
    }
    // Read-only, even for a member.
    expect((await http('PUT', 'reports_alm01/fact:FORGED', saule, { type: 'report_fact', v: 1 })).status).toBe(403);
    expect(
      (await http('PUT', 'reports_alm01/writer:checkpoint', saule, { type: 'writer_checkpoint', seq: 0 })).status,
    ).toBe(403);
    // Another supervisor's office; and an office's own staff are not supervisors.
    expect(REFUSED).toContain((await http('GET', 'reports_alm01/_all_docs?limit=1', marat)).status);
    expect((await http('GET', 'reports_kzo01/_all_docs?limit=1', marat)).status).toBe(200);
    expect(REFUSED).toContain(
      (await http('GET', 'reports_alm01/_all_docs?limit=1', basic('aigerim', 'clerk-1'))).status,
    );
    const { failed } = await regionalReport(
      { server: central.url, login: 'marat', password: 'sup-2' },
      ['ALM01', 'KZO01'],
      periodOf('month', '2026-04-10'),
      {},
    );
    expect(failed).toEqual([{ office: 'ALM01', code: 'forbidden' }]);
  });

  it('makes the totals again from the facts where they are missing (a reports database from before totals)', async () => {
    const period = periodOf('quarter', '2026-04-10');
    const read = async (): Promise<number> =>
      (await regionalReport({ server: central.url, ...supervisor }, ['ALM01'], period, {})).report.total.volume
        .registered;
    const before = await read();
    expect(before).toBeGreaterThan(0);
    const totals = await http(
      'GET',
      `reports_alm01/_all_docs?${new URLSearchParams({ startkey: '"totals:"', endkey: '"totals:\ufff0"' })}`,
      admin,
    );
    const state = await http('GET', 'reports_alm01/writer:totals', admin);
    expect(state.status).toBe(200);
    const gone = [
      ...(totals.json['rows'] as { id: string; value: { rev: string } }[]).map((r) => ({
        _id: r.id,
        _rev: r.value.rev,
        _deleted: true,
      })),
      { _id: 'writer:totals', _rev: state.json['_rev'], _deleted: true },
    ];
    expect(gone.length).toBeGreaterThan(10);
    expect((await http('POST', 'reports_alm01/_bulk_docs', admin, { docs: gone })).status).toBe(201);
    expect(await read()).toBe(0);
    await writer.catchUp('ALM01');
    expect(await read()).toBe(before);
  });

  it('keeps no personal data in a fact and is re-run without writing anything new', async () => {
    for (const office of OFFICES) expect(await writer.catchUp(office)).toBe(0);
  });

  it('folds with the catalogue central holds: a service version published there is the writer’s too', async () => {
    const server = { url: central.url, user: ADMIN.user, password: ADMIN.password };
    const seeded = await loadCentralCatalog(server);
    const seed = seedDocs().find((d): d is ServiceDoc => d.type === 'service');
    if (!seed) throw new Error('no seeded service');
    expect(seeded.catalogue.get(seed.data.id, seed.data.version)).toBeDefined();
    expect(seeded.catalogue.get(seed.data.id, '99')).toBeUndefined();
    expect(Object.keys(seeded.calendar.years).length).toBeGreaterThan(0);
    const data = { ...seed.data, version: '99', validFrom: '2026-11-01', validTo: null };
    const put = await http('PUT', `catalog/${encodeURIComponent(serviceDocId(data.id, '99'))}`, admin, {
      type: 'service',
      data,
      updated: { by: ADMIN.user, at: '2026-11-01T09:00:00+05:00' },
    });
    expect(put.json).toMatchObject({ ok: true });
    const published = await loadCentralCatalog(server);
    expect(published.catalogue.get(data.id, '99')?.validFrom).toBe('2026-11-01');
    expect(published.invalid).toBe(0);
  });

  it('makes good a pass cut short between the facts and their totals: the checkpoint names the days', async () => {
    // One more application for ALM01 (the plans' next), written while the totals' view is missing:
    // its fact is written, its day's totals cannot be.
    const known = (plans['ALM01'] ?? []).length;
    const next = planOffice(known + 10, 20, 'ALM01')
      .slice(known)
      // Registered and closed: its fact no longer changes with the day it is folded on.
      .find((p) => factsOf([p])[0]?.intake === 'registered' && factsOf([p])[0]?.closedAt !== null);
    const fact = next && factsOf([next])[0];
    if (!next || !fact) throw new Error('no closed application among the next plans');
    const extra = [next];
    const period = periodOf('quarter', fact.registeredDay);
    const read = async (): Promise<number> =>
      (await regionalReport({ server: central.url, ...supervisor }, ['ALM01'], period, {})).report.total.volume
        .registered;
    const before = await read();
    const design = await http('GET', `reports_alm01/${REPORTS_DESIGN_DOC_ID}`, admin);
    expect(design.status).toBe(200);
    const { _rev: rev, ...designDoc } = design.json;
    expect((await http('DELETE', `reports_alm01/${REPORTS_DESIGN_DOC_ID}?rev=${String(rev)}`, admin)).status).toBe(200);
    expect(
      (await http('POST', 'office_alm01/_bulk_docs', admin, { docs: extra.flatMap((p) => p.events) })).status,
    ).toBe(201);
    await expect(writer.catchUp('ALM01')).rejects.toThrow(/by_day: HTTP 404/);
    expect((await http('GET', `reports_alm01/${factDocId(fact.appId)}`, admin)).status).toBe(200);
    const checkpoint = await http('GET', 'reports_alm01/writer:checkpoint', admin);
    expect(checkpoint.json['pending']).toContain(fact.registeredDay);
    expect(await read()).toBe(before);

    expect((await http('PUT', `reports_alm01/${REPORTS_DESIGN_DOC_ID}`, admin, designDoc)).status).toBe(201);
    // The fact is there already: nothing to write, the days' totals made all the same.
    expect(await writer.catchUp('ALM01')).toBe(0);
    expect(await read()).toBe(before + 1);
    expect((await http('GET', 'reports_alm01/writer:checkpoint', admin)).json['pending']).toBeUndefined();
    const all = [...(plans['ALM01'] ?? []), ...extra];
    const desk = computeOfficeReport(buildDayRows(factsOf(all)), period, {});
    const { report } = await regionalReport({ server: central.url, ...supervisor }, ['ALM01'], period, {});
    expect(report.offices[0]?.volume).toEqual(desk.volume);
  });
});
