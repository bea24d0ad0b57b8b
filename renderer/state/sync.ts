import { create } from 'zustand';

/** What the sync indicator shows; the data layer will drive it. Until a server is set up: notConfigured. */
export type SyncStatus = 'notConfigured' | 'offline' | 'syncing' | 'online' | 'error';

export interface SyncState {
  status: SyncStatus;
  lastSyncAt: number | null;
  pendingLocal: number | null;
}

export const useSyncStatus = create<SyncState>()(() => ({
  status: 'notConfigured',
  lastSyncAt: null,
  pendingLocal: null,
}));
