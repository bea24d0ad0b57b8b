/**
 * IIN (ИИН / ЖСН) and BIN (БИН / БСН): validation and parsing.
 *
 * Source: shared/reference/domain-facts.md §1 (Government Decree No. 565 of 11 Jun 2003, §5,
 * "Алгоритм расчета значения контрольного разряда").
 *
 * Only the check digit rejects a number. What digits 1–11 say (birth date, sex, century;
 * registration month, entity type) is information: since Decree No. 853 of 26 Aug 2013 an IIN
 * need not match the person's birth date or sex, so a structural mismatch is a warning, never an
 * error.
 */

/**
 * Error codes; the UI translates them as `identity:errors.<code>`. `id.checkDigit10`: both passes
 * of the check-digit algorithm give 10 ("данный ИИН не используется"), whatever digit 12 is.
 */
export const ID_ERRORS = [
  'id.empty',
  'id.notDigits',
  'id.length',
  'id.allZero',
  'id.checksum',
  'id.checkDigit10',
] as const;
export type IdError = (typeof ID_ERRORS)[number];

/**
 * Warning codes (information only); the UI translates them as `identity:warnings.<code>`.
 * - `iin.dateInvalid`: digits 1–6 are not a real date in the century given by digit 7;
 * - `iin.dateInFuture`: the birth date is after `today`;
 * - `iin.centuryUnknown`: digit 7 is not 1–6, so century, birth date and sex are unknown;
 * - `bin.monthInvalid`: digits 3–4 of a BIN are not a month 01–12;
 * - `bin.dateInFuture`: the registration month is after the month of `today`;
 * - `bin.typeUnknown`: digit 5 of a BIN is not 4, 5 or 6;
 * - `bin.unitUnknown`: digit 6 of a BIN is not 0, 1, 2 or 3.
 */
export const ID_WARNINGS = [
  'iin.dateInvalid',
  'iin.dateInFuture',
  'iin.centuryUnknown',
  'bin.monthInvalid',
  'bin.dateInFuture',
  'bin.typeUnknown',
  'bin.unitUnknown',
] as const;
export type IdWarning = (typeof ID_WARNINGS)[number];

export type IdKind = 'iin' | 'bin';
export type Sex = 'male' | 'female';

export interface IinInfo {
  kind: 'iin';
  /** 'YYYY-MM-DD', or null when digit 7 is not 1–6 or digits 1–6 are not a real date. */
  birthDate: string | null;
  /** From digit 7 (odd = male, even = female); null when digit 7 is not 1–6. */
  sex: Sex | null;
  /** Ordinal century from digit 7: 19 (1800s), 20 (1900s), 21 (2000s); null when unknown. */
  century: 19 | 20 | 21 | null;
  /** Digits 8–11. */
  serial: string;
}

/** Digit 5 of a BIN. */
export type BinEntityType = 'residentLegalEntity' | 'nonResidentLegalEntity' | 'jointEntrepreneur';
/** Digit 6 of a BIN. */
export type BinUnit = 'headUnit' | 'branch' | 'representativeOffice' | 'peasantFarm';

export interface BinInfo {
  kind: 'bin';
  /**
   * Four-digit year of state registration (or re-registration) from digits 1–2. The document
   * has two digits only: 90–99 are read as 1990–1999, 00–89 as 2000–2089.
   */
  registrationYear: number;
  /** 1–12, or null when digits 3–4 are not a month. */
  registrationMonth: number | null;
  entityType: BinEntityType | null;
  unit: BinUnit | null;
  /** Digits 7–11. */
  serial: string;
}

export type IdResult<I extends IinInfo | BinInfo = IinInfo | BinInfo> =
  { ok: true; value: string; warnings: IdWarning[]; info: I } | { ok: false; error: IdError };

const WEIGHTS_1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
const WEIGHTS_2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2] as const;

function weightedMod11(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += Number(digits[i]) * (weights[i] ?? 0);
  return sum % 11;
}

/**
 * The 12th digit for the given first eleven digits (two passes, mod 11), or null when both
 * passes give 10: no valid number starts with these eleven digits.
 * @throws RangeError unless `first11` is exactly eleven ASCII digits.
 */
export function checkDigit(first11: string): number | null {
  if (!/^[0-9]{11}$/.test(first11)) throw new RangeError('checkDigit expects exactly 11 digits');
  const r1 = weightedMod11(first11, WEIGHTS_1);
  if (r1 <= 9) return r1;
  const r2 = weightedMod11(first11, WEIGHTS_2);
  return r2 <= 9 ? r2 : null;
}

/** Strips whitespace only; every other character is kept (and later rejected if not a digit). */
function normalize(input: string): string {
  return input.replace(/\s+/g, '');
}

/** The checks common to IIN and BIN: returns the 12 digits or the error. */
function checkNumber(input: string): { ok: true; value: string } | { ok: false; error: IdError } {
  const value = normalize(input);
  if (value === '') return { ok: false, error: 'id.empty' };
  if (!/^[0-9]+$/.test(value)) return { ok: false, error: 'id.notDigits' };
  if (value.length !== 12) return { ok: false, error: 'id.length' };
  if (/^0+$/.test(value)) return { ok: false, error: 'id.allZero' };
  const expected = checkDigit(value.slice(0, 11));
  if (expected === null) return { ok: false, error: 'id.checkDigit10' };
  if (Number(value[11]) !== expected) return { ok: false, error: 'id.checksum' };
  return { ok: true, value };
}

