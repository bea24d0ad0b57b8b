import { create } from 'zustand';

/**
 * Who works at this desk. Sign-in and office setup come later; until then the top bar shows
 * these as not configured.
 */
export interface SessionState {
  office: string | null;
  desk: string | null;
  user: { login: string; displayName: string } | null;
}

export const useSession = create<SessionState>()(() => ({ office: null, desk: null, user: null }));
