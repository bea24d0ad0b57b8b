import type { TFunction } from 'i18next';
import { openPeriods } from '@shared/calendar';
import type { Catalogue, ServiceDefinition } from '@shared/catalogue';
import type { UiLanguage } from '@shared/ipc/contract';
import {
  MEASURES,
  parseNormKey,
  type DrillCriteria,
  type Measure,
  type OfficeReport,
  type Sla,
  type Volume,
} from '@shared/reports';
import { officeHoursOf } from '@shared/workflow';
import { holderKey, type HolderLoad } from '../../data';
import { formatNumber } from '../../i18n/format';

/**
 * A report as tables: the screen, the printed page and the XLSX export show the same cells. A cell
 * keeps its number (the spreadsheet gets numbers, not text) and, where it counts applications,
 * the figure to drill into.
 */
export interface Cell {
  text: string;
  value?: number;
  /** The value is a duration in working hours (the spreadsheet's column says so). */
  hours?: true;
  drill?: Drill;
}

/** Open applications as they stand now, of one holder or all. */
export interface NowDrill {
  kind: 'now';
  which: 'open' | 'overdue' | 'atRisk';
  holder?: string;
}
/** A figure a person can open the list of. */
export type Drill = DrillCriteria | NowDrill;

export interface ReportTable {
  id: string;
  title: string;
  columns: string[];
  rows: Cell[][];
  /** The last row is a total. */
  total?: boolean;
}

export interface TableContext {
  catalogue: Catalogue;
  language: UiLanguage;
  t: TFunction;
  /** Full names by login (the office's staff directory); a login not in it is shown as it is. */
  names?: ReadonlyMap<string, string>;
}

/** 'YYYY-MM-DD' as printed everywhere: dd.MM.yyyy. */
export const formatDay = (day: string): string => `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}`;

export const countCell = (language: UiLanguage, n: number, drill?: Drill): Cell => ({
  text: formatNumber(n, language),
  value: n,
  ...(drill && n > 0 ? { drill } : {}),
});

/** A share as a percentage with one decimal ("85,3 %"), blank when there is nothing to divide. */
export function shareCell(language: UiLanguage, part: number, whole: number): Cell {
  if (whole === 0) return { text: '—' };
  const value = Math.round((part / whole) * 1000) / 10;
  return {
    text: `${formatNumber(value, language, { maximumFractionDigits: 1 })}\u00a0%`,
    value,
  };
}

/** Working minutes in one of the service's working days (8 h for the usual 9–18 with lunch). */
export function dayLength(service: ServiceDefinition | undefined): number {
  if (!service) return 480;
  return openPeriods(officeHoursOf(service)).reduce((n, [a, b]) => n + (b - a), 0);
}

/** A working duration as minutes, hours or working days of the service's office hours. */
export function durationText(minutes: number | null, perDay: number, t: TFunction): string {
  if (minutes === null) return '—';
  // The number is formatted here (formatNumber), the message only picks the plural form.
  const say = (key: string, count: number): string => t(key, { count, n: formatNumber(count, 'ru') });
  if (minutes < 60) return say('reports:duration.minutes', Math.round(minutes));
  if (minutes < perDay) return say('reports:duration.hours', Math.round(minutes / 6) / 10);
  return say('reports:duration.days', Math.round((minutes / perDay) * 10) / 10);
}

export const durationCell = (minutes: number | null, perDay: number, t: TFunction): Cell => ({
  text: durationText(minutes, perDay, t),
  ...(minutes === null ? {} : { value: Math.round((minutes / 60) * 100) / 100, hours: true as const }),
});

export function normText(key: string, t: TFunction): string {
  const n = parseNormKey(key);
  if (!n) return key;
  const base = t(`reports:norm.${n.unit}`, { count: n.value });
  return n.fromRegistration ? `${base} ${t('reports:norm.fromRegistration')}` : base;
}

export function serviceName(ctx: TableContext, serviceId: string, version?: string): string {
  const s = ctx.catalogue.get(serviceId, version) ?? ctx.catalogue.get(serviceId);
  return s?.names[ctx.language] ?? serviceId;
}

export function variantName(ctx: TableContext, serviceId: string, variantId: string): string {
  const s = ctx.catalogue.get(serviceId);
  return s?.variants.find((v) => v.id === variantId)?.label[ctx.language] ?? variantId;
}

