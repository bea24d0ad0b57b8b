import { describe, expect, it } from 'vitest';
import {
  BlindIndex,
  ID_DIGITS,
  indexedPrefixes,
  lookupText,
  MAX_PREFIX,
  MIN_PREFIX,
  needsCheck,
  queryWords,
  searchWordsOf,
} from './blindIndex';
import { throwawayDeskKeys } from './deskKeys';

describe('blind index: which prefixes', () => {
  it('indexes the prefixes of three to five characters of a word: a longer one is looked up by five, then checked', () => {
    expect([MIN_PREFIX, MAX_PREFIX]).toEqual([3, 5]);
    expect(indexedPrefixes('каират')).toEqual(['каи', 'каир', 'каира']);
    expect(indexedPrefixes('каир')).toEqual(['каи', 'каир']);
    expect(indexedPrefixes('ао')).toEqual([]);
    expect(lookupText('каир')).toBe('каир');
    expect(needsCheck('каир')).toBe(false);
    expect(lookupText('каират')).toBe('каира');
    expect(needsCheck('каират')).toBe(true);
  });

  it('indexes an IIN/BIN only whole: its prefixes are a birth date', () => {
    expect(ID_DIGITS).toBe(12);
    expect(indexedPrefixes('900101300017')).toEqual(['900101300017']);
    expect(lookupText('900101300017')).toBe('900101300017');
    expect(needsCheck('900101300017')).toBe(false);
    // Shorter digit groups (a house number) keep their prefixes.
    expect(indexedPrefixes('15000')).toEqual(['150', '1500', '15000']);
  });

  it('splits and folds as search does: Kazakh letters, Latin look-alikes, case', () => {
    expect(searchWordsOf('Сейітқали Қайрат', null, 'ALM01-D01-000001')).toEqual([
      'сеииткали',
      'каират',
      'аlм01-d01-000001', // Latin l and d have no Cyrillic look-alike: they stay
    ]);
    expect(queryWords('  Кайр ab  Сейіт ')).toEqual(['каир', 'сеиит']);
  });
});

describe('blind index: tokens', () => {
  it('is deterministic under one key, different under another, and never the clear text', async () => {
    const a = await throwawayDeskKeys();
    const b = await throwawayDeskKeys();
    const one = new BlindIndex(a.index);
    const again = new BlindIndex(a.index);
    const other = new BlindIndex(b.index);
    const words = await one.words('Қайрат', '900101300017');
    expect(words).toEqual(await again.words('Қайрат', '900101300017'));
    expect(words).toHaveLength(4); // каи, каир, каира + the IIN
    expect(words).toEqual([...words].sort());
    for (const w of words) expect(w).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(JSON.stringify(words)).not.toMatch(/каи|900101/);
    expect(await other.words('Қайрат', '900101300017')).not.toEqual(words);
  });

  it('a typed prefix matches the token of the stored word, whatever the keyboard', async () => {
    const index = new BlindIndex((await throwawayDeskKeys()).index);
    const stored = await index.words('Сейітқали Қайрат');
    // Longer words than five characters by their first five (the row's words then decide).
    for (const typed of ['Кайр', 'қайрат', 'KAИР', 'сейіт', 'Сейітқали'])
      for (const w of queryWords(typed)) expect(stored).toContain(await index.query(w));
    expect(stored).not.toContain(await index.query('каирт'));
  });

  it('keeps applicant ids apart from search words, and ignores spaces in an id', async () => {
    const index = new BlindIndex((await throwawayDeskKeys()).index);
    expect(await index.id('900101300017')).not.toBe(await index.query('900101300017'));
    expect(await index.id(' 900101 300017 ')).toBe(await index.id('900101300017'));
  });

  it('bounds its cache', async () => {
    const index = new BlindIndex((await throwawayDeskKeys()).index, 10);
    const first = await index.query('абв');
    for (let i = 0; i < 25; i++) await index.query(`слово${i}`);
    expect(await index.query('абв')).toBe(first);
    expect((index as unknown as { cache: Map<string, unknown> }).cache.size).toBeLessThanOrEqual(10);
  });
});
