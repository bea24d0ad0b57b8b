import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rememberedDerivation, sha256Key } from './verifiers';

describe('rememberedDerivation', () => {
  const counting = (): { derive: (p: string, s: string, i: number) => Promise<string>; calls: () => number } => {
    let n = 0;
    return {
      derive: (p, s, i) => {
        n++;
        return Promise.resolve(pbkdf2Sync(p, s, i, 32, 'sha256').toString('hex'));
      },
      calls: () => n,
    };
  };

  it('derives a password’s key once for the same salt and iterations, as CouchDB’s password cache does', async () => {
    const c = counting();
    const derive = rememberedDerivation(c.derive);
    const expected = pbkdf2Sync('secret', 'salt-a', 1000, 32, 'sha256').toString('hex');
    expect(await derive('secret', 'salt-a', 1000)).toBe(expected);
    expect(await derive('secret', 'salt-a', 1000)).toBe(expected);
    expect(c.calls()).toBe(1);
  });

  it('never answers another password, salt or iteration count from what it remembers', async () => {
    const c = counting();
    const derive = rememberedDerivation(c.derive);
    const right = await derive('secret', 'salt-a', 1000);
    expect(await derive('Secret', 'salt-a', 1000)).not.toBe(right);
    expect(await derive('secret', 'salt-b', 1000)).not.toBe(right);
    expect(await derive('secret', 'salt-a', 1001)).not.toBe(right);
    expect(c.calls()).toBe(4);
  });

  it('keeps a bounded number of entries, the least recently used going first', async () => {
    const c = counting();
    const derive = rememberedDerivation(c.derive, 2);
    await derive('a', 's', 1);
    await derive('b', 's', 1);
    await derive('a', 's', 1); // a used again: b is now the oldest
    await derive('c', 's', 1); // b goes
    expect(c.calls()).toBe(3);
    await derive('a', 's', 1);
    expect(c.calls()).toBe(3);
    await derive('b', 's', 1);
    expect(c.calls()).toBe(4);
  });

  it('does not remember a failed derivation', async () => {
    let fail = true;
    const derive = rememberedDerivation((p) => (fail ? Promise.reject(new Error('busy')) : Promise.resolve(`k-${p}`)));
    await expect(derive('x', 's', 1)).rejects.toThrow('busy');
    fail = false;
    expect(await derive('x', 's', 1)).toBe('k-x');
  });
});

describe('sha256Key', () => {
  it('is CouchDB’s PBKDF2-HMAC-SHA256 verifier key (32 bytes, hex)', async () => {
    expect(await sha256Key('secret-bolat', 'abc', 1000)).toBe(
      pbkdf2Sync('secret-bolat', 'abc', 1000, 32, 'sha256').toString('hex'),
    );
  });
});
