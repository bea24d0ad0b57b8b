/**
 * How the hub checks passwords. Desks send HTTP Basic credentials with every request (PouchDB's
 * HTTP adapter has no session cookies), so pouchdb-auth derives the verifier's key on each one.
 *
 * - pouchdb-auth checks a password with PBKDF2-SHA1 only, and sees only the salt (its
 *   `hashPassword(password, salt, iterations)`; CouchDB 3.4 made PBKDF2-SHA256 the default
 *   `pbkdf2_prf`, which pouchdb-auth 4.2.0, the last release, predates: pouchdb/pouchdb-server has
 *   no release since 2019). The staff copy (staffCopy.ts) marks the salt of a SHA-256 verifier, and
 *   it is checked here the way CouchDB does: PBKDF2-HMAC-SHA256, 32 bytes, hex. The one remaining
 *   patch of a dependency at run time; hubStaff.test.ts signs in with such a verifier and fails
 *   without it.
 * - A verifier's iterations are there to slow down offline guessing, and central sets them (many,
 *   for SHA-256 verifiers): derived on every request, they would cost each desk request that much
 *   CPU. CouchDB keeps a cache for this (couch_passwords_cache.erl: after a slow check, a
 *   5-iteration PBKDF2-SHA256 of the password, by user and salt); here the derivation itself is
 *   remembered, by salt, iterations and a 5-iteration PBKDF2-SHA256 of the password (never the
 *   password), a bounded number of entries. The slow derivation runs off the event loop.
 */
import { pbkdf2, pbkdf2Sync } from 'node:crypto';
import authUtils from 'pouchdb-auth/lib/utils';
import { SHA256_SALT_PREFIX } from './staffCopy';

type Derive = (password: string, salt: string, iterations: number) => Promise<string>;

/** CouchDB's couch_passwords_cache FAST_ITERATIONS. */
const FAST_ITERATIONS = 5;

/**
 * `derive`, remembered for the last `max` (password, salt, iterations) it was asked, keyed without
 * the password itself. A derivation is a pure function of its arguments, so a remembered answer is
 * the answer; a wrong password has another key, and is derived (slowly) again.
 */
export function rememberedDerivation(derive: Derive, max = 1000): Derive {
  const known = new Map<string, Promise<string>>();
  return (password, salt, iterations) => {
    const fast = pbkdf2Sync(String(password), String(salt), FAST_ITERATIONS, 32, 'sha256').toString('hex');
    const key = `${String(iterations)}\u0000${String(salt)}\u0000${fast}`;
    const hit = known.get(key);
    if (hit) {
      // Most recently used last: the oldest goes first when full.
      known.delete(key);
      known.set(key, hit);
      return hit;
    }
    const derived = derive(password, salt, iterations);
    known.set(key, derived);
    // A failed derivation is not remembered.
    derived.catch(() => known.delete(key));
    if (known.size > max) known.delete(known.keys().next().value as string);
    return derived;
  };
}

/** PBKDF2-HMAC-SHA256 as CouchDB derives a SHA-256 verifier's key, off the event loop. */
export const sha256Key = (password: string, salt: string, iterations: number): Promise<string> =>
  new Promise((resolve, reject) => {
    pbkdf2(String(password), salt, Number(iterations), 32, 'sha256', (e, key) =>
      e ? reject(e) : resolve(key.toString('hex')),
    );
  });

export function installSha256Verifiers(): void {
  const sha1 = authUtils.hashPassword;
  authUtils.hashPassword = rememberedDerivation((password, salt, iterations) =>
    typeof salt === 'string' && salt.startsWith(SHA256_SALT_PREFIX)
      ? sha256Key(password, salt.slice(SHA256_SALT_PREFIX.length), iterations)
      : sha1(password, salt, iterations),
  );
}
