/**
 * pouchdb-auth checks a password with PBKDF2-SHA1 only, and sees only the salt (its
 * `hashPassword(password, salt, iterations)`; CouchDB 3.4 made PBKDF2-SHA256 the default
 * `pbkdf2_prf`, which pouchdb-auth 4.2.0, the last release, predates: pouchdb/pouchdb-server has
 * no release since 2019). The staff copy (staffCopy.ts) marks the salt of a SHA-256 verifier, and
 * it is checked here the way CouchDB does: PBKDF2-HMAC-SHA256, 32 bytes, hex. The one remaining
 * patch of a dependency at run time; hubStaff.test.ts signs in with such a verifier and fails
 * without it.
 */
import { pbkdf2Sync } from 'node:crypto';
import authUtils from 'pouchdb-auth/lib/utils';
import { SHA256_SALT_PREFIX } from './staffCopy';

export function installSha256Verifiers(): void {
  const sha1 = authUtils.hashPassword;
  authUtils.hashPassword = (password: string, salt: string, iterations: number): Promise<string> => {
    if (typeof salt === 'string' && salt.startsWith(SHA256_SALT_PREFIX)) {
      const key = pbkdf2Sync(String(password), salt.slice(SHA256_SALT_PREFIX.length), Number(iterations), 32, 'sha256');
      return Promise.resolve(key.toString('hex'));
    }
    return sha1(password, salt, iterations);
  };
}
