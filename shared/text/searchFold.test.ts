import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldForSearch, matchesSearch, numberSearchKeys } from './searchFold';

describe('search folding', () => {
  it('finds Kazakh names typed without Kazakh letters', () => {
    expect(foldForSearch('Әйгерім Қасымқызы')).toBe(foldForSearch('Айгерим Касымкызы'));
    expect(foldForSearch('Өмірбек Ұлықпанов')).toBe(foldForSearch('Омирбек Улыкпанов'));
    expect(foldForSearch('Ғалым Жаңабаев')).toBe(foldForSearch('Галым Жанабаев'));
    expect(foldForSearch('Үміт Һ')).toBe(foldForSearch('Умит Х'));
  });

  it('treats Latin look-alikes typed on a Latin layout as Cyrillic', () => {
    expect(foldForSearch('AКMOЛA')).toBe(foldForSearch('Акмола'));
    expect(foldForSearch('Ірі Тек')).toBe(foldForSearch('Ipi Tek'));
  });

  it('matches word prefixes in any order', () => {
    expect(matchesSearch('Қасымқызы Әйгерім Нұрланқызы', 'айг касым')).toBe(true);
    expect(matchesSearch('Қасымқызы Әйгерім', 'ерим')).toBe(false);
  });

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => foldForSearch(foldForSearch(s)) === foldForSearch(s)));
  });
});

describe('numberSearchKeys', () => {
  it('gives the number and each tail after a hyphen or slash, folded', () => {
    const f = (xs: string[]): string[] => xs.map(foldForSearch);
    expect(numberSearchKeys('ALM01-D01-000003')).toEqual(f(['ALM01-D01-000003', 'D01-000003', '000003']));
    expect(numberSearchKeys('ALM01-D01/000347')).toEqual(f(['ALM01-D01/000347', 'D01/000347', '000347']));
    expect(numberSearchKeys(null)).toEqual([]);
    expect(numberSearchKeys('X-')).toEqual(f(['X-']));
  });
});
