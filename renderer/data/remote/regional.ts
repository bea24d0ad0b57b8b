import { REPORT_VIEW_KEY_LENGTH, REPORTS_DESIGN_DOC_ID, reportsDbName, type ReportView } from '@shared/couch';
import {
  mergeRegional,
  viewParams,
  viewQueries,
  type CountRow,
  type OfficeRows,
  type Period,
  type RegionalReport,
  reportOfficesOf,
  type ReportFilters,
  type StatsRow,
} from '@shared/reports';
import { base, basicAuth, checkWithServer, fullNameOf } from './serverAuth';

/**
 * Regional figures for a supervisor, read online from central: each office's reports database's
 * views (shared/couch/reportViews.ts), grouped, then merged on this computer. No office database
 * is read or replicated: the supervisor is a member of the reports databases only.
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

async function readView<T>(
  c: RegionalCredentials,
  office: string,
  view: ReportView,
  query: string,
  signal?: AbortSignal,
): Promise<T[]> {
  let r: Response;
  try {
    r = await fetch(`${base(c.server)}/${reportsDbName(office)}/${REPORTS_DESIGN_DOC_ID}/_view/${view}?${query}`, {
      headers: { authorization: basicAuth(c.login, c.password), accept: 'application/json' },
      credentials: 'omit',
      signal: signal ?? AbortSignal.timeout(60_000),
    });
  } catch {
    throw new ReadError('unreachable');
  }
  if (r.status === 401 || r.status === 403) throw new ReadError('forbidden');
  if (!r.ok) throw new ReadError(r.status === 404 ? 'forbidden' : 'server');
  return ((await r.json()) as { rows: T[] }).rows;
}

/** One office's grouped rows for the period: one request per view and key range. */
export async function officeRows(
  c: RegionalCredentials,
  office: string,
  period: Period,
  signal?: AbortSignal,
): Promise<OfficeRows> {
  const queries = viewQueries(period);
  const read = async <T>(view: ReportView): Promise<T[]> =>
    (
      await Promise.all(
        queries.map((q) => readView<T>(c, office, view, viewParams(q, REPORT_VIEW_KEY_LENGTH[view]), signal)),
      )
    ).flat();
  const [volume, durations, steps] = await Promise.all([
    read<CountRow>('volume'),
    read<StatsRow>('durations'),
    read<StatsRow>('steps'),
  ]);
  return { office, volume, durations, steps };
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
