/**
 * The offline sign-in verifier: PBKDF2-SHA-256 over the password with a random salt (WebCrypto),
 * so a stolen disk yields neither the password nor a cheap way to test guesses. The password
 * itself is never stored.
 *
 * The same slow pass also gives the key that wraps this person's copy of the desk secret
 * (docs/threat-model.md §5, browser mode): HKDF splits the PBKDF2 output into the stored check
 * value and the wrapping key, so the stored hash does not give the key and sign-in is not slowed
 * twice. Verifiers from before (`kdf` absent: the raw PBKDF2 output stored) still check, but give
 * no wrapping key.
 */
export interface PasswordVerifier {
  alg: 'PBKDF2-SHA-256';
  iterations: number;
  /** base64 */
  salt: string;
  /** base64, 256 bits */
  hash: string;
  /** 'hkdf': `hash` is HKDF(PBKDF2 output, "verify"); the wrapping key is HKDF(…, "wrap"). */
  kdf?: 'hkdf';
}

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA-256; about 0.3 s on a modest laptop. */
export const VERIFIER_ITERATIONS = 600_000;
export const MIN_ITERATIONS = 100_000;

const b64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const unb64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

const HKDF_SALT = new TextEncoder().encode('kense/verifier/v2');

/** The stored check value and the wrapping key, both from one PBKDF2 output. */
async function split(master: Uint8Array): Promise<{ hash: Uint8Array; wrappingKey: CryptoKey }> {
  const base = await crypto.subtle.importKey('raw', master as BufferSource, 'HKDF', false, ['deriveBits', 'deriveKey']);
  const params = (info: string): HkdfParams => ({
    name: 'HKDF',
    hash: 'SHA-256',
    salt: HKDF_SALT,
    info: new TextEncoder().encode(info),
  });
  const [hash, wrappingKey] = await Promise.all([
    crypto.subtle.deriveBits(params('verify'), base, 256),
    crypto.subtle.deriveKey(params('wrap'), base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']),
  ]);
  return { hash: new Uint8Array(hash), wrappingKey };
}

/** A new verifier and the wrapping key that goes with it (one slow pass). */
export async function makeVerifierWithKey(
  password: string,
  iterations = VERIFIER_ITERATIONS,
): Promise<{ verifier: PasswordVerifier; wrappingKey: CryptoKey }> {
  if (iterations < MIN_ITERATIONS) throw new Error(`at least ${MIN_ITERATIONS} iterations`);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const { hash, wrappingKey } = await split(await derive(password, salt, iterations));
  return {
    verifier: { alg: 'PBKDF2-SHA-256', iterations, salt: b64(salt), hash: b64(hash), kdf: 'hkdf' },
    wrappingKey,
  };
}

export async function makeVerifier(password: string, iterations = VERIFIER_ITERATIONS): Promise<PasswordVerifier> {
  return (await makeVerifierWithKey(password, iterations)).verifier;
}

/** Constant-time comparison of the derived key; a malformed verifier never matches. */
export async function checkVerifier(password: string, v: PasswordVerifier): Promise<boolean> {
  return (await checkPassword(password, v)).ok;
}

/**
 * Checks the password and, for a current verifier, gives the wrapping key of this person's copy
 * of the desk secret (null for a verifier from before).
 */
export async function checkPassword(
  password: string,
  v: PasswordVerifier,
): Promise<{ ok: false } | { ok: true; wrappingKey: CryptoKey | null }> {
  const no = { ok: false } as const;
  if (v.alg !== 'PBKDF2-SHA-256' || !Number.isInteger(v.iterations) || v.iterations < MIN_ITERATIONS) return no;
  let salt: Uint8Array;
  let expected: Uint8Array;
  try {
    salt = unb64(v.salt);
    expected = unb64(v.hash);
  } catch {
    return no;
  }
  if (salt.length < 16 || expected.length !== 32) return no;
  const master = await derive(password, salt, v.iterations);
  const parts = v.kdf === 'hkdf' ? await split(master) : { hash: master, wrappingKey: null };
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= (parts.hash[i] ?? 0) ^ (expected[i] ?? 0);
  return diff === 0 ? { ok: true, wrappingKey: parts.wrappingKey } : no;
}
