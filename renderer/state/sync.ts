import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { SyncSnapshot } from '../data/sync';

/**
 * The sync server this desk replicates with, and what the sync indicator shows. The address and
 * login are kept; the password is held in memory only (staff sign-in will replace it), so after
 * a restart the desk works offline until someone enters it again.
 */
export interface SyncConfig {
  url: string;
  username: string;
}

export interface SyncState {
  config: SyncConfig | null;
  password: string | null;
  snapshot: SyncSnapshot | null;
  /** Set by the controller: asks the running replication to start over now. */
  syncNow: (() => Promise<void>) | null;
  configure: (config: SyncConfig | null, password: string | null) => void;
}

export const SYNC_KEY = 'kense.sync';

export const useSyncStatus = create<SyncState>()(
  persist(
    (set) => ({
      config: null,
      password: null,
      snapshot: null,
      syncNow: null,
      configure: (config, password) => set({ config, password, snapshot: null }),
    }),
    {
      name: SYNC_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ config: s.config }),
      merge: (persisted, current) => {
        const c = (persisted as { config?: Partial<SyncConfig> | null } | null)?.config;
        const ok = c && typeof c.url === 'string' && typeof c.username === 'string';
        return { ...current, config: ok ? { url: c.url as string, username: c.username as string } : null };
      },
    },
  ),
);

/** What the indicator shows, in one word. */
export type SyncStatus =
  'notConfigured' | 'needsPassword' | 'connecting' | 'syncing' | 'online' | 'offline' | 'error' | 'stopped';

export function syncStatusOf(s: Pick<SyncState, 'config' | 'password' | 'snapshot'>): SyncStatus {
  if (!s.config) return 'notConfigured';
  if (!s.password) return 'needsPassword';
  return s.snapshot?.state ?? 'connecting';
}
