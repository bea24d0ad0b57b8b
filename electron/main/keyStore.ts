import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DATA_KEY_BYTES, type DataKeyRequest, type DataKeyResult } from '@shared/ipc/contract';

/**
 * The desk's data key, kept wrapped by the OS key store. Electron's `safeStorage` encrypts with
 * DPAPI (Windows, bound to the OS account), the Keychain (macOS) or libsecret/kwallet (Linux); on
 * Linux without a keyring it falls back to a fixed, public key ("basic_text"), which is no
 * protection, so the store refuses instead of pretending.
 */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only. */
  getSelectedStorageBackend?(): string;
}

export interface KeyFiles {
  read(name: string): Promise<Uint8Array | null>;
  /** Must replace the file atomically: a half-written key file would lock the desk out of its data. */
  write(name: string, data: Uint8Array): Promise<void>;
}

export interface KeyStoreDeps {
  safeStorage: SafeStorageLike;
  files: KeyFiles;
  randomBytes: (n: number) => Uint8Array;
  platform: NodeJS.Platform;
}

export interface KeyStore {
  /** The scope's key; created on first request. Never replaced silently: that would orphan the data. */
  dataKey(request: DataKeyRequest): Promise<DataKeyResult>;
}

/** Backends that really protect the key: a keyring, not Chromium's hard-coded fallback password. */
const WEAK_LINUX_BACKENDS = new Set(['basic_text', 'unknown']);

export function osStoreProtects(safe: SafeStorageLike, platform: NodeJS.Platform): boolean {
  if (!safe.isEncryptionAvailable()) return false;
  if (platform === 'linux') {
    const backend = safe.getSelectedStorageBackend?.() ?? 'unknown';
    return !WEAK_LINUX_BACKENDS.has(backend);
  }
  return true;
}

const fileName = (scope: string): string => `${scope.replace('/', '__')}.key`;

export function createKeyStore(deps: KeyStoreDeps): KeyStore {
  // One request per scope at a time: two first requests must not create two different keys.
  const pending = new Map<string, Promise<DataKeyResult>>();

  const load = async (scope: string): Promise<DataKeyResult> => {
    if (!osStoreProtects(deps.safeStorage, deps.platform)) return { ok: false, code: 'key.osStoreUnavailable' };
    const name = fileName(scope);
    let stored: Uint8Array | null;
    try {
      stored = await deps.files.read(name);
    } catch {
      return { ok: false, code: 'key.unreadable' };
    }
    if (stored !== null) {
      try {
        const raw = Uint8Array.from(atob(deps.safeStorage.decryptString(Buffer.from(stored))), (c) => c.charCodeAt(0));
        if (raw.byteLength !== DATA_KEY_BYTES) return { ok: false, code: 'key.unreadable' };
        return { ok: true, key: raw };
      } catch {
        // Another OS account, a reinstalled keyring, or a damaged file: the data stays encrypted.
        return { ok: false, code: 'key.unreadable' };
      }
    }
    const key = deps.randomBytes(DATA_KEY_BYTES);
    try {
      const wrapped = deps.safeStorage.encryptString(btoa(String.fromCharCode(...key)));
      await deps.files.write(name, new Uint8Array(wrapped));
    } catch {
      return { ok: false, code: 'key.writeFailed' };
    }
    return { ok: true, key: Uint8Array.from(key) };
  };

  return {
    dataKey: ({ scope }) => {
      const running = pending.get(scope);
      if (running) return running;
      const next = load(scope).finally(() => pending.delete(scope));
      pending.set(scope, next);
      return next;
    },
  };
}

/** Key files in a directory of the user's profile, written to a temporary name and renamed. */
export function directoryKeyFiles(dir: string): KeyFiles {
  return {
    read: async (name) => {
      try {
        return new Uint8Array(await readFile(path.join(dir, name)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    write: async (name, data) => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const tmp = path.join(dir, `${name}.${process.pid}.tmp`);
      await writeFile(tmp, data, { mode: 0o600 });
      await rename(tmp, path.join(dir, name));
    },
  };
}
