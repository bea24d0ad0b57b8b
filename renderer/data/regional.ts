import { REPORT_VIEW_KEY_LENGTH, REPORTS_DESIGN_DOC_ID, reportsDbName, type ReportView } from '@shared/couch';
import {
  mergeRegional,
  viewParams,
  viewQueries,
  type CountRow,
  type OfficeRows,
  type Period,
  type RegionalReport,
  type ReportFilters,
  type StatsRow,
} from '@shared/reports';
import { base, basicAuth } from './serverAuth';

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
