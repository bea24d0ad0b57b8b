import { stemmer as snowballRussian } from '@orama/stemmers/russian';
import { foldForSearch } from './searchFold';

/**
 * Word forms for search. A clerk types «безработный» or «пособие» and the catalogue says
 * «безработным», «пособия»; in Kazakh «рұқсаттар» or «жұмыссыздарға» where it says «рұқсат»,
 * «жұмыссыз». Both sides are reduced to stems and compared.
 *
 * Russian: the Snowball Russian stemmer (@orama/stemmers: the Snowball algorithm as a small
 * dependency-free ES module, maintained with the Orama search engine).
 *
 * Kazakh has no Snowball stemmer. It is agglutinative and regular: a noun is stem + plural +
 * possessive + case, in that order, each suffix with its vowel-harmony and consonant variants.
 * `stemKazakh` strips them from the end by rule (case, then possessive, then plural), on folded
 * text, so that a word typed without the Kazakh letters (ұ→у, қ→к …) stems the same way.
 */

/** A stem shorter than this is not trusted: the suffix rules would leave a fragment. */
export const MIN_STEM = 3;

// Folded (see searchFold): і→и, ғ→г, қ→к, ң→н, ұ/ү→у, ә→а, ө→о. Longest first within a group.
const CASE = [
  // genitive -ның/-нің/-дың/-дің/-тың/-тің
  'нын',
  'нин',
  'дын',
  'дин',
  'тын',
  'тин',
  // ablative -нан/-нен/-дан/-ден/-тан/-тен
  'нан',
  'нен',
  'дан',
  'ден',
  'тан',
  'тен',
  // locative after a possessive -нда/-нде; instrumental -мен/-бен/-пен
  'нда',
  'нде',
  'мен',
  'бен',
  'пен',
  // dative -ға/-ге/-қа/-ке (and -на/-не after a possessive)
  'га',
  'ге',
  'ка',
  'ке',
  'на',
  'не',
  // accusative -ны/-ні/-ды/-ді/-ты/-ті
  'ны',
  'ни',
  'ды',
  'ди',
  'ты',
  'ти',
  // locative -да/-де/-та/-те
  'да',
  'де',
  'та',
  'те',
];
const POSSESSIVE = [
  // third person plural possessors: -лары/-лері/-дары/-дері/-тары/-тері
  'лары',
  'лери',
  'дары',
  'дери',
  'тары',
  'тери',
  // first and second person plural: -ымыз/-іміз, -ыңыз/-іңіз
  'ымыз',
  'имиз',
  'ыныз',
  'иниз',
  // third person after a vowel -сы/-сі; first and second person singular -ым/-ім, -ың/-ің
  'сы',
  'си',
  'ым',
  'им',
  'ын',
  'ин',
  // third person after a consonant -ы/-і
  'ы',
  'и',
];
const PLURAL = ['лар', 'лер', 'дар', 'дер', 'тар', 'тер'];

const length = (s: string): number => [...s].length;

function strip(word: string, suffixes: readonly string[]): string {
  for (const s of suffixes) {
    if (word.endsWith(s) && length(word) - length(s) >= MIN_STEM) return word.slice(0, word.length - s.length);
  }
  return word;
}

/**
 * The stems of one folded Kazakh word, from the least to the most stripped: the case suffix off,
 * then the possessive, then the plural. Every stage is kept because a root may itself end like a
 * suffix («жәрдемақы» ends like a possessive -ы): two forms of one word always share a stage
 * («жәрдемақысы» → «жәрдемақы»).
 */
export function kazakhStems(folded: string): string[] {
  const out = [folded];
  for (const group of [CASE, POSSESSIVE, PLURAL]) {
    const last = out[out.length - 1] ?? folded;
    const next = strip(last, group);
    if (next !== last) out.push(next);
  }
  return out;
}

/** The most stripped Kazakh stem of one folded word. */
export function stemKazakh(folded: string): string {
  const all = kazakhStems(folded);
  return all[all.length - 1] ?? folded;
}

/** The Russian stem of one word (any case), folded. */
export function stemRussian(word: string): string {
  const lower = word.normalize('NFC').toLowerCase().replace(/ё/g, 'е');
  return foldForSearch(snowballRussian(lower));
}

/** One searchable word: as folded, and its candidate stems in either language. */
export interface SearchWord {
  folded: string;
  stems: string[];
}

const SEPARATORS = /[\s,.;:()"«»/-]+/;

/** Splits text into searchable words (hyphenated words count as two: «кресло-коляски»). */
export function searchWords(text: string): SearchWord[] {
  const out: SearchWord[] = [];
  for (const raw of text.normalize('NFC').split(SEPARATORS)) {
    if (!raw) continue;
    const folded = foldForSearch(raw);
    if (!folded) continue;
    const stems = [...new Set([stemRussian(raw), ...kazakhStems(folded)])].filter((s) => length(s) >= MIN_STEM);
    out.push({ folded, stems });
  }
  return out;
}

/**
 * How well the words of a text answer a query, or 0 when some query word finds nothing. Each
 * query word counts 2 when it begins a word of the text (what was typed, as before), 1 when only
 * their stems meet (another form of the same word).
 */
export function searchScore(words: readonly SearchWord[], query: string): number {
  const asked = searchWords(query);
  if (asked.length === 0) return 0;
  let score = 0;
  for (const q of asked) {
    if (words.some((w) => w.folded.startsWith(q.folded))) score += 2;
    else if (q.stems.some((s) => words.some((w) => w.stems.some((ws) => ws.startsWith(s))))) score += 1;
    else return 0;
  }
  return score;
}
