import { foldForSearch } from '@shared/text/searchFold';

/**
 * The blind index (docs/threat-model.md §5): the read model keeps no searchable text in clear,
 * only HMAC-SHA-256 tokens (under the desk's `index` key) of folded word prefixes. A search folds
 * what was typed the same way and looks the token up by equality.
 *
 * Which prefixes are indexed:
 *  - words with letters: every prefix of MIN_PREFIX characters or more ("қай", "қайр", …), so that
 *    "Кайр" finds «Қайрат» and "ALM01-D01-0000" finds the number;
 *  - an IIN or BIN (a word of twelve digits or more, no letters): the whole number only. Its
 *    prefixes are a birth date, a sex and a century: equal tokens would group citizens by them for
 *    anyone reading the disk, and a clerk types the whole IIN anyway.
 */
export const MIN_PREFIX = 3;
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

/** The prefixes of one folded word that get a token (see above). */
export function indexedPrefixes(word: string): string[] {
  const chars = [...word];
  if (/^\d+$/.test(word) && chars.length >= ID_DIGITS) return [word];
  const out: string[] = [];
  for (let n = MIN_PREFIX; n <= chars.length; n++) out.push(chars.slice(0, n).join(''));
  return out;
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
    return this.cached('w', word);
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