export function stepName(
  ctx: TableContext,
  serviceId: string,
  version: string,
  variantId: string,
  stepId: string,
): string {
  const step = ctx.catalogue
    .get(serviceId, version)
    ?.variants.find((v) => v.id === variantId)
    ?.steps.find((s) => s.id === stepId);
  return step ? `${step.n}. ${step.action[ctx.language]}` : stepId;
}

export const channelName = (t: TFunction, channel: string): string => t(`reception:channel.${channel}`);

function volumeCells(language: UiLanguage, v: Volume, drill: (m: Measure) => DrillCriteria): Cell[] {
  return MEASURES.map((m) => countCell(language, v[m], drill(m)));
}

function slaCells(
  ctx: TableContext,
  s: Sla,
  perDay: number,
  drill: (which: 'closed' | 'onTime' | 'late' | 'noDeadline') => DrillCriteria,
): Cell[] {
  const { language, t } = ctx;
  return [
    countCell(language, s.closed, drill('closed')),
    countCell(language, s.onTime, drill('onTime')),
    shareCell(language, s.onTime, s.closed - s.noDeadline),
    countCell(language, s.late, drill('late')),
    shareCell(language, s.late, s.closed - s.noDeadline),
    countCell(language, s.noDeadline, drill('noDeadline')),
    countCell(language, s.returned),
    countCell(language, s.extended),
    durationCell(s.medianMinutes, perDay, t),
    durationCell(s.p90Minutes, perDay, t),
  ];
}

/** The office report's tables, in the order the screen shows them. */
export function officeTables(report: OfficeReport, holders: HolderLoad[] | null, ctx: TableContext): ReportTable[] {
  const { t, language } = ctx;
  const measureColumns = MEASURES.map((m) => t(`reports:measure.${m}`));
  const slaColumns = [
    'closed',
    'onTime',
    'onTimeShare',
    'late',
    'lateShare',
    'noDeadline',
    'returned',
    'extended',
    'median',
    'p90',
  ].map((c) => t(`reports:sla.${c}`));
  const versions = new Map<string, Set<string>>();
  for (const s of report.steps)
    versions.set(s.serviceId, (versions.get(s.serviceId) ?? new Set()).add(s.serviceVersion));
  const tables: ReportTable[] = [
    {
      id: 'sla',
      title: t('reports:section.sla'),
      columns: [t('reports:column.service'), t('reports:column.variant'), ...slaColumns],
      rows: [
        ...report.slaRows.map((r) => [
          { text: serviceName(ctx, r.serviceId) },
          { text: variantName(ctx, r.serviceId, r.variantId) },
          ...slaCells(ctx, r, dayLength(ctx.catalogue.get(r.serviceId)), (which) => ({
            kind: 'sla',
            which,
            serviceId: r.serviceId,
            variantId: r.variantId,
          })),
        ]),
        [
          { text: t('reports:total') },
          { text: '' },
          ...slaCells(ctx, report.sla, 480, (which) => ({ kind: 'sla', which })),
        ],
      ],
      total: true,
    },
    {
      id: 'steps',
      title: t('reports:section.steps'),
      columns: [
        t('reports:column.service'),
        t('reports:column.step'),
        t('reports:column.norm'),
        ...['passes', 'late', 'lateShare', 'median', 'p90', 'returned'].map((c) => t(`reports:steps.${c}`)),
      ],
      rows: report.steps.map((s) => {
        const perDay = dayLength(ctx.catalogue.get(s.serviceId, s.serviceVersion));
        const drill = (which: 'passes' | 'late' | 'returned'): DrillCriteria => ({
          kind: 'step',
          serviceId: s.serviceId,
          serviceVersion: s.serviceVersion,
          variantId: s.variantId,
          stepId: s.stepId,
          which,
        });
        const multi = (versions.get(s.serviceId)?.size ?? 0) > 1;
        return [
          {
            text:
              serviceName(ctx, s.serviceId, s.serviceVersion) +
              (multi ? ` (${t('reports:version', { version: s.serviceVersion })})` : ''),
          },
          { text: stepName(ctx, s.serviceId, s.serviceVersion, s.variantId, s.stepId) },
          { text: s.norms.length ? s.norms.map((n) => normText(n, t)).join('; ') : t('reports:noNorm') },
          countCell(language, s.passes, drill('passes')),
          countCell(language, s.late, drill('late')),
          shareCell(language, s.late, s.passes),
          durationCell(s.medianMinutes, perDay, t),
          durationCell(s.p90Minutes, perDay, t),
          countCell(language, s.returned, drill('returned')),
        ];
      }),
    },
    {
      id: 'byService',
      title: t('reports:section.byService'),
      columns: [t('reports:column.service'), ...measureColumns],
      rows: [
        ...report.volumeByService.map((r) => [
          { text: serviceName(ctx, r.serviceId) },
          ...volumeCells(language, r.volume, (measure) => ({ kind: 'volume', measure, serviceId: r.serviceId })),
        ]),
        [
          { text: t('reports:total') },
          ...volumeCells(language, report.volume, (measure) => ({ kind: 'volume', measure })),
        ],
      ],
      total: true,
    },
    {
      id: 'byChannel',
      title: t('reports:section.byChannel'),
      columns: [t('reports:column.channel'), ...measureColumns],
      rows: report.volumeByChannel.map((r) => [
        { text: channelName(t, r.channel) },
        ...volumeCells(language, r.volume, (measure) => ({ kind: 'volume', measure, channel: r.channel })),
      ]),
    },
    {
      id: 'trend',
      title: t(`reports:section.trend.${report.trendUnit}`),
      columns: [t(`reports:column.${report.trendUnit}`), ...measureColumns],
      rows: report.trend.map((r) => [
        { text: formatDay(r.bucket) },
        ...volumeCells(language, r.volume, (measure) => ({ kind: 'volume', measure, bucket: r.bucket })),
      ]),
    },
  ];
  if (holders)
    tables.push({
      id: 'workload',
      title: t('reports:section.workload'),
      columns: ['holder', 'open', 'overdue', 'atRisk'].map((c) => t(`reports:now.${c}`)),
      rows: holders.map((h) => [
        { text: holderName(ctx, h.holder) },
        countCell(language, h.open, { kind: 'now', which: 'open', holder: holderKey(h.holder) }),
        countCell(language, h.overdue, { kind: 'now', which: 'overdue', holder: holderKey(h.holder) }),
        countCell(language, h.atRisk, { kind: 'now', which: 'atRisk', holder: holderKey(h.holder) }),
      ]),
    });
  return tables;
}

