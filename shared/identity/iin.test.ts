import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import kkIdentity from '../../locales/kk/identity.json';
import ruIdentity from '../../locales/ru/identity.json';
import {
  checkDigit,
  formatId,
  ID_ERRORS,
  ID_WARNINGS,
  validateBin,
  validateIin,
  validateIinOrBin,
  type BinEntityType,
  type BinUnit,
  type IdResult,
} from './index';

/** A valid number from its first eleven digits (test numbers are synthetic, never real people's). */
function withCheck(first11: string): string {
  const c = checkDigit(first11);
  if (c === null) throw new Error(`no check digit exists for ${first11}`);
  return first11 + String(c);
}

/** Remainder of the first pass (weights 1..11): 10 means the number needed the second pass. */
function firstPass(first11: string): number {
  let s = 0;
  for (let i = 0; i < 11; i++) s += Number(first11[i]) * (i + 1);
  return s % 11;
}

function mutations(n: string): { position: number; mutated: string }[] {
  const out: { position: number; mutated: string }[] = [];
  for (let i = 0; i < n.length; i++)
    for (let d = 0; d <= 9; d++)
      if (String(d) !== n[i]) out.push({ position: i + 1, mutated: n.slice(0, i) + String(d) + n.slice(i + 1) });
  return out;
}

const isValid = (r: IdResult): boolean => r.ok;

describe('check digit: worked examples of reference §1.5', () => {
  it.each([
    ['900101300017', { ok: true }],
    ['900101300018', { ok: false, error: 'id.checksum' }],
    ['900101300107', { ok: false, error: 'id.checksum' }],
    ['900101300811', { ok: true }],
    ['940140000385', { ok: true }],
  ])('%s', (n, expected) => {
    expect(validateIinOrBin(n)).toMatchObject(expected);
  });

  it('90010130080x is invalid for every x: both passes give 10', () => {
    expect(checkDigit('90010130080')).toBeNull();
    for (let x = 0; x <= 9; x++)
      expect(validateIin(`90010130080${x}`)).toEqual({ ok: false, error: 'id.checkDigit10' });
  });

  it('computes the check digit in one or two passes', () => {
    expect(checkDigit('90010130001')).toBe(7);
    expect(checkDigit('90010130081')).toBe(1); // r1 = 10, r2 = 1
    expect(checkDigit('94014000038')).toBe(5);
  });

  it('checkDigit rejects anything but eleven digits', () => {
    expect(() => checkDigit('9001013000')).toThrow(RangeError);
    expect(() => checkDigit('900101300017')).toThrow(RangeError);
    expect(() => checkDigit('9001013000a')).toThrow(RangeError);
  });
});

describe('input errors', () => {
  it.each([
    ['', 'id.empty'],
    ['   \t ', 'id.empty'],
    ['9001-0130-0017', 'id.notDigits'],
    ['+900101300017', 'id.notDigits'],
    ['90010130001a', 'id.notDigits'],
    ['９００１０１３０００１７', 'id.notDigits'], // full-width digits
    ['12a', 'id.notDigits'], // not digits is reported before the length
    ['90010130001', 'id.length'],
    ['9001013000170', 'id.length'],
    ['000000000000', 'id.allZero'],
    ['000 000 000 000', 'id.allZero'],
  ])('%j → %s', (input, error) => {
    expect(validateIin(input)).toEqual({ ok: false, error });
    expect(validateBin(input)).toEqual({ ok: false, error });
    expect(validateIinOrBin(input)).toMatchObject({ ok: false, error });
  });

  it('strips whitespace of any kind, anywhere', () => {
    for (const input of ['900101 300017', ' 9001 0130 0017 ', '900101\t300017\n', '900101\u00a0300017'])
      expect(validateIin(input)).toMatchObject({ ok: true, value: '900101300017' });
  });
});

