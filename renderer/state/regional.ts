import { create } from 'zustand';

/**
 * A supervisor signed in for regional reports. Such a computer has no office database: the
 * supervisor is no member of any (shared/couch officeSecurity), only of their offices' reports
 * databases, read online. Kept in memory only (the password with it): a reload signs them out.
 * The server's address is remembered on the computer.
 */
export interface RegionalUser {
  login: string;
  displayName: string;
  /** The offices whose reports they may read (`reports:<CODE>` roles). */
  offices: string[];
  server: string;
}

interface RegionalState {
  user: RegionalUser | null;
  password: string | null;
  signIn: (user: RegionalUser, password: string) => void;
  signOut: () => void;
}

export const REGIONAL_SERVER_KEY = 'kense.regional.server';

export const useRegional = create<RegionalState>()((set) => ({
  user: null,
  password: null,
  signIn: (user, password) => {
    localStorage.setItem(REGIONAL_SERVER_KEY, user.server);
    set({ user, password });
  },
  signOut: () => set({ user: null, password: null }),
}));
