import {
  holderKey,
  holderOf,
  loadReportDays,
  nowFigures,
  staffNames,
  useLiveQuery,
  type ApplicationRow,
  type Desk,
  type NowFigures,
} from '../../data';
import { useMemo, useState, type JSX } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CalendarError, toLocalDate, workingMinutesBetween, type WorkCalendar } from '@shared/calendar';
import type { Catalogue } from '@shared/catalogue';
import { computeOfficeReport, drillIds, reportOptions, type OfficeReport, type ReportFilters } from '@shared/reports';
import { officeHoursOf } from '@shared/workflow';
import { useMinuteClock } from '../../components/useMinuteClock';
import { formatNumber, formatPrintedDateTime } from '../../i18n/format';
import { usePreferences } from '../../state/preferences';
import type { DeskUser } from '../../state/session';
import { COLORS, StackedBars, TrendChart } from './charts';
import { DrillList } from './DrillList';
import { FilterSelect } from './FilterSelect';
import { Legend } from './Legend';
import { PeriodControls } from './PeriodControls';
import { ReportActions } from './ReportActions';
import { ReportTableView } from './ReportTableView';
import {
  channelName,
  countCell,
  dayLength,
  durationText,
  formatDay,
  holderName,
  officeTables,
  serviceName,
  shareCell,
  variantName,
  type Cell,
  type NowDrill,
  type TableContext,
} from './tables';
import { useReportParams, type DrillState } from './useReportParams';

/** How late an open application is now, in working time of its service's hours. */
function lateBy(a: ApplicationRow, now: number, catalogue: Catalogue, calendar: WorkCalendar, t: TFunction): string {
  const since = Math.min(a.dueAt ?? Infinity, a.stepDueAt ?? Infinity);
  const service = catalogue.get(a.serviceId, a.serviceVersion);
  if (!service || !Number.isFinite(since)) return '—';
  try {
    return durationText(workingMinutesBetween(calendar, officeHoursOf(service), since, now), dayLength(service), t);
  } catch (e) {
    if (e instanceof CalendarError) return '—';
    throw e;
  }
}

function nowIds(now: NowFigures, d: NowDrill): string[] {
  const list = d.which === 'overdue' ? now.overdue : d.which === 'atRisk' ? now.atRisk : now.openRows;
  return list.filter((a) => d.holder === undefined || holderKey(holderOf(a)) === d.holder).map((a) => a.appId);
}

