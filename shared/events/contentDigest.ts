/**
 * The digest that fixes a document's identity (ARCHITECTURE §3): SHA-256, as 64 lowercase hex
 * digits, of the document's canonical text. One function, used by the desk to make an event's id
 * and by the server's `validate_doc_update` to check it: its source text is inlined into the design
 * document (shared/couch/design.ts), so it is plain ES5 with no inner functions, no recursion, no
 * typed arrays (CouchDB's QuickJS sandbox has none), no `JSON.stringify` and no crypto API.
 *
 * The canonical text covers every top-level member whose name does not begin with `_` (so `_id`,
 * `_rev`, `_revisions`, `_attachments`, `_conflicts`… are left out: CouchDB reserves those names,
 * and it hands a validator attachments without a digest for inline uploads, so an attachment is
 * bound through its SHA-256 in the event's payload instead). It is JSON with:
 * - object members sorted by name (UTF-16 code units), members whose value is `undefined` left out;
 * - no whitespace; `undefined` in an array as `null`;
 * - strings with `"` and `\` escaped and every code unit outside printable ASCII written `\uXXXX`
 *   (lowercase hex), so the text is ASCII and lone surrogates need no UTF-8 decision;
 * - numbers only as safe integers in decimal; anything else (fractions, NaN, functions, nesting
 *   deeper than 32) is refused with `{ forbidden: 'doc.badContent' }`, the validator's own form.
 */
export function contentDigest(doc: object): string {
  /* eslint-disable no-var, @typescript-eslint/only-throw-error, @typescript-eslint/unbound-method */
  var has = Object.prototype.hasOwnProperty;
  var kindOf = Object.prototype.toString;
  var out = '';
  // Work stack: a string is text to emit as it is; [value, depth, topLevel] is a value to write.
  var work: unknown[] = [[doc, 0, true]];
  var item: unknown;
  var value: unknown;
  var depth: number;
  var i: number;
  var j: number;
  var c: number;
  var hex: string;
  var text: string;
  var keys: string[];
  var key: string;
  var list: unknown[];
  var obj: Record<string, unknown>;
  while (work.length > 0) {
    item = work.pop();
    if (typeof item === 'string') {
      out += item;
      continue;
    }
    value = (item as unknown[])[0];
    depth = (item as unknown[])[1] as number;
    if (depth > 32) throw { forbidden: 'doc.badContent' };
    if (value === null) out += 'null';
    else if (value === true) out += 'true';
    else if (value === false) out += 'false';
    else if (typeof value === 'number') {
      if (value !== value || Math.floor(value) !== value || value > 9007199254740991 || value < -9007199254740991)
        throw { forbidden: 'doc.badContent' };
      out += value === 0 ? '0' : String(value);
    } else if (typeof value === 'string') {
      text = value;
      out += '"';
      // Most members are plain ASCII with nothing to escape: taken whole.
      if (/^[ !#-[\]-~]*$/.test(text)) {
        out += text + '"';
        continue;
      }
      for (i = 0; i < text.length; i++) {
        c = text.charCodeAt(i);
        if (c === 0x22) out += '\\"';
        else if (c === 0x5c) out += '\\\\';
        else if (c >= 0x20 && c < 0x7f) out += text.charAt(i);
        else {
          hex = c.toString(16);
          while (hex.length < 4) hex = '0' + hex;
          out += '\\u' + hex;
        }
      }
      out += '"';
    } else if (typeof value === 'object' && kindOf.call(value) === '[object Array]') {
      list = value as unknown[];
      out += '[';
      work.push(']');
      for (i = list.length - 1; i >= 0; i--) {
        work.push([list[i] === undefined ? null : list[i], depth + 1, false]);
        if (i > 0) work.push(',');
      }
    } else if (typeof value === 'object') {
      obj = value as Record<string, unknown>;
      keys = [];
      for (key in obj) {
        if (!has.call(obj, key) || obj[key] === undefined) continue;
        if ((item as unknown[])[2] === true && key.charAt(0) === '_') continue;
        keys.push(key);
      }
      keys.sort();
      out += '{';
      work.push('}');
      for (i = keys.length - 1; i >= 0; i--) {
        work.push([obj[keys[i] as string], depth + 1, false]);
        work.push(':');
        work.push([keys[i], depth + 1, false]);
        if (i > 0) work.push(',');
      }
    } else throw { forbidden: 'doc.badContent' };
  }

  // SHA-256 (FIPS 180-4) of the ASCII text, on plain numbers.
  var k = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
  ];
  var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  var len = out.length;
  var total = (((len + 8) >> 6) + 1) * 16;
  var words: number[] = [];
  for (i = 0; i < total; i++) words.push(0);
  for (i = 0; i < len; i++) words[i >> 2] = (words[i >> 2] as number) | (out.charCodeAt(i) << (24 - (i % 4) * 8));
  words[len >> 2] = (words[len >> 2] as number) | (0x80 << (24 - (len % 4) * 8));
  words[total - 2] = Math.floor(len / 0x20000000);
  words[total - 1] = (len * 8) | 0;
  var w: number[] = [];
  var a: number, b: number, cc: number, d: number, e: number, f: number, g: number, hh: number;
  var x: number, y: number, s0: number, s1: number, t1: number, t2: number;
  for (j = 0; j < total; j += 16) {
    for (i = 0; i < 64; i++) {
      if (i < 16) w[i] = words[j + i] as number;
      else {
        x = w[i - 15] as number;
        y = w[i - 2] as number;
        s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) | 0;
      }
    }
    a = h[0] as number;
    b = h[1] as number;
    cc = h[2] as number;
    d = h[3] as number;
    e = h[4] as number;
    f = h[5] as number;
    g = h[6] as number;
    hh = h[7] as number;
    for (i = 0; i < 64; i++) {
      s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      t1 = (hh + s1 + ((e & f) ^ (~e & g)) + (k[i] as number) + (w[i] as number)) | 0;
      s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      t2 = (s0 + ((a & b) ^ (a & cc) ^ (b & cc))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = cc;
      cc = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = ((h[0] as number) + a) | 0;
    h[1] = ((h[1] as number) + b) | 0;
    h[2] = ((h[2] as number) + cc) | 0;
    h[3] = ((h[3] as number) + d) | 0;
    h[4] = ((h[4] as number) + e) | 0;
    h[5] = ((h[5] as number) + f) | 0;
    h[6] = ((h[6] as number) + g) | 0;
    h[7] = ((h[7] as number) + hh) | 0;
  }
  var digest = '';
  for (i = 0; i < 8; i++) {
    hex = ((h[i] as number) >>> 0).toString(16);
    while (hex.length < 8) hex = '0' + hex;
    digest += hex;
  }
  return digest;
  /* eslint-enable no-var, @typescript-eslint/only-throw-error, @typescript-eslint/unbound-method */
}
