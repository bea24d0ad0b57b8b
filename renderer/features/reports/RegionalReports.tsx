import { useEffect, useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { toLocalDate } from '@shared/calendar';
import { CHANNELS, type Catalogue } from '@shared/catalogue';
import { MEASURES, type RegionalFigures, type RegionalReport } from '@shared/reports';
import { useMinuteClock } from '../../components/useMinuteClock';
import { regionalReport, type RegionalResult } from '../../data';
import { formatNumber, formatPrintedDateTime } from '../../i18n/format';
import { usePreferences } from '../../state/preferences';
import type { RegionalUser } from '../../state/regional';
import { COLORS, StackedBars, TrendChart } from './charts';
import { FilterSelect } from './FilterSelect';
import { Legend } from './Legend';
import { PeriodControls } from './PeriodControls';
import { ReportActions } from './ReportActions';
import { ReportTableView } from './ReportTableView';
import {
  channelName,
  countCell,
  dayLength,
  durationCell,
  formatDay,
  serviceName,
  shareCell,
  stepName,
  type Cell,
  type ReportTable,
  type TableContext,
} from './tables';
import { useReportParams } from './useReportParams';

/** What the regional totals can say exactly, and what not (the legend's items for this report). */
const REGIONAL_LEGEND = [
  'days',
  'volumes',
  'deadline',
  'steps',
  'versions',
  'rework',
  'extended',
  'regionalMean',
  'regionalLimits',
];

const volumeCells = (ctx: TableContext, f: RegionalFigures): Cell[] =>
  MEASURES.map((m) => countCell(ctx.language, f.volume[m]));

function slaCells(ctx: TableContext, f: RegionalFigures): Cell[] {
  const { language, t } = ctx;
  const judged = f.sla.closed - f.sla.noDeadline;
  return [
    countCell(language, f.sla.closed),
    countCell(language, f.sla.onTime),
    shareCell(language, f.sla.onTime, judged),
    countCell(language, f.sla.late),
    shareCell(language, f.sla.late, judged),
    countCell(language, f.sla.noDeadline),
    countCell(language, f.sla.returned),
    countCell(language, f.sla.extended),
    durationCell(f.sla.meanMinutes, 480, t),
  ];
}

export function regionalTables(report: RegionalReport, ctx: TableContext): ReportTable[] {
  const { t, language } = ctx;
  const volumeColumns = MEASURES.map((m) => t(`reports:measure.${m}`));
  const slaColumns = [
    ...['closed', 'onTime', 'onTimeShare', 'late', 'lateShare', 'noDeadline', 'returned', 'extended'].map((c) =>
      t(`reports:sla.${c}`),
    ),
    t('reports:regional.mean'),
  ];
  return [
    {
      id: 'offices',
      title: t('reports:regional.section.offices'),
      columns: [t('common:office'), ...slaColumns],
      rows: [
        ...report.offices.map((o) => [{ text: o.office }, ...slaCells(ctx, o)]),
        [{ text: t('reports:total') }, ...slaCells(ctx, report.total)],
      ],
      total: true,
    },
    {
      id: 'officeVolumes',
      title: t('reports:regional.section.officeVolumes'),
      columns: [t('common:office'), ...volumeColumns],
      rows: [
        ...report.offices.map((o) => [{ text: o.office }, ...volumeCells(ctx, o)]),
        [{ text: t('reports:total') }, ...volumeCells(ctx, report.total)],
      ],
      total: true,
    },
    {
      id: 'services',
      title: t('reports:section.sla'),
      columns: [t('reports:column.service'), ...slaColumns],
      rows: report.byService.map((s) => [{ text: serviceName(ctx, s.serviceId) }, ...slaCells(ctx, s)]),
    },
    {
      id: 'serviceVolumes',
      title: t('reports:section.byService'),
      columns: [t('reports:column.service'), ...volumeColumns],
      rows: report.byService.map((s) => [{ text: serviceName(ctx, s.serviceId) }, ...volumeCells(ctx, s)]),
    },
    {
      id: 'steps',
      title: t('reports:section.steps'),
      columns: [
        t('reports:column.service'),
        t('reports:column.step'),
        t('reports:steps.passes'),
        t('reports:steps.late'),
        t('reports:steps.lateShare'),
        t('reports:regional.mean'),
        t('reports:regional.min'),
        t('reports:regional.max'),
      ],
      rows: report.steps.map((s) => {
        const perDay = dayLength(ctx.catalogue.get(s.serviceId, s.serviceVersion));
        return [
          { text: serviceName(ctx, s.serviceId, s.serviceVersion) },
          { text: stepName(ctx, s.serviceId, s.serviceVersion, s.variantId, s.stepId) },
          countCell(language, s.passes),
          countCell(language, s.late),
          shareCell(language, s.late, s.passes),
          durationCell(s.meanMinutes, perDay, t),
          durationCell(s.minMinutes, perDay, t),
          durationCell(s.maxMinutes, perDay, t),
        ];
      }),
    },
  ];
}

/** A supervisor's report over their offices, online from central, offices side by side. */
export function RegionalReports({
  user,
  password,
  catalogue,
}: {
  user: RegionalUser;
  password: string;
  catalogue: Catalogue;
}): JSX.Element {
  const { t } = useTranslation();
  const language = usePreferences((s) => s.language);
  const now = useMinuteClock();
  const today = toLocalDate(now);
  const params = useReportParams(today);
  const { kind, period, filters } = params;
  const [result, setResult] = useState<{ key: string; value: RegionalResult | 'failed' } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const key = JSON.stringify([period, filters.serviceId, filters.variantId, filters.channel, user.offices]);
  useEffect(() => {
    const abort = new AbortController();
    regionalReport(
      { server: user.server, login: user.login, password },
      user.offices,
      period,
      filters,
      abort.signal,
    ).then(
      (value) => setResult({ key, value }),
      () => {
        if (!abort.signal.aborted) setResult({ key, value: 'failed' });
      },
    );
    return () => abort.abort();
    // `key` names everything the request depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, password, user.server, user.login]);
  const ctx: TableContext = { catalogue, language, t };
  const current = result?.key === key ? result.value : null;
  const report = current && current !== 'failed' ? current.report : null;
  const tables = report ? regionalTables(report, ctx) : [];
  const fmt = (n: number): string => formatNumber(n, language);
  const periodText =
    period.from === period.to ? formatDay(period.from) : `${formatDay(period.from)} — ${formatDay(period.to)}`;
  const heading = [
    `${t('reports:regional.offices')}: ${user.offices.join(', ')}`,
    `${t('reports:period.label')}: ${periodText}`,
    `${t('reports:madeAt')}: ${formatPrintedDateTime(now)}`,
    `${t('reports:madeBy')}: ${user.displayName} (${t('settings:roles.supervisor')})`,
  ];
  const setFilters = (f: Partial<typeof filters>): void =>
    params.set({ filters: { ...filters, ...f, executor: null } });
  return (
    <section className="report" data-testid="regional-report">
      <div className="report-print-head print-only">
        <h1>{t('reports:regional.printTitle')}</h1>
        {heading.map((h) => (
          <p key={h}>{h}</p>
        ))}
      </div>
      <div className="report-controls no-print">
        <PeriodControls
          kind={kind}
          period={period}
          today={today}
          onChange={(k, p) => params.set({ kind: k, period: p })}
        />
        <FilterSelect
          label={t('reports:column.service')}
          value={filters.serviceId}
          values={[...new Set(catalogue.services.map((s) => s.id))]}
          name={(id) => serviceName(ctx, id)}
          onChange={(serviceId) => setFilters({ serviceId, variantId: null })}
          testId="report-service"
        />
        <FilterSelect
          label={t('reports:column.channel')}
          value={filters.channel}
          values={CHANNELS}
          name={(c) => channelName(t, c)}
          onChange={(channel) => setFilters({ channel })}
          testId="report-channel"
        />
        <ReportActions
          tables={tables}
          heading={heading}
          fileName={`region-${period.from}-${period.to}.xlsx`}
          disabled={!report}
          onFailure={setFailure}
        />
      </div>
      <p className="report-note" data-testid="regional-limits">
        {t('reports:regional.limits')}
      </p>
      {failure && <p className="field-error">{t(failure)}</p>}
      {current === 'failed' && (
        <p className="field-error" role="alert">
          {t('reports:regional.error.unreachable')}
        </p>
      )}
      {current && current !== 'failed' && current.failed.length > 0 && (
        <p className="field-error" role="alert" data-testid="regional-failed">
          {current.failed.map((f) => `${f.office}: ${t(`reports:regional.error.${f.code}`)}`).join('; ')}
        </p>
      )}
      {!report ? (
        current === null && <p className="muted">{t('reports:loading')}</p>
      ) : (
        <>
          <section className="card report-section" data-testid="regional-offices">
            <h2>{t('reports:regional.section.offices')}</h2>
            <StackedBars
              items={report.offices.map((o) => ({
                label: o.office,
                values: [o.sla.onTime, o.sla.late, o.sla.noDeadline],
              }))}
              series={[
                { name: t('reports:sla.onTime'), color: COLORS.ok },
                { name: t('reports:sla.late'), color: COLORS.bad },
                { name: t('reports:sla.noDeadline'), color: COLORS.none },
              ]}
              format={fmt}
              testId="chart-offices"
            />
            {tables[0] && <ReportTableView table={tables[0]} />}
            {tables[1] && <ReportTableView table={tables[1]} />}
          </section>
          <section className="card report-section">
            <h2>{t('reports:section.volumes')}</h2>
            <TrendChart
              points={[...new Set(report.trend.map((p) => p.bucket))].map((bucket) => {
                const at = report.trend.filter((p) => p.bucket === bucket);
                return {
                  label:
                    bucket.length === 7 ? `${bucket.slice(5, 7)}.${bucket.slice(0, 4)}` : formatDay(bucket).slice(0, 5),
                  bars: at.reduce((n, p) => n + p.registered, 0),
                  line: at.reduce((n, p) => n + p.results, 0),
                };
              })}
              names={{ bars: t('reports:measure.registered'), line: t('reports:chart.results') }}
              format={fmt}
              testId="chart-regional-trend"
            />
            {tables[3] && <ReportTableView table={tables[3]} />}
          </section>
          <section className="card report-section">
            <h2>{t('reports:section.sla')}</h2>
            {tables[2] && <ReportTableView table={tables[2]} />}
          </section>
          <section className="card report-section">
            <h2>{t('reports:section.steps')}</h2>
            {tables[4] && tables[4].rows.length > 0 ? (
              <ReportTableView table={tables[4]} numericFrom={2} />
            ) : (
              <p className="muted">
                {filters.channel ? t('reports:regional.noStepsByChannel') : t('reports:nothingDone')}
              </p>
            )}
          </section>
          <Legend items={REGIONAL_LEGEND} />
        </>
      )}
    </section>
  );
}