export function OfficeReports({
  desk,
  user,
  catalogue,
}: {
  desk: Desk;
  user: DeskUser;
  catalogue: Catalogue;
}): JSX.Element {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  const now = useMinuteClock();
  const today = toLocalDate(now);
  const params = useReportParams(today);
  const { kind, period, filters, drill } = params;
  const [failure, setFailure] = useState<string | null>(null);
  // Rows are taken for the period they were read for only: while a new period's are read, the last
  // result would otherwise be shown under the new period's title (briefly wrong figures).
  const loaded = useLiveQuery(
    async () => ({ from: period.from, to: period.to, rows: await loadReportDays(desk, period) }),
    [desk, period.from, period.to],
  );
  const rows = loaded && loaded.from === period.from && loaded.to === period.to ? loaded.rows : undefined;
  const report = useMemo(() => (rows ? computeOfficeReport(rows, period, filters) : null), [rows, period, filters]);
  const options = useMemo(() => (rows ? reportOptions(rows, period) : null), [rows, period]);
  const current = useLiveQuery(() => nowFigures(desk, now, filters), [desk, now, filters]);
  const names = useLiveQuery(() => staffNames(desk), [desk]);
  const ctx: TableContext = { catalogue, language, t, names: names ?? new Map<string, string>() };
  const tables = report ? officeTables(report, current?.byHolder ?? null, ctx) : [];
  const table = (id: string) => tables.find((x) => x.id === id);
  const fmt = (n: number): string => formatNumber(n, language);
  const setFilters = (f: Partial<ReportFilters>): void => params.set({ filters: { ...filters, ...f }, drill: null });
  const openDrill = (cell: Cell): void => {
    if (cell.drill) params.set({ drill: cell.drill });
  };
  const periodText =
    period.from === period.to ? formatDay(period.from) : `${formatDay(period.from)} — ${formatDay(period.to)}`;

  if (drill && rows && current) {
    const ids = drill.kind === 'now' ? nowIds(current, drill) : drillIds(rows, period, filters, drill);
    return (
      <DrillList
        desk={desk}
        catalogue={catalogue}
        ids={ids}
        title={`${drillTitle(drill, ctx)} · ${periodText} · ${t('common:applicationsCount', { count: ids.length })}`}
        onClose={() => params.set({ drill: null })}
      />
    );
  }

  const madeAt = formatPrintedDateTime(now);
  const heading = [
    `${t('common:office')}: ${desk.config.office}`,
    `${t('reports:period.label')}: ${periodText}`,
    `${t('reports:madeAt')}: ${madeAt}`,
    `${t('reports:madeBy')}: ${user.displayName} (${t(`settings:roles.${user.role}`)})`,
  ];
  const service = filters.serviceId ? catalogue.get(filters.serviceId) : undefined;
  return (
    <section className="report" data-testid="office-report">
      <div className="report-print-head print-only">
        <h1>{t('reports:printTitle')}</h1>
        {heading.map((h) => (
          <p key={h}>{h}</p>
        ))}
      </div>
      <div className="report-controls no-print">
        <PeriodControls
          kind={kind}
          period={period}
          today={today}
          onChange={(k, p) => params.set({ kind: k, period: p, drill: null })}
        />
        <FilterSelect
          label={t('reports:column.service')}
          value={filters.serviceId}
          values={options?.services ?? []}
          name={(id) => serviceName(ctx, id)}
          onChange={(serviceId) => setFilters({ serviceId, variantId: null })}
          testId="report-service"
        />
        {service && service.variants.length > 1 && (
          <FilterSelect
            label={t('reports:column.variant')}
            value={filters.variantId}
            values={service.variants.map((v) => v.id)}
            name={(id) => variantName(ctx, service.id, id)}
            onChange={(variantId) => setFilters({ variantId })}
          />
        )}
        <FilterSelect
          label={t('reports:column.channel')}
          value={filters.channel}
          values={options?.channels ?? []}
          name={(c) => channelName(t, c)}
          onChange={(channel) => setFilters({ channel })}
          testId="report-channel"
        />
        <FilterSelect
          label={t('reports:column.executor')}
          value={filters.executor}
          values={options?.executors ?? []}
          name={(x) => names?.get(x) ?? x}
          onChange={(executor) => setFilters({ executor })}
          testId="report-executor"
        />
        <ReportActions
          tables={tables}
          heading={heading}
          fileName={`report-${desk.config.office}-${period.from}-${period.to}.xlsx`}
          disabled={!report}
          onFailure={setFailure}
        />
      </div>
      {failure && <p className="field-error">{t(failure)}</p>}
      {!report ? (
        <p className="muted">{t('reports:loading')}</p>
      ) : (
        <ReportBody
          report={report}
          current={current ?? null}
          tables={{
            sla: table('sla'),
            steps: table('steps'),
            byService: table('byService'),
            byChannel: table('byChannel'),
            trend: table('trend'),
            workload: table('workload'),
          }}
          ctx={ctx}
          fmt={fmt}
          now={now}
          desk={desk}
          onDrill={openDrill}
          catalogue={catalogue}
        />
      )}
    </section>
  );
}

