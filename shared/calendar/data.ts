/**
 * The Kazakhstan holiday calendar as data (domain-facts §2), one entry per year. Kept as data,
 * not rules, because the inputs change by decision: МТСЗН transfer orders, Kurban Ait (lunar,
 * announced late, ±1 day) and Constitution Day (30 Aug until 2025, 15 March from 2027).
 * Only the statutory weekend rule is code (holidays.ts).
 */

export type HolidayKey =
  | 'new_year'
  | 'orthodox_christmas'
  | 'womens_day'
  | 'nauryz'
  | 'unity_day'
  | 'defender_day'
  | 'victory_day'
  | 'kurban_ait'
  | 'capital_day'
  | 'constitution_day'
  | 'republic_day'
  | 'independence_day';

export interface Holiday {
  /** 'YYYY-MM-DD'; multi-day holidays (New Year, Nauryz) have one entry per day */
  date: string;
  /** One of HolidayKey, or another lower-case key for a holiday added by a later law (its names say what it is). */
  key: string;
  names: { kk: string; ru: string };
  /** Whether a Sat/Sun coincidence moves the day off to the next working day (law No. 267-II Art. 5). */
  transferable: boolean;
  /** Date not yet published; a computed estimate. */
  estimated?: boolean;
}

/** One instrument moving days off (Labour Code Art. 85 p. 3; МТСЗН orders from 2024). */
export interface Transfer {
  /** Extra days off (working days made non-working). */
  daysOff: string[];
  /** Weekend days made working days. */
  workingDays: string[];
  /** The instrument, e.g. the order and its date. */
  source: string;
}

export interface YearData {
  year: number;
  holidays: Holiday[];
  transfers: Transfer[];
  note?: string;
}

export const HOLIDAY_NAMES: Readonly<Record<HolidayKey, { kk: string; ru: string }>> = {
  new_year: { kk: 'Жаңа жыл', ru: 'Новый год' },
  orthodox_christmas: { kk: 'Православиелік Рождество', ru: 'Православное Рождество' },
  womens_day: { kk: 'Халықаралық әйелдер күні', ru: 'Международный женский день' },
  nauryz: { kk: 'Наурыз мейрамы', ru: 'Наурыз мейрамы' },
  unity_day: { kk: 'Қазақстан халқының бірлігі күні', ru: 'Праздник единства народа Казахстана' },
  defender_day: { kk: 'Отан қорғаушы күні', ru: 'День защитника Отечества' },
  victory_day: { kk: 'Жеңіс күні', ru: 'День Победы' },
  kurban_ait: { kk: 'Құрбан айт', ru: 'Курбан айт' },
  capital_day: { kk: 'Астана күні', ru: 'День столицы' },
  constitution_day: { kk: 'Конституция күні', ru: 'День Конституции' },
  republic_day: { kk: 'Республика күні', ru: 'День Республики' },
  independence_day: { kk: 'Тәуелсіздік күні', ru: 'День Независимости' },
};

/**
 * Religious days off (7 January, first day of Kurban Ait) are days off under Labour Code
 * Art. 84 p. 5, not holidays under the holiday law, so its weekend rule does not move them.
 */
const NOT_TRANSFERABLE: ReadonlySet<HolidayKey> = new Set<HolidayKey>(['orthodox_christmas', 'kurban_ait']);

export function holiday(date: string, key: HolidayKey, estimated = false): Holiday {
  const h: Holiday = { date, key, names: HOLIDAY_NAMES[key], transferable: !NOT_TRANSFERABLE.has(key) };
  if (estimated) h.estimated = true;
  return h;
}

/** Holidays whose date is the same every year, before the Constitution Day change. */
function fixedHolidays(year: number): Holiday[] {
  const d = (md: string): string => `${year}-${md}`;
  return [
    holiday(d('01-01'), 'new_year'),
    holiday(d('01-02'), 'new_year'),
    holiday(d('01-07'), 'orthodox_christmas'),
    holiday(d('03-08'), 'womens_day'),
    holiday(d('03-21'), 'nauryz'),
    holiday(d('03-22'), 'nauryz'),
    holiday(d('03-23'), 'nauryz'),
    holiday(d('05-01'), 'unity_day'),
    holiday(d('05-07'), 'defender_day'),
    holiday(d('05-09'), 'victory_day'),
    holiday(d('07-06'), 'capital_day'),
    holiday(d('10-25'), 'republic_day'),
    holiday(d('12-16'), 'independence_day'),
  ];
}

const byDate = (a: Holiday, b: Holiday): number => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

/**
 * A new year's holidays as the law fixes them, to start a calendar year from: the fixed dates and
 * Constitution Day (30 August until 2025, 15 March from 2027; none in 2026). Kurban Ait follows
 * the lunar calendar and is announced late: the administrator adds it, marked estimated until
 * published. Transfers come from the government's decree of the year.
 */
export function statutoryHolidays(year: number): Holiday[] {
  const constitution =
    year <= 2025
      ? [holiday(`${year}-08-30`, 'constitution_day')]
      : year >= 2027
        ? [holiday(`${year}-03-15`, 'constitution_day')]
        : [];
  return [...fixedHolidays(year), ...constitution].sort(byDate);
}

export const CALENDAR_DATA: Readonly<Record<number, YearData>> = {
  2024: {
    year: 2024,
    holidays: [
      ...fixedHolidays(2024),
      holiday('2024-08-30', 'constitution_day'),
      // The official calendar said Mon 17 June; ДУМК then announced Sun 16 June, and no transfer was made.
      holiday('2024-06-16', 'kurban_ait'),
    ].sort(byDate),
    transfers: [
      {
        daysOff: ['2024-05-08'],
        workingDays: ['2024-05-04'],
        source:
          'Приказ и.о. Министра труда и социальной защиты населения РК от 17.04.2024 «О переносе дня отдыха в 2024 году»',
      },
    ],
  },
  2025: {
    year: 2025,
    holidays: [
      ...fixedHolidays(2025),
      holiday('2025-08-30', 'constitution_day'),
      holiday('2025-06-06', 'kurban_ait'),
    ].sort(byDate),
    transfers: [
      {
        daysOff: ['2025-01-03'],
        workingDays: ['2025-01-05'],
        source:
          'Приказ Министра труда и социальной защиты населения РК о переносе дня отдыха (объявлен в ноябре 2024 г.)',
      },
    ],
  },
  2026: {
    year: 2026,
    holidays: [...fixedHolidays(2026), holiday('2026-05-27', 'kurban_ait')].sort(byDate),
    transfers: [],
    note:
      'No Constitution Day: МТСЗН reported (18 Mar 2026, single source) that 30 August is no longer a holiday ' +
      'from 2026 — the new Constitution moves it to 15 March from 2027 — so 31 Aug 2026 is a working day. ' +
      'Kurban Ait 27 May per the ДУМК calendar. No transfer order found.',
  },
  2027: {
    year: 2027,
    holidays: [
      ...fixedHolidays(2027),
      // Day of the 15 March 2026 referendum adopting the new Constitution.
      holiday('2027-03-15', 'constitution_day'),
      // Not yet published; computed estimate. A Sunday and not transferable, so it moves nothing.
      holiday('2027-05-16', 'kurban_ait', true),
    ].sort(byDate),
    transfers: [],
    note:
      'Computed, not yet official: weekend rule applied to the statutory holidays, Constitution Day on 15 March ' +
      'per the 2026 change, Kurban Ait estimated (16 May), no МТСЗН transfer order known.',
  },
};
