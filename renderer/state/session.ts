import { create } from 'zustand';
import { persist, type PersistStorage, type StorageValue } from 'zustand/middleware';
import { z } from 'zod';
import { CODE_PATTERN, staffRoleSchema, type StaffRole } from '@shared/events';

/**
 * Who works at this desk and where. The desk's own set-up (office and desk codes, the central
 * server's address) is kept on the computer; the person is whoever signed in (features/auth):
 * kept for this window only (sessionStorage: a reload keeps them, a restart asks again), never
 * with a password.
 */
export interface DeskUser {
  login: string;
  displayName: string;
  /** The staff role this person acts in now (chosen at sign-in when they hold several). */
  role: StaffRole;
  /** Every staff role they hold in this office. */
  roles: StaffRole[];
  /** Checked by the server at sign-in, or by the local verifier while the server was unreachable. */
  mode: 'online' | 'offline';
}

export interface SessionState {
  office: string | null;
  desk: string | null;
  /** The central server this desk signs in against (and syncs with by default). */
  server: string | null;
  user: DeskUser | null;
  /** Sets the desk up; a change of office or desk signs the current person out. */
  configureDesk: (office: string, desk: string, server: string | null) => void;
  signIn: (user: DeskUser) => void;
  /** After a silent re-authentication: the server's answer replaces the offline snapshot. */
  refreshUser: (user: DeskUser) => void;
  signOut: () => void;
}

export const SESSION_KEY = 'kense.session';
export const SIGNED_IN_KEY = 'kense.signedIn';

const deskSchema = z.object({
  office: z.string().regex(CODE_PATTERN),
  desk: z.string().regex(CODE_PATTERN),
  server: z.string().url().nullable().catch(null),
});
const userSchema = z.object({
  login: z.string().min(1),
  displayName: z.string(),
  role: staffRoleSchema,
  roles: z.array(staffRoleSchema).min(1),
  mode: z.enum(['online', 'offline']),
});

type Persisted = Pick<SessionState, 'office' | 'desk' | 'server' | 'user'>;

/** The desk's set-up in localStorage, the signed-in person in sessionStorage. */
const storage: PersistStorage<Persisted> = {
  getItem: () => {
    const read = (s: Storage, key: string): unknown => {
      try {
        return JSON.parse(s.getItem(key) ?? 'null') as unknown;
      } catch {
        return null;
      }
    };
    const desk = deskSchema.safeParse((read(localStorage, SESSION_KEY) as { state?: unknown } | null)?.state);
    const user = userSchema.safeParse(read(sessionStorage, SIGNED_IN_KEY));
    const state: Persisted = desk.success
      ? { ...desk.data, user: user.success ? user.data : null }
      : { office: null, desk: null, server: null, user: null };
    return { state, version: 2 };
  },
  setItem: (_name, value: StorageValue<Persisted>) => {
    const { office, desk, server, user } = value.state;
    localStorage.setItem(SESSION_KEY, JSON.stringify({ state: { office, desk, server }, version: 2 }));
    if (user) sessionStorage.setItem(SIGNED_IN_KEY, JSON.stringify(user));
    else sessionStorage.removeItem(SIGNED_IN_KEY);
  },
  removeItem: () => {
    localStorage.removeItem(SESSION_KEY);
    sessionStorage.removeItem(SIGNED_IN_KEY);
  },
};

export const useSession = create<SessionState>()(
  persist(
    (set, get) => ({
      office: null,
      desk: null,
      server: null,
      user: null,
      configureDesk: (office, desk, server) => {
        const changed = office !== get().office || desk !== get().desk;
        set({ office, desk, server, ...(changed ? { user: null } : {}) });
      },
      signIn: (user) => set({ user }),
      refreshUser: (user) => set((s) => (s.user && s.user.login === user.login ? { user } : {})),
      signOut: () => set({ user: null }),
    }),
    {
      name: SESSION_KEY,
      version: 2,
      storage,
      partialize: (s) => ({ office: s.office, desk: s.desk, server: s.server, user: s.user }),
      // A corrupted entry means "not set up", never a broken start.
      merge: (persisted, current) => ({ ...current, ...(persisted as Persisted) }),
    },
  ),
);

/**
 * Where each role works, and lands after signing in: the clerk at reception, the head, executors and
 * the commission in their inbox, an office admin among the staff, a catalogue admin in the
 * catalogue, a supervisor in the reports.
 */
export function homePath(role: StaffRole | null | undefined): string {
  switch (role) {
    case 'head':
    case 'executor':
    case 'commission':
      return '/inbox';
    case 'office_admin':
      return '/admin';
    case 'catalog_admin':
      return '/catalogue';
    case 'supervisor':
      return '/reports';
    default:
      return '/reception';
  }
}
