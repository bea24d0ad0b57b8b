import { foldForSearch } from '@shared/text/searchFold';

/**
 * The blind index (docs/threat-model.md §5): the read model keeps no searchable text in clear,
 * only HMAC-SHA-256 tokens (under the desk's `index` key) of folded word prefixes. A search folds
 * what was typed the same way and looks the token up by equality.
 *
 * Which prefixes are indexed (the names: the applicant's and the representative's; numbers are
 * found through their own clear index, `numberKeys` in the journal, and need no token):
 *  - words with letters: the prefixes of MIN_PREFIX to MAX_PREFIX characters ("қай", "қайр",
 *    "қайра"), so that "Кайр" finds «Қайрат». A longer query word is looked up by its first
 *    MAX_PREFIX characters and then checked against the row's sealed words (sealedRows.ts): three
 *    tokens a word instead of one per prefix, which is what the read model's write rate needed;
 *  - an IIN or BIN (a word of twelve digits or more, no letters): the whole number only. Its
 *    prefixes are a birth date, a sex and a century: equal tokens would group citizens by them for
 *    anyone reading the disk, and a clerk types the whole IIN anyway.
 */
export const MIN_PREFIX = 3;
export const MAX_PREFIX = 5;
export const ID_DIGITS = 12;
/** 128 bits of the HMAC: collisions among a desk's few million tokens stay out of reach. */
const TOKEN_BYTES = 16;

/** Splits as the read model always has: separators, not hyphens (a number stays one word). */
export function searchWordsOf(...parts: (string | null | undefined)[]): string[] {
  const out = new Set<string>();
  for (const p of parts) {
    if (!p) continue;
    for (const w of foldForSearch(p).split(/[\s,.;:()"«»]+/)) if (w) out.add(w);
  }
  return [...out];
}

const isIdNumber = (word: string): boolean => /^\d+$/.test(word) && [...word].length >= ID_DIGITS;

/** The prefixes of one folded word that get a token (see above). */
export function indexedPrefixes(word: string): string[] {
  const chars = [...word];
  if (isIdNumber(word)) return [word];
  const out: string[] = [];
  for (let n = MIN_PREFIX; n <= Math.min(chars.length, MAX_PREFIX); n++) out.push(chars.slice(0, n).join(''));
  return out;
}

/** What a query word is looked up by: itself, or its first MAX_PREFIX characters (then checked). */
export function lookupText(word: string): string {
  return isIdNumber(word) ? word : [...word].slice(0, MAX_PREFIX).join('');
}

/** Whether a row found by a query word's token must still be checked against its words. */
export function needsCheck(word: string): boolean {
  return lookupText(word) !== word;
}

/** The query words that can be looked up: shorter ones have no token and are left out. */
export function queryWords(text: string): string[] {
  return [
    ...new Set(
      foldForSearch(text)
        .split(/[\s,.;:()"«»]+/)
        .filter((w) => [...w].length >= MIN_PREFIX),
    ),
  ];
}

const encoder = new TextEncoder();

function base64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** One token; the domain label keeps search tokens and applicant ids apart. */
async function token(index: CryptoKey, domain: 'w' | 'id' | 'check', text: string): Promise<string> {
  const mac = await globalThis.crypto.subtle.sign('HMAC', index, encoder.encode(`${domain}\u0000${text}`));
  return base64Url(new Uint8Array(mac, 0, TOKEN_BYTES));
}

/**
 * Tokens, with a cache: the same prefixes ("алм", "алм0", the common name beginnings) come back for
 * almost every application, and WebCrypto's cost is per call. The cache lives in memory only, per key.
 */
export class BlindIndex {
  private cache = new Map<string, Promise<string>>();

  constructor(
    readonly key: CryptoKey,
    private readonly limit = 200_000,
  ) {}

  private cached(domain: 'w' | 'id' | 'check', text: string): Promise<string> {
    const k = `${domain}\u0000${text}`;
    let t = this.cache.get(k);
    if (!t) {
      if (this.cache.size >= this.limit) this.cache.clear();
      t = token(this.key, domain, text);
      this.cache.set(k, t);
    }
    return t;
  }

  /** The tokens of every indexed prefix of the words of these texts, sorted (rebuilds compare equal). */
  async words(...parts: (string | null | undefined)[]): Promise<string[]> {
    const prefixes = new Set(searchWordsOf(...parts).flatMap(indexedPrefixes));
    const tokens = await Promise.all([...prefixes].map((p) => this.cached('w', p)));
    return [...new Set(tokens)].sort();
  }

  /** The token a typed query word is looked up by (already folded by queryWords). */
  query(word: string): Promise<string> {
    return this.cached('w', lookupText(word));
  }

  /** The applicant's IIN/BIN as the read model keys it. */
  id(iinOrBin: string): Promise<string> {
    return this.cached('id', iinOrBin.replace(/\s/g, ''));
  }

  /** A fixed token that tells whether a read model was built under this key. */
  check(): Promise<string> {
    return this.cached('check', 'kense/read-model');
  }
}

const indexes = new WeakMap<CryptoKey, BlindIndex>();

/** One BlindIndex (and cache) per index key. */
export function blindIndex(key: CryptoKey): BlindIndex {
  let b = indexes.get(key);
  if (!b) {
    b = new BlindIndex(key);
    indexes.set(key, b);
  }
  return b;
}
