import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deriveWrappingKey,
  EnvelopeError,
  fromBase64Url,
  generateDataKey,
  importDataKey,
  isSealedBytes,
  isSealedText,
  openBytes,
  openJson,
  openJsonBytes,
  sealBytes,
  sealJson,
  sealJsonBytes,
  TEXT_PREFIX,
  toBase64Url,
  unwrapDataKey,
  wrapDataKey,
} from './envelope';

const payload = {
  applicant: { iin: '900101300017', name: 'Әлия Сейітқызы Нұрланова', address: 'Алматы, Абай д-лы, 150, 12-пәтер' },
  documents: ['application', 'identity'],
  n: 3,
};

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'opened';
  } catch (e) {
    if (e instanceof EnvelopeError) return e.code;
    throw e;
  }
}

const flip = (bytes: Uint8Array, index: number, bit = 0): Uint8Array => {
  const copy = bytes.slice();
  copy[index] = (copy[index] ?? 0) ^ (1 << bit);
  return copy;
};

describe('encryption envelope (AES-256-GCM, WebCrypto)', () => {
  it('seals and opens JSON as a text field, in a versioned format that hides the content', async () => {
    const key = await generateDataKey();
    const sealed = await sealJson(key, payload, 'evt:APP1:0001:D1#payload');
    expect(sealed.startsWith(TEXT_PREFIX)).toBe(true);
    expect(isSealedText(sealed)).toBe(true);
    expect(sealed).not.toContain('900101300017');
    const bytes = fromBase64Url(sealed.slice(TEXT_PREFIX.length));
    expect([...bytes.subarray(0, 3)]).toEqual([0x4b, 1, 0x4a]); // 'K', version 1, 'J'
    await expect(openJson(key, sealed, 'evt:APP1:0001:D1#payload')).resolves.toEqual(payload);
    // A fresh IV every time: the same value never seals to the same text.
    expect(await sealJson(key, payload, 'x')).not.toBe(await sealJson(key, payload, 'x'));
  });

  it('seals JSON to the same envelope as bytes, for stores that keep binary; the text form is those bytes', async () => {
    const key = await generateDataKey();
    const bytes = await sealJsonBytes(key, payload, 'read:app:A1');
    expect(isSealedBytes(bytes)).toBe(true);
    expect([...bytes.subarray(0, 3)]).toEqual([0x4b, 1, 0x4a]);
    await expect(openJsonBytes(key, bytes, 'read:app:A1')).resolves.toEqual(payload);
    await expect(openJson(key, TEXT_PREFIX + toBase64Url(bytes), 'read:app:A1')).resolves.toEqual(payload);
    expect(await codeOf(openJsonBytes(key, bytes, 'read:app:A2'))).toBe('envelope.tampered');
    expect(await codeOf(openJsonBytes(key, flip(bytes, 20), 'read:app:A1'))).toBe('envelope.tampered');
    expect(isSealedBytes(new Uint8Array(10))).toBe(false);
  });

  it('seals and opens a 1 MB scan byte for byte', async () => {
    const key = await generateDataKey();
    const scan = new Uint8Array(1024 * 1024);
    for (let i = 0; i < scan.length; i += 65536) globalThis.crypto.getRandomValues(scan.subarray(i, i + 65536));
    const sealed = await sealBytes(key, scan, 'evt:APP1:0002:D1/passport.jpg');
    expect(sealed.byteLength).toBe(scan.byteLength + 3 + 12 + 16);
    const opened = await openBytes(key, sealed, 'evt:APP1:0002:D1/passport.jpg');
    expect(opened.byteLength).toBe(scan.byteLength);
    expect(opened.every((b, i) => b === scan[i])).toBe(true);
  });

  it('refuses a changed bit anywhere, another key, another context, with a clear code', async () => {
    const key = await generateDataKey();
    const sealed = await sealBytes(key, new TextEncoder().encode('Әлия 900101300017'), 'ctx');
    expect(await codeOf(openBytes(await generateDataKey(), sealed, 'ctx'))).toBe('envelope.tampered');
    expect(await codeOf(openBytes(key, sealed, 'other document'))).toBe('envelope.tampered');
    expect(await codeOf(openBytes(key, flip(sealed, 0), 'ctx'))).toBe('envelope.malformed');
    expect(await codeOf(openBytes(key, flip(sealed, 1, 1), 'ctx'))).toBe('envelope.unsupportedVersion');
    expect(await codeOf(openBytes(key, flip(sealed, 2), 'ctx'))).toBe('envelope.wrongType');
    expect(await codeOf(openBytes(key, flip(sealed, 5), 'ctx'))).toBe('envelope.tampered'); // IV
    expect(await codeOf(openBytes(key, flip(sealed, 20), 'ctx'))).toBe('envelope.tampered'); // ciphertext
    expect(await codeOf(openBytes(key, flip(sealed, sealed.length - 1, 7), 'ctx'))).toBe('envelope.tampered'); // tag
    expect(await codeOf(openBytes(key, sealed.subarray(0, 30), 'ctx'))).toBe('envelope.malformed');
    expect(await codeOf(openBytes(key, sealed.subarray(0, sealed.length - 1), 'ctx'))).toBe('envelope.tampered');
    // A JSON envelope is not accepted where bytes are expected, and the other way round.
    const json = await sealJson(key, payload, 'ctx');
    expect(await codeOf(openBytes(key, fromBase64Url(json.slice(TEXT_PREFIX.length)), 'ctx'))).toBe(
      'envelope.wrongType',
    );
    for (const bad of ['', 'plain text', 'kenc1.', 'kenc1.***', `kenc1.${toBase64Url(sealed)}`])
      expect(await codeOf(openJson(key, bad, 'ctx')), bad).not.toBe('opened');
  });

  it('property: no single-bit change of a sealed JSON value ever opens', async () => {
    const key = await generateDataKey();
    const sealed = fromBase64Url((await sealJson(key, payload, 'p')).slice(TEXT_PREFIX.length));
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: sealed.length - 1 }), fc.nat({ max: 7 }), async (i, bit) => {
        const code = await codeOf(openJson(key, TEXT_PREFIX + toBase64Url(flip(sealed, i, bit)), 'p'));
        expect(code).toMatch(/^envelope\./);
      }),
      { numRuns: 200 },
    );
  });

  it('wraps the data key under a password-derived key; a wrong password is refused; the unwrapped key stays in', async () => {
    const dataKey = await generateDataKey();
    const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
    // Few iterations in the test; the app uses PBKDF2_ITERATIONS.
    const kek = await deriveWrappingKey('aigerim: жаңа құпиясөз', salt, 1000);
    const wrapped = await wrapDataKey(dataKey, kek, 'user:aigerim');
    expect([...wrapped.subarray(0, 3)]).toEqual([0x4b, 1, 0x57]);
    const back = await unwrapDataKey(
      wrapped,
      await deriveWrappingKey('aigerim: жаңа құпиясөз', salt, 1000),
      'user:aigerim',
    );
    expect(back.extractable).toBe(false);
    await expect(globalThis.crypto.subtle.exportKey('raw', back)).rejects.toThrow();
    const sealed = await sealJson(dataKey, payload);
    await expect(openJson(back, sealed)).resolves.toEqual(payload);

    const wrong = await deriveWrappingKey('wrong password', salt, 1000);
    expect(await codeOf(unwrapDataKey(wrapped, wrong, 'user:aigerim'))).toBe('envelope.tampered');
    expect(await codeOf(unwrapDataKey(wrapped, kek, 'user:bolat'))).toBe('envelope.tampered');
    expect(await codeOf(unwrapDataKey(flip(wrapped, 10), kek, 'user:aigerim'))).toBe('envelope.tampered');
    expect(await codeOf(deriveWrappingKey('x', new Uint8Array(8)))).toBe('envelope.malformed');
  });

  it('imports raw key bytes from the OS key store as a non-extractable key; refuses a wrong length', async () => {
    const raw = globalThis.crypto.getRandomValues(new Uint8Array(32));
    const a = await importDataKey(raw);
    const b = await importDataKey(raw.slice());
    expect(a.extractable).toBe(false);
    await expect(openJson(b, await sealJson(a, payload))).resolves.toEqual(payload);
    expect(() => importDataKey(new Uint8Array(16))).toThrow(EnvelopeError);
  });
});
