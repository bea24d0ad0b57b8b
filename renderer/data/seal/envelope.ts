/**
 * The encryption envelope for data at rest (see docs/threat-model.md, "Encryption at rest"):
 * AES-256-GCM through WebCrypto, one random 96-bit IV per seal, a versioned header that is also
 * authenticated, and an optional context (for example the document id and field) bound in as
 * additional data, so that a sealed value cannot be moved to another document unnoticed.
 *
 * Layout of a sealed value (bytes):  'K' | version (1) | type ('J' JSON, 'B' bytes, 'W' wrapped key)
 *                                    | IV (12) | ciphertext | GCM tag (16)
 * Where a store keeps binary values (IndexedDB rows, local PouchDB documents) a JSON value is kept
 * as those bytes (`sealJsonBytes`); where it must be text, as `kenc1.` + base64url of the same bytes
 * (`sealJson`). Base64 and its strict check cost more than the cipher: the bytes skip both.
 */

export type EnvelopeErrorCode =
  | 'envelope.malformed'
  | 'envelope.unsupportedVersion'
  | 'envelope.wrongType'
  /** Wrong key, wrong context, or the bytes were changed: GCM cannot tell these apart, by design. */
  | 'envelope.tampered';

export class EnvelopeError extends Error {
  constructor(readonly code: EnvelopeErrorCode) {
    super(code);
    this.name = 'EnvelopeError';
  }
}

const MAGIC = 0x4b; // 'K'
export const ENVELOPE_VERSION = 1;
const TYPE = { json: 0x4a, bytes: 0x42, key: 0x57 } as const; // 'J', 'B', 'W'
type SealType = keyof typeof TYPE;
const HEADER = 3;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const TEXT_PREFIX = 'kenc1.';
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const PBKDF2_ITERATIONS = 600_000;

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** A fresh random data key (AES-256-GCM). Extractable only so that it can be wrapped once. */
export function generateDataKey(): Promise<CryptoKey> {
  return subtle().generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
}

/** Imports raw key bytes (from the Electron key store) as a key that can never be read back. */
export function importDataKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.byteLength !== 32) throw new EnvelopeError('envelope.malformed');
  return subtle().importKey('raw', raw as BufferSource, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

function header(type: SealType): Uint8Array {
  return Uint8Array.of(MAGIC, ENVELOPE_VERSION, TYPE[type]);
}

function additionalData(head: Uint8Array, context: string): Uint8Array {
  const ctx = encoder.encode(context);
  const out = new Uint8Array(head.byteLength + ctx.byteLength);
  out.set(head);
  out.set(ctx, head.byteLength);
  return out;
}

async function seal(key: CryptoKey, type: SealType, plain: Uint8Array, context: string): Promise<Uint8Array> {
  const head = header(type);
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ct = new Uint8Array(
    await subtle().encrypt(
      { name: 'AES-GCM', iv, additionalData: additionalData(head, context) as BufferSource },
      key,
      plain as BufferSource,
    ),
  );
  const out = new Uint8Array(HEADER + IV_BYTES + ct.byteLength);
  out.set(head);
  out.set(iv, HEADER);
  out.set(ct, HEADER + IV_BYTES);
  return out;
}

/** Checks the header, then decrypts; every failure is an EnvelopeError with a code. */
function parse(sealed: Uint8Array, type: SealType): { head: Uint8Array; iv: Uint8Array; body: Uint8Array } {
  if (!(sealed instanceof Uint8Array) || sealed.byteLength < HEADER + IV_BYTES + TAG_BYTES || sealed[0] !== MAGIC)
    throw new EnvelopeError('envelope.malformed');
  if (sealed[1] !== ENVELOPE_VERSION) throw new EnvelopeError('envelope.unsupportedVersion');
  if (sealed[2] !== TYPE[type]) throw new EnvelopeError('envelope.wrongType');
  return {
    head: sealed.subarray(0, HEADER),
    iv: sealed.subarray(HEADER, HEADER + IV_BYTES),
    body: sealed.subarray(HEADER + IV_BYTES),
  };
}

async function open(key: CryptoKey, type: SealType, sealed: Uint8Array, context: string): Promise<Uint8Array> {
  const { head, iv, body } = parse(sealed, type);
  try {
    return new Uint8Array(
      await subtle().decrypt(
        { name: 'AES-GCM', iv: iv as BufferSource, additionalData: additionalData(head, context) as BufferSource },
        key,
        body as BufferSource,
      ),
    );
  } catch {
    throw new EnvelopeError('envelope.tampered');
  }
}

/** Scans and photos: bytes in, bytes out (stored as the attachment's data). */
export function sealBytes(key: CryptoKey, plain: Uint8Array, context = ''): Promise<Uint8Array> {
  return seal(key, 'bytes', plain, context);
}

export function openBytes(key: CryptoKey, sealed: Uint8Array, context = ''): Promise<Uint8Array> {
  return open(key, 'bytes', sealed, context);
}

/** A JSON value (an event payload, a row's personal fields) sealed to bytes, for stores that keep binary. */
export function sealJsonBytes(key: CryptoKey, value: unknown, context = ''): Promise<Uint8Array> {
  const text = JSON.stringify(value);
  if (text === undefined) throw new EnvelopeError('envelope.malformed');
  return seal(key, 'json', encoder.encode(text), context);
}

export async function openJsonBytes(key: CryptoKey, sealed: Uint8Array, context = ''): Promise<unknown> {
  const plain = await open(key, 'json', sealed, context);
  try {
    return JSON.parse(decoder.decode(plain)) as unknown;
  } catch {
    // Authenticated but not JSON: only a bug on the sealing side can get here.
    throw new EnvelopeError('envelope.malformed');
  }
}

/** A JSON value sealed to a text field (`kenc1.` + base64url of `sealJsonBytes`' bytes). */
export async function sealJson(key: CryptoKey, value: unknown, context = ''): Promise<string> {
  return TEXT_PREFIX + toBase64Url(await sealJsonBytes(key, value, context));
}

export async function openJson(key: CryptoKey, sealed: string, context = ''): Promise<unknown> {
  if (typeof sealed !== 'string' || !sealed.startsWith(TEXT_PREFIX)) throw new EnvelopeError('envelope.malformed');
  return openJsonBytes(key, fromBase64Url(sealed.slice(TEXT_PREFIX.length)), context);
}

export function isSealedText(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(TEXT_PREFIX);
}

/** Sealed bytes as `sealJsonBytes` makes them: a header the envelope knows (opening checks the rest). */
export function isSealedBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.byteLength >= HEADER + IV_BYTES + TAG_BYTES && value[0] === MAGIC;
}

