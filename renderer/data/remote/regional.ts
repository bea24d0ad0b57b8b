import { reportsDbName } from '@shared/couch';
import {
  asTotals,
  bucketRanges,
  mergeRegional,
  totalsDocId,
  type BucketRange,
  type OfficeRows,
  type Period,
  type RegionalReport,
  reportOfficesOf,
  type ReportFilters,
  type TotalsDoc,
} from '@shared/reports';
import { base, basicAuth, checkWithServer, fullNameOf } from './serverAuth';

/**
 * Regional figures for a supervisor, read online from central: each office's day and month totals
 * (shared/reports/totals.ts) from its reports database, merged on this computer. No office
 * database is read or replicated: the supervisor is a member of the reports databases only.
 */
export interface RegionalCredentials {
  server: string;
  login: string;
  password: string;
}

/** Why an office's figures could not be read: a translatable code (`reports:regional.error.<code>`). */
export type OfficeFailure = 'forbidden' | 'unreachable' | 'server';

export interface RegionalResult {
  report: RegionalReport;
  failed: { office: string; code: OfficeFailure }[];
}

class ReadError extends Error {
  constructor(readonly code: OfficeFailure) {
    super(code);
  }
}

/** One range of an office's totals documents (`_all_docs` over their ids, which sort by date). */
async function readTotals(
  c: RegionalCredentials,
  office: string,
  range: BucketRange,
  signal?: AbortSignal,
): Promise<TotalsDoc[]> {
  const query = new URLSearchParams({
    startkey: JSON.stringify(totalsDocId(range.grain, range.from)),
    endkey: JSON.stringify(totalsDocId(range.grain, range.to)),
    include_docs: 'true',
  });
  let r: Response;
  try {
    r = await fetch(`${base(c.server)}/${reportsDbName(office)}/_all_docs?${query.toString()}`, {
      headers: { authorization: basicAuth(c.login, c.password), accept: 'application/json' },
      credentials: 'omit',
      signal: signal ?? AbortSignal.timeout(60_000),
    });
  } catch {
    throw new ReadError('unreachable');
  }
  if (r.status === 401 || r.status === 403) throw new ReadError('forbidden');
  if (!r.ok) throw new ReadError(r.status === 404 ? 'forbidden' : 'server');
  const rows = ((await r.json()) as { rows: { doc?: unknown }[] }).rows;
  return rows.flatMap((row) => {
    const t = asTotals(row.doc);
    return t && t.grain === range.grain ? [t] : [];
  });
}

/** One office's rows for the period: one request per range of totals. */
export async function officeRows(
  c: RegionalCredentials,
  office: string,
  period: Period,
  signal?: AbortSignal,
): Promise<OfficeRows> {
  const totals = (await Promise.all(bucketRanges(period).map((q) => readTotals(c, office, q, signal)))).flat();
  return {
    office,
    volume: totals.flatMap((t) => t.volume),
    durations: totals.flatMap((t) => t.durations),
    steps: totals.flatMap((t) => t.steps),
  };
}

/** Every office read at once (a few at a time), merged; offices that could not be read are named. */
export async function regionalReport(
  c: RegionalCredentials,
  offices: readonly string[],
  period: Period,
  filters: ReportFilters,
  signal?: AbortSignal,
): Promise<RegionalResult> {
  const rows: OfficeRows[] = [];
  const failed: RegionalResult['failed'] = [];
  const queue = [...offices];
  const worker = async (): Promise<void> => {
    for (let office = queue.shift(); office !== undefined; office = queue.shift()) {
      try {
        rows.push(await officeRows(c, office, period, signal));
      } catch (e) {
        failed.push({ office, code: e instanceof ReadError ? e.code : 'server' });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(6, offices.length) }, worker));
  failed.sort((a, b) => (a.office < b.office ? -1 : 1));
  return { report: mergeRegional(period, filters, rows), failed };
}

/** Why a supervisor's sign-in was refused: a translatable code (`reports:regional.signIn.<code>`). */
export type RegionalSignInFailure = 'wrongCredentials' | 'unreachable' | 'notSupervisor' | 'noOffices' | 'serverError';

/**
 * Online only: a supervisor has nothing on this computer to check a password against, and the
 * figures are on the server anyway. The server must say `supervisor` and name at least one office.
 */
export async function signInSupervisor(
  server: string,
  login: string,
  password: string,
): Promise<
  { ok: true; login: string; displayName: string; offices: string[] } | { ok: false; code: RegionalSignInFailure }
> {
  const name = login.trim().toLowerCase();
  const r = await checkWithServer(server, name, password);
  if (r.kind === 'refused') return { ok: false, code: 'wrongCredentials' };
  if (r.kind === 'unreachable') return { ok: false, code: 'unreachable' };
  if (r.kind === 'error') return { ok: false, code: 'serverError' };
  if (!r.roles.includes('supervisor')) return { ok: false, code: 'notSupervisor' };
  const offices = reportOfficesOf(r.roles);
  if (offices.length === 0) return { ok: false, code: 'noOffices' };
  const login2 = r.name ?? name;
  return { ok: true, login: login2, displayName: await fullNameOf(server, login2, password), offices };
}