function drillTitle(d: DrillState, ctx: TableContext): string {
  const { t } = ctx;
  switch (d.kind) {
    case 'volume':
      return [
        t(`reports:measure.${d.measure}`),
        d.serviceId ? serviceName(ctx, d.serviceId) : null,
        d.channel ? channelName(t, d.channel) : null,
        d.bucket ? formatDay(d.bucket) : null,
      ]
        .filter(Boolean)
        .join(' · ');
    case 'sla':
      return [
        t(`reports:sla.${d.which}`),
        d.serviceId ? serviceName(ctx, d.serviceId) : null,
        d.serviceId && d.variantId ? variantName(ctx, d.serviceId, d.variantId) : null,
      ]
        .filter(Boolean)
        .join(' · ');
    case 'step':
      return `${t(`reports:steps.${d.which}`)} · ${serviceName(ctx, d.serviceId, d.serviceVersion)} · ${d.stepId}`;
    case 'now': {
      if (d.holder === undefined) return t(`reports:now.${d.which}`);
      // The holder's key is `role:login` (data/reports holderKey); the queue of a role has no login.
      const at = d.holder.indexOf(':');
      const holder = { role: d.holder.slice(0, at), login: d.holder.slice(at + 1) || null };
      return `${t(`reports:now.${d.which}`)} · ${holderName(ctx, holder)}`;
    }
  }
}

interface SectionTables {
  sla: ReturnType<typeof officeTables>[number] | undefined;
  steps: ReturnType<typeof officeTables>[number] | undefined;
  byService: ReturnType<typeof officeTables>[number] | undefined;
  byChannel: ReturnType<typeof officeTables>[number] | undefined;
  trend: ReturnType<typeof officeTables>[number] | undefined;
  workload: ReturnType<typeof officeTables>[number] | undefined;
}