function parseToday(today: string | undefined): string | undefined {
  if (today === undefined) return undefined;
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(today);
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3])))
    throw new RangeError(`today must be a real date as 'YYYY-MM-DD', got '${today}'`);
  return today;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return d <= days;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function parseIin(value: string, today: string | undefined): { info: IinInfo; warnings: IdWarning[] } {
  const warnings: IdWarning[] = [];
  const c = Number(value[6]);
  const serial = value.slice(7, 11);
  if (c < 1 || c > 6) {
    warnings.push('iin.centuryUnknown');
    return { info: { kind: 'iin', birthDate: null, sex: null, century: null, serial }, warnings };
  }
  const century = c <= 2 ? 19 : c <= 4 ? 20 : 21;
  const sex: Sex = c % 2 === 1 ? 'male' : 'female';
  const year = (century - 1) * 100 + Number(value.slice(0, 2));
  const month = Number(value.slice(2, 4));
  const day = Number(value.slice(4, 6));
  let birthDate: string | null = null;
  if (isRealDate(year, month, day)) {
    birthDate = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
    if (today !== undefined && birthDate > today) warnings.push('iin.dateInFuture');
  } else {
    warnings.push('iin.dateInvalid');
  }
  return { info: { kind: 'iin', birthDate, sex, century, serial }, warnings };
}

const ENTITY_TYPES: Readonly<Record<string, BinEntityType>> = {
  '4': 'residentLegalEntity',
  '5': 'nonResidentLegalEntity',
  '6': 'jointEntrepreneur',
};
const UNITS: Readonly<Record<string, BinUnit>> = {
  '0': 'headUnit',
  '1': 'branch',
  '2': 'representativeOffice',
  '3': 'peasantFarm',
};

function parseBin(value: string, today: string | undefined): { info: BinInfo; warnings: IdWarning[] } {
  const warnings: IdWarning[] = [];
  const yy = Number(value.slice(0, 2));
  const registrationYear = yy >= 90 ? 1900 + yy : 2000 + yy;
  const mm = Number(value.slice(2, 4));
  const registrationMonth = mm >= 1 && mm <= 12 ? mm : null;
  if (registrationMonth === null) warnings.push('bin.monthInvalid');
  else if (today !== undefined && `${pad(registrationYear, 4)}-${pad(mm, 2)}` > today.slice(0, 7))
    warnings.push('bin.dateInFuture');
  const entityType = ENTITY_TYPES[value[4] ?? ''] ?? null;
  if (entityType === null) warnings.push('bin.typeUnknown');
  const unit = UNITS[value[5] ?? ''] ?? null;
  if (unit === null) warnings.push('bin.unitUnknown');
  const serial = value.slice(6, 11);
  return { info: { kind: 'bin', registrationYear, registrationMonth, entityType, unit, serial }, warnings };
}

/**
 * Validates an IIN. Whitespace anywhere is ignored; any other non-digit is an error.
 * @param today 'YYYY-MM-DD', only for the `iin.dateInFuture` warning.
 * @throws RangeError when `today` is given and is not a real 'YYYY-MM-DD' date.
 */
export function validateIin(input: string, today?: string): IdResult<IinInfo> {
  const t = parseToday(today);
  const checked = checkNumber(input);
  if (!checked.ok) return checked;
  return { ok: true, value: checked.value, ...parseIin(checked.value, t) };
}

/**
 * Validates a BIN. Whitespace anywhere is ignored; any other non-digit is an error.
 * @param today 'YYYY-MM-DD', only for the `bin.dateInFuture` warning.
 * @throws RangeError when `today` is given and is not a real 'YYYY-MM-DD' date.
 */
export function validateBin(input: string, today?: string): IdResult<BinInfo> {
  const t = parseToday(today);
  const checked = checkNumber(input);
  if (!checked.ok) return checked;
  return { ok: true, value: checked.value, ...parseBin(checked.value, t) };
}

/**
 * Whether a 12-digit number looks like a BIN or an IIN, by digit 5: 4–6 is a BIN's type digit;
 * in a citizen-style IIN it is the tens digit of the birth day (0–3). A heuristic (reference
 * §1.3), so digits 7–9 fall back to IIN, which then warns that the date is not real.
 */
export function guessIdKind(digits12: string): IdKind {
  const d5 = digits12[4];
  return d5 === '4' || d5 === '5' || d5 === '6' ? 'bin' : 'iin';
}

/**
 * Validates a number that may be either an IIN or a BIN; `kind` is set (by `guessIdKind`) as
 * soon as the input is 12 digits, also when the check digit fails. Where the kind of applicant
 * is known, call `validateIin` or `validateBin` instead.
 */
export function validateIinOrBin(input: string, today?: string): IdResult & { kind?: IdKind } {
  const t = parseToday(today);
  const checked = checkNumber(input);
  const value = normalize(input);
  const kind = /^[0-9]{12}$/.test(value) ? guessIdKind(value) : undefined;
  if (!checked.ok) return kind === undefined ? checked : { ...checked, kind };
  const parsed = kind === 'bin' ? parseBin(value, t) : parseIin(value, t);
  return { ok: true, value, kind: parsed.info.kind, ...parsed };
}

/**
 * For display. There is no customary digit grouping for IIN/BIN (none is given in the
 * reference), so the number is shown as its 12 plain digits: whitespace is removed, nothing else.
 */
export function formatId(value: string): string {
  return normalize(value);
}
