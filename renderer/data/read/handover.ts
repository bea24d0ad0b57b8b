import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

/**
 * Receipts to hand over (қолхат табыстауға / расписки к вручению): applications taken at the
 * applicant's home whose receipt was not printed there (no portable printer on this laptop). The
 * worker prints them later and hands them over; the list is this desk's, kept in its profile. It
 * holds registration numbers only, no personal data.
 */
export interface HandoverEntry {
  appId: string;
  regNumber: string;
  /** When the application was taken (epoch ms). */
  at: number;
}

export function addEntry(list: readonly HandoverEntry[], entry: HandoverEntry): HandoverEntry[] {
  return list.some((e) => e.appId === entry.appId) ? [...list] : [...list, entry].sort((a, b) => a.at - b.at);
}

export function removeEntry(list: readonly HandoverEntry[], appId: string): HandoverEntry[] {
  return list.filter((e) => e.appId !== appId);
}

/** On a home visit the receipt prints there if this desk has a printer set up, else it waits. */
export function receiptWaits(channel: string, printerConfigured: boolean): boolean {
  return channel === 'home_visit' && !printerConfigured;
}

export const HANDOVER_KEY = 'kense.handover';

export const useHandover = create<{
  entries: HandoverEntry[];
  add: (e: HandoverEntry) => void;
  handedOver: (appId: string) => void;
}>()(
  persist(
    (set) => ({
      entries: [],
      add: (e) => set((s) => ({ entries: addEntry(s.entries, e) })),
      handedOver: (appId) => set((s) => ({ entries: removeEntry(s.entries, appId) })),
    }),
    { name: HANDOVER_KEY, storage: createJSONStorage(() => localStorage), partialize: (s) => ({ entries: s.entries }) },
  ),
);