function ReportBody({
  report,
  current,
  tables,
  ctx,
  fmt,
  now,
  desk,
  onDrill,
  catalogue,
}: {
  report: OfficeReport;
  current: NowFigures | null;
  tables: SectionTables;
  ctx: TableContext;
  fmt: (n: number) => string;
  now: number;
  desk: Desk;
  onDrill: (cell: Cell) => void;
  catalogue: Catalogue;
}): JSX.Element {
  const { t, language } = ctx;
  const v = report.volume;
  const s = report.sla;
  const judged = s.closed - s.noDeadline;
  const tiles: { label: string; cell: Cell; note?: string; tone?: string; id: string }[] = [
    {
      id: 'registered',
      label: t('reports:measure.registered'),
      cell: countCell(language, v.registered, { kind: 'volume', measure: 'registered' }),
    },
    {
      id: 'closed',
      label: t('reports:sla.closed'),
      cell: countCell(language, s.closed, { kind: 'sla', which: 'closed' }),
    },
    {
      id: 'onTime',
      label: t('reports:sla.onTimeShare'),
      cell: shareCell(language, s.onTime, judged),
      note: t('reports:tile.ofJudged', { count: judged, n: formatNumber(judged, language) }),
      tone: 'ok',
    },
    {
      id: 'late',
      label: t('reports:sla.late'),
      cell: countCell(language, s.late, { kind: 'sla', which: 'late' }),
      tone: s.late > 0 ? 'bad' : undefined,
    },
    {
      id: 'open',
      label: t('reports:measure.open'),
      cell: countCell(language, v.open, { kind: 'volume', measure: 'open' }),
    },
    {
      id: 'overdueNow',
      label: t('reports:now.overdue'),
      cell: countCell(language, current?.overdue.length ?? 0, { kind: 'now', which: 'overdue' }),
      tone: (current?.overdue.length ?? 0) > 0 ? 'bad' : undefined,
    },
  ];
  const slaItems = report.slaRows.map((r) => ({
    label: `${serviceName(ctx, r.serviceId)}${catalogue.get(r.serviceId)?.variants.length === 1 ? '' : ` — ${variantName(ctx, r.serviceId, r.variantId)}`}`,
    values: [r.onTime, r.late, r.noDeadline],
  }));
  return (
    <>
      <div className="report-tiles" data-testid="report-tiles">
        {tiles.map((x) => (
          <div key={x.id} className={`report-tile${x.tone ? ` ${x.tone}` : ''}`} data-testid={`tile-${x.id}`}>
            <span className="tile-label">{x.label}</span>
            {x.cell.drill ? (
              <button type="button" className="tile-value link-button" onClick={() => onDrill(x.cell)}>
                {x.cell.text}
              </button>
            ) : (
              <span className="tile-value">{x.cell.text}</span>
            )}
            {x.note && <span className="tile-note">{x.note}</span>}
          </div>
        ))}
      </div>

      <section className="card report-section" data-testid="report-sla">
        <h2>{t('reports:section.sla')}</h2>
        {report.slaRows.length === 0 ? (
          <p className="muted">{t('reports:nothingClosed')}</p>
        ) : (
          <>
            <StackedBars
              items={slaItems}
              series={[
                { name: t('reports:sla.onTime'), color: COLORS.ok },
                { name: t('reports:sla.late'), color: COLORS.bad },
                { name: t('reports:sla.noDeadline'), color: COLORS.none },
              ]}
              format={fmt}
              testId="chart-sla"
            />
            {tables.sla && <ReportTableView table={tables.sla} onDrill={onDrill} numericFrom={2} />}
          </>
        )}
      </section>

      <section className="card report-section" data-testid="report-steps">
        <h2>{t('reports:section.steps')}</h2>
        <p className="note">{t('reports:stepsNote')}</p>
        {tables.steps && tables.steps.rows.length > 0 ? (
          <ReportTableView table={tables.steps} onDrill={onDrill} numericFrom={3} />
        ) : (
          <p className="muted">{t('reports:nothingDone')}</p>
        )}
      </section>

      <section className="card report-section" data-testid="report-volumes">
        <h2>{t('reports:section.volumes')}</h2>
        <TrendChart
          points={report.trend.map((p) => ({
            label: formatDay(p.bucket).slice(0, report.trendUnit === 'month' ? 10 : 5),
            bars: p.volume.registered,
            line: p.volume.approved + p.volume.refused,
          }))}
          names={{ bars: t('reports:measure.registered'), line: t('reports:chart.results') }}
          format={fmt}
          testId="chart-trend"
        />
        {tables.byService && <ReportTableView table={tables.byService} onDrill={onDrill} />}
        {tables.byChannel && <ReportTableView table={tables.byChannel} onDrill={onDrill} />}
        {tables.trend && (
          <details className="report-details">
            <summary>{tables.trend.title}</summary>
            <ReportTableView table={tables.trend} onDrill={onDrill} />
          </details>
        )}
      </section>

      <section className="card report-section" data-testid="report-now">
        <h2>{t('reports:section.now', { time: formatPrintedDateTime(now) })}</h2>
        {!current ? (
          <p className="muted">{t('reports:loading')}</p>
        ) : (
          <>
            <p>
              {t('reports:now.summary', {
                open: current.open,
                n: formatNumber(current.open, language),
                overdue: current.overdue.length,
                atRisk: current.atRisk.length,
              })}
            </p>
            {tables.workload && tables.workload.rows.length > 0 && (
              <ReportTableView table={tables.workload} onDrill={onDrill} />
            )}
            {current.overdue.length > 0 && (
              <>
                <h3>{t('reports:now.mostLate')}</h3>
                <table className="report-table" data-testid="report-overdue">
                  <thead>
                    <tr>
                      <th>{t('applications:columns.number')}</th>
                      <th>{t('reports:column.service')}</th>
                      <th>{t('reports:now.holder')}</th>
                      <th className="num">{t('reports:now.lateBy')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {current.overdue.slice(0, 10).map((a) => (
                      <tr key={a.appId}>
                        <td className="mono">
                          <Link to={`/applications/${a.appId}`}>{a.regNumber}</Link>
                        </td>
                        <td>{serviceName(ctx, a.serviceId, a.serviceVersion)}</td>
                        <td>{holderName(ctx, holderOf(a))}</td>
                        <td className="num">{lateBy(a, now, catalogue, desk.calendar, t)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </>
        )}
      </section>
      <Legend />
    </>
  );
}