/** Who holds an application: the person (by name where the directory has them) and their role, or the role's queue. */
export function holderName(ctx: Pick<TableContext, 't' | 'names'>, h: { role: string; login: string | null }): string {
  const { t } = ctx;
  const role = h.role ? t(`settings:roles.${h.role}`) : '';
  if (!h.login) return role || '—';
  return `${ctx.names?.get(h.login) ?? h.login} (${role})`;
}

/** The tables as an .xlsx workbook (ExcelJS, loaded only when someone exports): one sheet per table, numbers as numbers. */
export async function tablesToXlsx(tables: ReportTable[], heading: string[], hoursUnit: string): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  book.creator = 'Kense';
  const used = new Set<string>();
  for (const table of tables) {
    // Sheet names: at most 31 characters, unique, none of : \ / ? * [ ]
    let name = table.title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 28);
    for (let k = 2; used.has(name); k++) name = `${table.title.slice(0, 25)} ${k}`;
    used.add(name);
    const sheet = book.addWorksheet(name, { pageSetup: { orientation: 'landscape', paperSize: 9, fitToWidth: 1 } });
    for (const line of heading) sheet.addRow([line]);
    sheet.addRow([table.title]).font = { bold: true, size: 13 };
    const inHours = (i: number): boolean => table.rows.some((r) => r[i]?.hours);
    sheet.addRow(table.columns.map((c, i) => (inHours(i) ? `${c} (${hoursUnit})` : c))).font = { bold: true };
    table.rows.forEach((r, i) => {
      const row = sheet.addRow(r.map((c) => c.value ?? c.text));
      if (table.total && i === table.rows.length - 1) row.font = { bold: true };
    });
    sheet.columns.forEach((c, i) => {
      const widest = Math.max(
        ...[table.columns[i] ?? '', ...table.rows.map((r) => r[i]?.text ?? '')].map((v) => v.length),
      );
      c.width = Math.min(60, Math.max(8, widest + 2));
    });
  }
  return new Uint8Array(await book.xlsx.writeBuffer());
}