describe('single-digit changes', () => {
  it('every change of 900101300017 outside digit 11 fails the check', () => {
    for (const { position, mutated } of mutations('900101300017')) {
      if (position === 11) continue;
      expect(validateIin(mutated).ok, mutated).toBe(false);
    }
  });

  it('digit 11 has weight 11 ≡ 0 (mod 11) in the first pass, so changing it goes undetected', () => {
    const changed = mutations('900101300017').filter((m) => m.position === 11);
    expect(changed).toHaveLength(9);
    for (const { mutated } of changed) expect(validateIin(mutated).ok, mutated).toBe(true);
  });

  it('a change that moves a number across the second pass can go undetected', () => {
    // 900101300811 needs the second pass (r1 = 10, check 1); these single changes give r1 = 1.
    const undetected = mutations('900101300811')
      .filter((m) => validateIin(m.mutated).ok)
      .map((m) => m.mutated);
    expect(undetected).toEqual([
      '000101300811',
      '910101300811',
      '908101300811',
      '900701300811',
      '900171300811',
      '900105300811',
      '900101800811',
      '900101330811',
      '900101300611',
    ]);
  });

  it('property: appending the check digit to any eleven digits gives a valid number', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 11, maxLength: 11 }), (digits) => {
        const first11 = digits.join('');
        const c = checkDigit(first11);
        fc.pre(c !== null);
        const r = validateIinOrBin(first11 + String(c));
        if (/^0+$/.test(first11)) expect(r).toMatchObject({ ok: false, error: 'id.allZero' });
        else expect(r).toMatchObject({ ok: true, value: first11 + String(c) });
      }),
      { numRuns: 2000 },
    );
  });

  it('property: exactly which single substitutions the check digit misses', () => {
    // What holds (weights 1..11, then 3..11,1,2):
    //  - a change of digit 12 is always detected;
    //  - a change of digit 11 is missed iff the number needs only the first pass (weight 11 ≡ 0);
    //  - a change of digits 1–10 is missed only when exactly one of the two numbers needs the
    //    second pass (within one pass the weights are non-zero mod 11, so the sum changes).
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 11, maxLength: 11 }), (digits) => {
        const first11 = digits.join('');
        fc.pre(checkDigit(first11) !== null && !/^0+$/.test(first11));
        const n = withCheck(first11);
        const onePass = firstPass(first11) !== 10;
        for (const { position, mutated } of mutations(n)) {
          const missed = isValid(validateIin(mutated));
          if (position === 12) expect(missed).toBe(false);
          else if (position === 11) expect(missed).toBe(onePass);
          else if (missed) expect(onePass).not.toBe(firstPass(mutated.slice(0, 11)) !== 10);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('IIN parsing (information only)', () => {
  it('reads birth date, sex and century from digits 1–7', () => {
    expect(validateIin('900101300017')).toEqual({
      ok: true,
      value: '900101300017',
      warnings: [],
      info: { kind: 'iin', birthDate: '1990-01-01', sex: 'male', century: 20, serial: '0001' },
    });
    expect(validateIin(withCheck('85031540012'))).toMatchObject({
      ok: true,
      info: { birthDate: '1985-03-15', sex: 'female', century: 20, serial: '0012' },
    });
    expect(validateIin(withCheck('12123150007'))).toMatchObject({
      info: { birthDate: '2012-12-31', sex: 'male', century: 21 },
    });
    expect(validateIin(withCheck('05070260003'))).toMatchObject({
      info: { birthDate: '2005-07-02', sex: 'female', century: 21 },
    });
    expect(validateIin(withCheck('99123110003'))).toMatchObject({
      info: { birthDate: '1899-12-31', sex: 'male', century: 19 },
    });
    expect(validateIin(withCheck('99123120003'))).toMatchObject({
      info: { birthDate: '1899-12-31', sex: 'female', century: 19 },
    });
  });

  it('knows leap years: 29 Feb 2000 exists, 29 Feb 1900 does not', () => {
    expect(validateIin(withCheck('00022950001'))).toMatchObject({
      ok: true,
      warnings: [],
      info: { birthDate: '2000-02-29' },
    });
    expect(validateIin(withCheck('00022930001'))).toMatchObject({
      ok: true,
      warnings: ['iin.dateInvalid'],
      info: { birthDate: null, sex: 'male', century: 20 },
    });
  });

  it('an impossible date with a good check digit is a warning, not a rejection', () => {
    for (const first11 of ['90130130001', '90003130001', '90010030001', '90023030001', '90043130001']) {
      const n = withCheck(first11);
      expect(validateIin(n), n).toMatchObject({ ok: true, value: n, warnings: ['iin.dateInvalid'] });
    }
  });

  it('digit 7 outside 1–6: century, date and sex unknown, still valid', () => {
    for (const c of ['0', '7', '8', '9']) {
      const n = withCheck(`900101${c}0001`);
      expect(validateIin(n)).toEqual({
        ok: true,
        value: n,
        warnings: ['iin.centuryUnknown'],
        info: { kind: 'iin', birthDate: null, sex: null, century: null, serial: '0001' },
      });
    }
  });

  it('warns about a birth date after today, given today', () => {
    const n = withCheck('26120150001'); // 2026-12-01
    expect(validateIin(n)).toMatchObject({ ok: true, warnings: [] });
    expect(validateIin(n, '2026-11-30')).toMatchObject({ ok: true, warnings: ['iin.dateInFuture'] });
    expect(validateIin(n, '2026-12-01')).toMatchObject({ ok: true, warnings: [] });
  });

  it('rejects a malformed today as a programming error', () => {
    expect(() => validateIin('900101300017', '2026-13-01')).toThrow(RangeError);
    expect(() => validateIin('900101300017', '1.12.2026')).toThrow(RangeError);
  });
});

describe('BIN parsing (information only)', () => {
  it('reads registration month, type and unit', () => {
    expect(validateBin('940140000385')).toEqual({
      ok: true,
      value: '940140000385',
      warnings: [],
      info: {
        kind: 'bin',
        registrationYear: 1994,
        registrationMonth: 1,
        entityType: 'residentLegalEntity',
        unit: 'headUnit',
        serial: '00038',
      },
    });
    expect(validateBin(withCheck('07055100012'))).toMatchObject({
      info: { registrationYear: 2007, registrationMonth: 5, entityType: 'nonResidentLegalEntity', unit: 'branch' },
    });
    expect(validateBin(withCheck('13114200012'))).toMatchObject({
      info: { entityType: 'residentLegalEntity', unit: 'representativeOffice' },
    });
    expect(validateBin(withCheck('19026300012'))).toMatchObject({
      info: { entityType: 'jointEntrepreneur', unit: 'peasantFarm' },
    });
  });

  it('reads two-digit years 90–99 as 1990s and 00–89 as 2000s', () => {
    expect(validateBin(withCheck('90124000012'))).toMatchObject({ info: { registrationYear: 1990 } });
    expect(validateBin(withCheck('89124000012'))).toMatchObject({ info: { registrationYear: 2089 } });
    expect(validateBin(withCheck('00124000012'))).toMatchObject({ info: { registrationYear: 2000 } });
  });

  it('structural mismatches warn, never reject', () => {
    expect(validateBin(withCheck('94134000038'))).toMatchObject({
      ok: true,
      warnings: ['bin.monthInvalid'],
      info: { registrationMonth: null },
    });
    expect(validateBin('900101300017')).toMatchObject({
      ok: true,
      warnings: ['bin.typeUnknown'],
      info: { entityType: null, unit: 'branch' },
    });
    expect(validateBin(withCheck('94014700038'))).toMatchObject({
      ok: true,
      warnings: ['bin.unitUnknown'],
      info: { unit: null },
    });
  });

  it('warns about a registration month after today, given today', () => {
    const n = withCheck('26124000012');
    expect(validateBin(n, '2026-11-30')).toMatchObject({ ok: true, warnings: ['bin.dateInFuture'] });
    expect(validateBin(n, '2026-12-01')).toMatchObject({ ok: true, warnings: [] });
  });
});

describe('IIN or BIN', () => {
  it('decides by digit 5: 4–6 is a BIN, otherwise an IIN', () => {
    expect(validateIinOrBin('900101300017')).toMatchObject({ ok: true, kind: 'iin', info: { kind: 'iin' } });
    expect(validateIinOrBin('940140000385')).toMatchObject({ ok: true, kind: 'bin', info: { kind: 'bin' } });
    const d5is7 = withCheck('90017130001');
    expect(validateIinOrBin(d5is7)).toMatchObject({ ok: true, kind: 'iin', warnings: ['iin.dateInvalid'] });
  });

  it('names the kind on a check-digit error, not before the input is 12 digits', () => {
    expect(validateIinOrBin('940140000386')).toEqual({ ok: false, error: 'id.checksum', kind: 'bin' });
    expect(validateIinOrBin('90010130080 0')).toEqual({ ok: false, error: 'id.checkDigit10', kind: 'iin' });
    expect(validateIinOrBin('9401400003')).toEqual({ ok: false, error: 'id.length' });
  });

  it('passes today through', () => {
    expect(validateIinOrBin(withCheck('26120150001'), '2026-01-01')).toMatchObject({
      warnings: ['iin.dateInFuture'],
    });
  });
});

describe('formatId', () => {
  it('shows the 12 digits plainly (no customary grouping)', () => {
    expect(formatId(' 900101 300017 ')).toBe('900101300017');
    expect(formatId('940140000385')).toBe('940140000385');
  });
});

describe('translations', () => {
  type Tree = { [k: string]: string | Tree };
  const lookup = (tree: Tree, key: string): unknown =>
    key
      .split('.')
      .reduce<unknown>((node, k) => (typeof node === 'object' && node ? (node as Tree)[k] : undefined), tree);
  const entityTypes: BinEntityType[] = ['residentLegalEntity', 'nonResidentLegalEntity', 'jointEntrepreneur'];
  const units: BinUnit[] = ['headUnit', 'branch', 'representativeOffice', 'peasantFarm'];
  const keys = [
    ...ID_ERRORS.map((c) => `errors.${c}`),
    ...ID_WARNINGS.map((c) => `warnings.${c}`),
    ...entityTypes.map((t) => `labels.entityTypeValue.${t}`),
    ...units.map((u) => `labels.unitValue.${u}`),
    'labels.sexValue.male',
    'labels.sexValue.female',
  ];

  it.each([
    ['kk', kkIdentity],
    ['ru', ruIdentity],
  ])('%s has a message for every code', (_lang, tree) => {
    const missing = keys.filter((k) => typeof lookup(tree, k) !== 'string');
    expect(missing).toEqual([]);
  });
});
