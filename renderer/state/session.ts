import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { z } from 'zod';
import { CODE_PATTERN, staffRoleSchema, type StaffRole } from '@shared/events';

/**
 * Who works at this desk and where. Until sign-in against the server arrives (staff accounts),
 * the desk is set up here by hand: office and desk codes, and the person at the desk.
 */
export interface DeskUser {
  login: string;
  displayName: string;
  role: StaffRole;
}

export interface SessionState {
  office: string | null;
  desk: string | null;
  user: DeskUser | null;
  configure: (office: string, desk: string, user: DeskUser) => void;
}

export const SESSION_KEY = 'kense.session';

const persistedSchema = z.object({
  office: z.string().regex(CODE_PATTERN),
  desk: z.string().regex(CODE_PATTERN),
  user: z.object({ login: z.string().min(1), displayName: z.string(), role: staffRoleSchema }),
});

export const useSession = create<SessionState>()(
  persist(
    (set) => ({
      office: null,
      desk: null,
      user: null,
      configure: (office, desk, user) => set({ office, desk, user }),
    }),
    {
      name: SESSION_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ office: s.office, desk: s.desk, user: s.user }),
      // A corrupted entry means "not set up", never a broken start.
      merge: (persisted, current) => {
        const p = persistedSchema.safeParse(persisted);
        return p.success ? { ...current, ...p.data } : current;
      },
    },
  ),
);
