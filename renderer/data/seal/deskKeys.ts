/**
 * The keys that protect citizens' data on this desk (docs/threat-model.md §5). One 32-byte desk
 * secret (random, per office/desk) is the root; two working keys are derived from it with HKDF so
 * that neither use can be turned against the other:
 *  - `data`  AES-256-GCM, seals event payloads, scans, read-model personal fields and drafts
 *            (renderer/data/seal/envelope.ts);
 *  - `index` HMAC-SHA-256, the blind index that lets the read model be searched by IIN and name
 *            prefixes without holding them in clear.
 * Both are non-extractable: once derived, script in the renderer can use them but not read them.
 */
export interface DeskKeys {
  data: CryptoKey;
  index: CryptoKey;
}

export const DESK_SECRET_BYTES = 32;

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** HKDF with a fixed, labelled salt: the desk secret is already uniformly random. */
function hkdf(info: string): HkdfParams {
  return {
    name: 'HKDF',
    hash: 'SHA-256',
    salt: utf8('kense/desk-keys/v1') as BufferSource,
    info: utf8(info) as BufferSource,
  };
}

/** The working keys from a desk secret held as an HKDF base key (non-extractable is fine). */
export async function deriveDeskKeys(secret: CryptoKey): Promise<DeskKeys> {
  const [data, index] = await Promise.all([
    subtle().deriveKey(hkdf('data'), secret, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']),
    subtle().deriveKey(hkdf('index'), secret, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']),
  ]);
  return { data, index };
}

/** Imports raw secret bytes (the Electron key store's answer, an unwrapped copy) as an HKDF base key. */
export function importDeskSecret(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.byteLength !== DESK_SECRET_BYTES) throw new Error('desk secret must be 32 bytes');
  return subtle().importKey('raw', raw as BufferSource, 'HKDF', false, ['deriveKey', 'deriveBits']);
}

/** The working keys straight from raw secret bytes. */
export async function deskKeysFromRaw(raw: Uint8Array): Promise<DeskKeys> {
  return deriveDeskKeys(await importDeskSecret(raw));
}

/** A fresh random desk secret (raw bytes: to be wrapped or stored by the OS key store at once). */
export function newDeskSecret(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(DESK_SECRET_BYTES));
}

/** Keys for tests and benchmarks: random, never stored. */
export function throwawayDeskKeys(): Promise<DeskKeys> {
  return deskKeysFromRaw(newDeskSecret());
}
