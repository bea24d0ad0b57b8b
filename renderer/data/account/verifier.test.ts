import { describe, expect, it } from 'vitest';
import { checkVerifier, makeVerifier, MIN_ITERATIONS, VERIFIER_ITERATIONS } from './verifier';

describe('offline sign-in verifier (PBKDF2-SHA-256, WebCrypto)', () => {
  it('accepts the password it was made from and nothing else; never contains the password', async () => {
    const v = await makeVerifier('Сәлем-123', MIN_ITERATIONS);
    expect(v.alg).toBe('PBKDF2-SHA-256');
    expect(JSON.stringify(v)).not.toContain('Сәлем');
    expect(await checkVerifier('Сәлем-123', v)).toBe(true);
    expect(await checkVerifier('Сәлем-124', v)).toBe(false);
    expect(await checkVerifier('', v)).toBe(false);
  });

  it('salts: the same password gives different verifiers', async () => {
    const [a, b] = await Promise.all([makeVerifier('x', MIN_ITERATIONS), makeVerifier('x', MIN_ITERATIONS)]);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(atob(a.salt)).toHaveLength(16);
  });

  it('is slow by default and refuses weakened or tampered verifiers', async () => {
    expect(VERIFIER_ITERATIONS).toBeGreaterThanOrEqual(100_000);
    await expect(makeVerifier('x', 1000)).rejects.toThrow();
    const v = await makeVerifier('x', MIN_ITERATIONS);
    expect(await checkVerifier('x', { ...v, iterations: 1 })).toBe(false);
    expect(await checkVerifier('x', { ...v, hash: 'not base64!' })).toBe(false);
    expect(await checkVerifier('x', { ...v, salt: '' })).toBe(false);
  });
});
