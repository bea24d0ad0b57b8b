import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { emptyDraft, type ReceptionDraft } from './intake';

/**
 * Half-filled reception forms survive closing the window: one draft per staff login, so a colleague
 * who takes over a shared desk does not see (or register) someone else's draft.
 */
interface DraftState {
  drafts: Record<string, ReceptionDraft>;
  update: (login: string, change: (d: ReceptionDraft) => ReceptionDraft) => void;
  clear: (login: string) => void;
}

export const DRAFTS_KEY = 'kense.reception.drafts';

export const useDrafts = create<DraftState>()(
  persist(
    (set) => ({
      drafts: {},
      update: (login, change) =>
        set((s) => ({ drafts: { ...s.drafts, [login]: change(s.drafts[login] ?? emptyDraft()) } })),
      clear: (login) =>
        set((s) => {
          const { [login]: _gone, ...rest } = s.drafts;
          return { drafts: rest };
        }),
    }),
    {
      name: DRAFTS_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ drafts: s.drafts }),
      // A draft from an older shape is completed with empty fields rather than dropped.
      merge: (persisted, current) => {
        const raw = (persisted as { drafts?: unknown } | null)?.drafts;
        if (!raw || typeof raw !== 'object') return current;
        const drafts: Record<string, ReceptionDraft> = {};
        for (const [login, d] of Object.entries(raw as Record<string, Partial<ReceptionDraft>>)) {
          const base = emptyDraft();
          drafts[login] = {
            ...base,
            ...d,
            person: { ...base.person, ...d.person },
            entity: { ...base.entity, ...d.entity },
            representative: { ...base.representative, ...d.representative },
          };
        }
        return { ...current, drafts };
      },
    },
  ),
);
