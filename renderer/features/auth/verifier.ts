/**
 * The offline sign-in verifier: PBKDF2-SHA-256 over the password with a random salt (WebCrypto),
 * so a stolen disk yields neither the password nor a cheap way to test guesses. The password
 * itself is never stored.
 */
export interface PasswordVerifier {
  alg: 'PBKDF2-SHA-256';
  iterations: number;
  /** base64 */
  salt: string;
  /** base64, 256 bits */
  hash: string;
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

export async function makeVerifier(password: string, iterations = VERIFIER_ITERATIONS): Promise<PasswordVerifier> {
  if (iterations < MIN_ITERATIONS) throw new Error(`at least ${MIN_ITERATIONS} iterations`);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { alg: 'PBKDF2-SHA-256', iterations, salt: b64(salt), hash: b64(await derive(password, salt, iterations)) };
}

/** Constant-time comparison of the derived key; a malformed verifier never matches. */
export async function checkVerifier(password: string, v: PasswordVerifier): Promise<boolean> {
  if (v.alg !== 'PBKDF2-SHA-256' || !Number.isInteger(v.iterations) || v.iterations < MIN_ITERATIONS) return false;
  let salt: Uint8Array;
  let expected: Uint8Array;
  try {
    salt = unb64(v.salt);
    expected = unb64(v.hash);
  } catch {
    return false;
  }
  if (salt.length < 16 || expected.length !== 32) return false;
  const got = await derive(password, salt, v.iterations);
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= (got[i] ?? 0) ^ (expected[i] ?? 0);
  return diff === 0;
}
