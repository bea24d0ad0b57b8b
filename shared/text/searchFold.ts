/**
 * Folds text for search so that what a clerk types finds what was written, whatever the keyboard:
 * many keyboards lack the Kazakh letters, so Қ is typed as К, Ө as О, Ү/Ұ as У, Ә as А, Ғ as Г,
 * Ң as Н, І as И (or Latin I), Һ as Х; and Latin letters that look like Cyrillic ones slip in
 * from a Latin layout. Everything is folded to lower-case Russian Cyrillic.
 */
const FOLD: Readonly<Record<string, string>> = {
  // Kazakh letters → their Russian look-alikes
  қ: 'к',
  ө: 'о',
  ү: 'у',
  ұ: 'у',
  ә: 'а',
  ғ: 'г',
  ң: 'н',
  і: 'и',
  һ: 'х',
  ё: 'е',
  й: 'и',
  // Latin look-alikes → Cyrillic
  a: 'а',
  b: 'в',
  c: 'с',
  e: 'е',
  h: 'х',
  i: 'и',
  k: 'к',
  m: 'м',
  o: 'о',
  p: 'р',
  t: 'т',
  x: 'х',
  y: 'у',
};

export function foldForSearch(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC').toLowerCase()) out += FOLD[ch] ?? ch;
  return out.replace(/\s+/g, ' ').trim();
}

/** True when every word of the query is the start of some word of the text (both folded). */
export function matchesSearch(text: string, query: string): boolean {
  const words = foldForSearch(text)
    .split(/[\s,.;:()"«»-]+/)
    .filter(Boolean);
  return foldForSearch(query)
    .split(' ')
    .filter(Boolean)
    .every((q) => words.some((w) => w.startsWith(q)));
}

/**
 * A registration or outgoing number is searched by any tail of it, not only from its start: a
 * clerk reads "000003" or "D01-000003" off a ticket («ALM01-D01-000003», «ALM01-D01/000347»).
 * These are the number and its tails after each `-` or `/`, folded: a typed prefix of any of them finds it.
 */
export function numberSearchKeys(number: string | null | undefined): string[] {
  if (!number) return [];
  const out: string[] = [number];
  for (let i = 0; i < number.length; i++) if (number[i] === '-' || number[i] === '/') out.push(number.slice(i + 1));
  return [...new Set(out.filter(Boolean).map(foldForSearch))];
}
