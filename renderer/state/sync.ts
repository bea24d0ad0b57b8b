import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { SyncSnapshot } from '../data/sync/sync';

/**
 * Where this desk syncs, who it syncs as, and what the sync indicator shows.
 *
 * Two separate things live here on purpose:
 * - the **targets**: central's address and, optionally, the office hub's (kept across restarts);
 * - the **credentials**: the login (kept) and the password (in memory only, so after a restart the
 *   desk works offline until someone enters it again). Staff sign-in will replace this part alone:
 *   everything that reads credentials goes through `syncCredentials` below.
 */

export const SYNC_TARGETS = ['central', 'hub'] as const;
export type SyncTargetName = (typeof SYNC_TARGETS)[number];

export interface SyncTargets {
  /** Central CouchDB (or the development central). */
  central: string;
  /** The office hub on the LAN (Apache CouchDB on an office PC, or Kense's embedded hub); optional. */
  hub: string | null;
}

export interface SyncCredentials {
  username: string;
  password: string;
}

export interface SyncState {
  targets: SyncTargets | null;
  // ---- credentials (one place; staff sign-in replaces these three members) ----
  username: string | null;
  password: string | null;
  setCredentials: (username: string, password: string) => void;
  clearCredentials: () => void;
  // ----
  snapshots: Partial<Record<SyncTargetName, SyncSnapshot>>;
  /** Set by the controller: asks every running replication to start over now. */
  syncNow: (() => Promise<void>) | null;
  /** Set by the controller: sends what this person recorded to every server; false if one failed. */
  flush: (() => Promise<boolean>) | null;
  setTargets: (targets: SyncTargets | null) => void;
}

export const SYNC_KEY = 'kense.sync';

/** The credentials the desk syncs with, or null while none are entered. */
export function syncCredentials(s: Pick<SyncState, 'username' | 'password'>): SyncCredentials | null {
  return s.username && s.password ? { username: s.username, password: s.password } : null;
}

/** The configured targets with their addresses, central first. */
export function configuredTargets(targets: SyncTargets | null): { name: SyncTargetName; url: string }[] {
  if (!targets) return [];
  return SYNC_TARGETS.flatMap((name) => {
    const url = targets[name];
    return url ? [{ name, url }] : [];
  });
}

/** An http(s) address, or null when it is not one. */
export function parseServerUrl(text: string): string | null {
  try {
    const u = new URL(text.trim());
    return ['http:', 'https:'].includes(u.protocol) && u.hostname ? text.trim().replace(/\/+$/, '') : null;
  } catch {
    return null;
  }
}

interface PersistedV2 {
  targets?: { central?: unknown; hub?: unknown } | null;
  username?: unknown;
}

/** What was stored, checked: anything malformed is dropped rather than trusted. */
export function restoreSync(
  persisted: unknown,
  version: number,
): { targets: SyncTargets | null; username: string | null } {
  if (version < 2) {
    // v1 kept one server: `{ config: { url, username } }`; it becomes central.
    const c = (persisted as { config?: { url?: unknown; username?: unknown } | null } | null)?.config;
    const central = typeof c?.url === 'string' ? parseServerUrl(c.url) : null;
    return {
      targets: central ? { central, hub: null } : null,
      username: typeof c?.username === 'string' && c.username ? c.username : null,
    };
  }
  const p = (persisted ?? {}) as PersistedV2;
  const central = typeof p.targets?.central === 'string' ? parseServerUrl(p.targets.central) : null;
  const hub = typeof p.targets?.hub === 'string' ? parseServerUrl(p.targets.hub) : null;
  return {
    targets: central ? { central, hub } : null,
    username: typeof p.username === 'string' && p.username ? p.username : null,
  };
}

export const useSyncStatus = create<SyncState>()(
  persist(
    (set) => ({
      targets: null,
      username: null,
      password: null,
      snapshots: {},
      syncNow: null,
      flush: null,
      setTargets: (targets) => set({ targets, snapshots: {} }),
      setCredentials: (username, password) => set({ username, password, snapshots: {} }),
      clearCredentials: () => set({ username: null, password: null, snapshots: {} }),
    }),
    {
      name: SYNC_KEY,
      version: 2,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ targets: s.targets, username: s.username }),
      migrate: (persisted, version) => restoreSync(persisted, version),
      merge: (persisted, current) => ({ ...current, ...restoreSync(persisted, 2) }),
    },
  ),
);

/** What the indicator shows, in one word. */
export type SyncStatus =
  'notConfigured' | 'needsPassword' | 'connecting' | 'syncing' | 'online' | 'hubOnly' | 'offline' | 'error' | 'stopped';

/** One target's status. */
export function targetStatusOf(
  s: Pick<SyncState, 'targets' | 'username' | 'password' | 'snapshots'>,
  target: SyncTargetName,
): SyncStatus {
  if (!s.targets?.[target]) return 'notConfigured';
  if (!syncCredentials(s)) return 'needsPassword';
  return s.snapshots[target]?.state ?? 'connecting';
}

/**
 * The desk's status in one word, from every target: online only when central is reached; when
 * only the hub is, the desk says so (colleagues in the office see its work, central does not yet).
 */
export function syncStatusOf(s: Pick<SyncState, 'targets' | 'username' | 'password' | 'snapshots'>): SyncStatus {
  if (!s.targets) return 'notConfigured';
  if (!syncCredentials(s)) return 'needsPassword';
  const central = targetStatusOf(s, 'central');
  const hub = s.targets.hub ? targetStatusOf(s, 'hub') : null;
  const all = hub ? [central, hub] : [central];
  if (all.includes('syncing')) return 'syncing';
  if (central === 'online') return 'online';
  if (hub === 'online') return 'hubOnly';
  if (all.includes('error')) return 'error';
  if (all.every((x) => x === 'connecting')) return 'connecting';
  if (all.every((x) => x === 'stopped')) return 'stopped';
  return 'offline';
}

/**
 * This desk's events not yet on central, and whether they are at least on the hub: from the two
 * servers' own counts (each asked with `_revs_diff`), never assumed.
 */
export function pendingSummary(s: Pick<SyncState, 'targets' | 'snapshots'>): {
  central: number | null;
  hub: number | null;
  safeOnHub: boolean;
} {
  const central = s.snapshots.central?.pendingLocal ?? null;
  const hub = s.targets?.hub ? (s.snapshots.hub?.pendingLocal ?? null) : null;
  return { central, hub, safeOnHub: central !== null && central > 0 && hub === 0 };
}
