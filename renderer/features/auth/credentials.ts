import { create } from 'zustand';
import { useSession } from '../../state/session';
import { useSyncStatus } from '../../state/sync';

/**
 * The signed-in person's password, in memory only (never persisted): the sync and the silent
 * re-authentication use it; sign-out and a change of user drop it.
 */
interface CredentialsState {
  password: string | null;
  /** The server refused the password on a silent re-authentication (changed on the server). */
  refused: boolean;
}

export const useCredentials = create<CredentialsState>()(() => ({ password: null, refused: false }));

/** Hands the signed-in person's credentials to the sync: to the configured target, or the central. */
export function startSession(login: string, password: string): void {
  useCredentials.setState({ password, refused: false });
  const server = useSession.getState().server;
  const current = useSyncStatus.getState().config;
  const url = current?.url ?? server;
  if (url) useSyncStatus.getState().configure({ url, username: login }, password);
}

/** Forgets the password and stops the sync that used it. */
export function endSession(): void {
  useCredentials.setState({ password: null, refused: false });
  const sync = useSyncStatus.getState();
  sync.configure(sync.config, null);
}

export function signOut(): void {
  endSession();
  useSession.getState().signOut();
}

/**
 * Before the person leaves a shared desk, give the sync a moment to send what they recorded: once
 * they are signed out, the next person's credentials cannot push their events (the server checks
 * the author), so anything left is sent when they sign in here again.
 */
export async function flushSync(timeoutMs = 5000): Promise<void> {
  const sync = useSyncStatus.getState();
  const state = sync.snapshot?.state;
  if (!sync.password || !sync.syncNow || state === 'offline' || state === 'error' || state === 'stopped') return;
  const deadline = Date.now() + timeoutMs;
  const within = <T>(p: Promise<T>): Promise<T | undefined> =>
    Promise.race([p, new Promise<undefined>((r) => setTimeout(r, Math.max(0, deadline - Date.now())))]);
  // A fresh pass counts against the server what it lacks (the snapshot may predate the last write).
  await within(sync.syncNow());
  const pending = (): boolean => {
    const s = useSyncStatus.getState();
    return Boolean(s.password && s.snapshot && s.snapshot.state !== 'offline' && s.snapshot.pendingLocal !== 0);
  };
  if (!pending()) return;
  await within(
    new Promise<void>((resolve) => {
      const unsubscribe = useSyncStatus.subscribe(() => {
        if (!pending()) {
          unsubscribe();
          resolve();
        }
      });
    }),
  );
}
