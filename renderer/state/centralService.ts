import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { defaultCentralServiceUrl } from '@shared/staff';
import { useSession } from './session';
import { parseServerUrl, useSyncStatus } from './sync';

/**
 * Where this desk finds the Kense central service (staff administration: server/central). Set in
 * Settings → Sync servers; left empty, it is derived from central's address
 * (defaultCentralServiceUrl: port 5986 beside CouchDB, or /_kense behind a reverse proxy).
 */
interface CentralServiceState {
  /** Set by hand, or null for the default. */
  url: string | null;
  setUrl: (url: string | null) => void;
}

export const CENTRAL_SERVICE_KEY = 'kense.centralService';

export const useCentralServiceSetting = create<CentralServiceState>()(
  persist(
    (set) => ({
      url: null,
      setUrl: (url) => set({ url }),
    }),
    {
      name: CENTRAL_SERVICE_KEY,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ url: s.url }),
      merge: (persisted, current) => {
        const url = (persisted as { url?: unknown } | null)?.url;
        return { ...current, url: typeof url === 'string' ? parseServerUrl(url) : null };
      },
    },
  ),
);

/** Central's address as this desk knows it: the sync target, else the server it signs in against. */
export function useCentralUrl(): string | null {
  const target = useSyncStatus((s) => s.targets?.central ?? null);
  const server = useSession((s) => s.server);
  return target ?? server;
}

/** The service's address in force: the one set by hand, else the default beside central. */
export function useCentralServiceUrl(): string | null {
  const set = useCentralServiceSetting((s) => s.url);
  const central = useCentralUrl();
  return set ?? (central ? defaultCentralServiceUrl(central) : null);
}