// --- Key wrapping -------------------------------------------------------------------------------

/**
 * A key-encryption key derived from a password (browser mode: one wrapped copy of the desk's data
 * key per known user, unwrapped at sign-in). `salt` is random per user, 16 bytes or more.
 */
export async function deriveWrappingKey(
  password: string,
  salt: Uint8Array,
  iterations = PBKDF2_ITERATIONS,
): Promise<CryptoKey> {
  if (salt.byteLength < 16 || !Number.isInteger(iterations) || iterations < 1)
    throw new EnvelopeError('envelope.malformed');
  const base = await subtle().importKey('raw', encoder.encode(password) as BufferSource, 'PBKDF2', false, [
    'deriveKey',
  ]);
  return subtle().deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

/** The data key sealed under a wrapping key, in the same versioned envelope (type 'W'). */
export async function wrapDataKey(dataKey: CryptoKey, wrappingKey: CryptoKey, context = ''): Promise<Uint8Array> {
  const head = header('key');
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const wrapped = new Uint8Array(
    await subtle().wrapKey('raw', dataKey, wrappingKey, {
      name: 'AES-GCM',
      iv,
      additionalData: additionalData(head, context) as BufferSource,
    }),
  );
  const out = new Uint8Array(HEADER + IV_BYTES + wrapped.byteLength);
  out.set(head);
  out.set(iv, HEADER);
  out.set(wrapped, HEADER + IV_BYTES);
  return out;
}

/** The data key back, non-extractable; a wrong password or a changed byte is 'envelope.tampered'. */
export async function unwrapDataKey(sealed: Uint8Array, wrappingKey: CryptoKey, context = ''): Promise<CryptoKey> {
  const { head, iv, body } = parse(sealed, 'key');
  try {
    return await subtle().unwrapKey(
      'raw',
      body as BufferSource,
      wrappingKey,
      { name: 'AES-GCM', iv: iv as BufferSource, additionalData: additionalData(head, context) as BufferSource },
      { name: 'AES-GCM' },
      false,
      ['encrypt', 'decrypt'],
    );
  } catch {
    throw new EnvelopeError('envelope.tampered');
  }
}

// --- base64url, without padding -----------------------------------------------------------------

export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new EnvelopeError('envelope.malformed');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    throw new EnvelopeError('envelope.malformed');
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  // One text per value: a last character that differs only in its unused bits decodes to the
  // same bytes, and would let a changed text open as if untouched.
  if (toBase64Url(out) !== text) throw new EnvelopeError('envelope.malformed');
  return out;
}
