import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeyStore, directoryKeyFiles, osStoreProtects, type KeyFiles, type SafeStorageLike } from './keyStore';

/** A stand-in for Electron's safeStorage: reversible, but visibly not the plain text. */
function fakeSafeStorage(
  opts: { available?: boolean; backend?: string; failDecrypt?: boolean } = {},
): SafeStorageLike & {
  encrypted: string[];
} {
  const encrypted: string[] = [];
  return {
    encrypted,
    isEncryptionAvailable: () => opts.available ?? true,
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
    encryptString: (plain) => {
      encrypted.push(plain);
      return Buffer.from(`v11:${[...plain].reverse().join('')}`);
    },
    decryptString: (buf) => {
      const text = buf.toString();
      if (opts.failDecrypt || !text.startsWith('v11:')) throw new Error('Error while decrypting the ciphertext');
      return [...text.slice(4)].reverse().join('');
    },
  };
}

function memoryFiles(): KeyFiles & { store: Map<string, Uint8Array>; writes: number } {
  const store = new Map<string, Uint8Array>();
  const files = {
    store,
    writes: 0,
    read: (name: string) => Promise.resolve(store.get(name) ?? null),
    write: (name: string, data: Uint8Array) => {
      files.writes++;
      store.set(name, data);
      return Promise.resolve();
    },
  };
  return files;
}

let counter = 0;
const random = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + ++counter) & 0xff);

describe('the desk key store (Electron safeStorage)', () => {
  it('creates a 32-byte key on first request, stores it only wrapped, and returns the same key after', async () => {
    const safe = fakeSafeStorage();
    const files = memoryFiles();
    const store = createKeyStore({ safeStorage: safe, files, randomBytes: random, platform: 'linux' });
    const first = await store.dataKey({ scope: 'ALM01/D01' });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.key.byteLength).toBe(32);
    const stored = files.store.get('ALM01__D01.key');
    expect(stored).toBeDefined();
    expect(Buffer.from(stored ?? []).toString()).toMatch(/^v11:/);
    // A restart: a new store over the same files gives the same key.
    const again = await createKeyStore({ safeStorage: safe, files, randomBytes: random, platform: 'linux' }).dataKey({
      scope: 'ALM01/D01',
    });
    expect(again).toEqual(first);
    expect(files.writes).toBe(1);
    // Another desk, another key.
    const other = await store.dataKey({ scope: 'ALM01/D02' });
    expect(other.ok && other.key).not.toEqual(first.key);
  });

  it('two first requests at once create one key, not two', async () => {
    const files = memoryFiles();
    const store = createKeyStore({ safeStorage: fakeSafeStorage(), files, randomBytes: random, platform: 'win32' });
    const [a, b] = await Promise.all([store.dataKey({ scope: 'KZO01/D01' }), store.dataKey({ scope: 'KZO01/D01' })]);
    expect(a).toEqual(b);
    expect(files.writes).toBe(1);
  });

  it('refuses where the OS store would only obfuscate: no encryption, or Linux without a keyring', async () => {
    expect(osStoreProtects(fakeSafeStorage({ available: false }), 'win32')).toBe(false);
    expect(osStoreProtects(fakeSafeStorage({ backend: 'basic_text' }), 'linux')).toBe(false);
    expect(osStoreProtects(fakeSafeStorage({ backend: 'kwallet5' }), 'linux')).toBe(true);
    expect(osStoreProtects(fakeSafeStorage({ backend: 'basic_text' }), 'darwin')).toBe(true);
    const files = memoryFiles();
    const store = createKeyStore({
      safeStorage: fakeSafeStorage({ backend: 'basic_text' }),
      files,
      randomBytes: random,
      platform: 'linux',
    });
    await expect(store.dataKey({ scope: 'ALM01/D01' })).resolves.toEqual({ ok: false, code: 'key.osStoreUnavailable' });
    expect(files.writes).toBe(0);
  });

  it('never replaces a key it cannot read (another OS account, a damaged file): the data would be orphaned', async () => {
    const files = memoryFiles();
    files.store.set('ALM01__D01.key', Uint8Array.from(Buffer.from('v11:garbage')));
    const store = createKeyStore({ safeStorage: fakeSafeStorage(), files, randomBytes: random, platform: 'linux' });
    await expect(store.dataKey({ scope: 'ALM01/D01' })).resolves.toEqual({ ok: false, code: 'key.unreadable' });
    files.store.set('ALM01__D02.key', Uint8Array.from(Buffer.from('v11:whatever')));
    const failing = createKeyStore({
      safeStorage: fakeSafeStorage({ failDecrypt: true }),
      files,
      randomBytes: random,
      platform: 'linux',
    });
    await expect(failing.dataKey({ scope: 'ALM01/D02' })).resolves.toEqual({ ok: false, code: 'key.unreadable' });
    expect(files.writes).toBe(0);
    const broken: KeyFiles = { read: () => Promise.reject(new Error('EACCES')), write: () => Promise.resolve() };
    await expect(
      createKeyStore({ safeStorage: fakeSafeStorage(), files: broken, randomBytes: random, platform: 'linux' }).dataKey(
        { scope: 'ALM01/D03' },
      ),
    ).resolves.toEqual({ ok: false, code: 'key.unreadable' });
  });

  describe('key files on disk', () => {
    const dirs: string[] = [];
    afterEach(() => {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    });

    it('are written atomically, readable only by the user, and absent files read as null', async () => {
      const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'kense-keys-')), 'keys');
      dirs.push(path.dirname(dir));
      const files = directoryKeyFiles(dir);
      await expect(files.read('ALM01__D01.key')).resolves.toBeNull();
      const store = createKeyStore({ safeStorage: fakeSafeStorage(), files, randomBytes: random, platform: 'linux' });
      const r = await store.dataKey({ scope: 'ALM01/D01' });
      expect(r.ok).toBe(true);
      expect(readdirSync(dir)).toEqual(['ALM01__D01.key']);
      expect(readFileSync(path.join(dir, 'ALM01__D01.key'), 'utf8')).toMatch(/^v11:/);
      if (process.platform !== 'win32') expect(statSync(path.join(dir, 'ALM01__D01.key')).mode & 0o077).toBe(0);
    });
  });
});
