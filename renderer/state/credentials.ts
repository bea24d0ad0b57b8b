import { create } from 'zustand';
import { useDeskKeys } from './deskKeys';
import { useSession } from './session';
import { useSyncStatus } from './sync';

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

/**
 * Hands the signed-in person's credentials to the sync: the servers already configured (central
 * and the office hub), or else the desk's central.
 */
export function startSession(login: string, password: string): void {
  useCredentials.setState({ password, refused: false });
  const sync = useSyncStatus.getState();
  const server = useSession.getState().server;
  if (!sync.targets && server) sync.setTargets({ central: server, hub: null });
  if (useSyncStatus.getState().targets) sync.setCredentials(login, password);
}

/** Forgets the password and stops the sync that used it. */
export function endSession(): void {
  useCredentials.setState({ password: null, refused: false });
  useSyncStatus.getState().clearCredentials();
}

/** Forgets the password and the desk's keys (the desk's data closes), then the person. */
export function signOut(): void {
  endSession();
  useDeskKeys.getState().forget();
  useSession.getState().signOut();
}

/** Whether some server still lacks events of this desk, from the last counts (null: not counted yet). */
function pendingAnywhere(): boolean {
  const s = useSyncStatus.getState();
  if (!s.password) return false;
  return Object.values(s.snapshots).some((snap) => snap.state !== 'offline' && snap.pendingLocal !== 0);
}

/**
 * Before the person leaves a shared desk, give the sync a moment to send what they recorded. Not
 * needed for safety (each person's events are pushed with their own credentials and checkpoint, so
 * what is left goes up when they next sign in here), but colleagues see the work sooner.
 */
export async function flushSync(timeoutMs = 5000): Promise<void> {
  const sync = useSyncStatus.getState();
  const reached = Object.values(sync.snapshots).some((s) => s.state === 'online' || s.state === 'syncing');
  if (!sync.password || !sync.syncNow || !reached) return;
  const deadline = Date.now() + timeoutMs;
  const within = <T>(p: Promise<T>): Promise<T | undefined> =>
    Promise.race([p, new Promise<undefined>((r) => setTimeout(r, Math.max(0, deadline - Date.now())))]);
  // A fresh pass counts against the server what it lacks (the snapshot may predate the last write).
  await within(sync.syncNow());
  if (!pendingAnywhere()) return;
  await within(
    new Promise<void>((resolve) => {
      const unsubscribe = useSyncStatus.subscribe(() => {
        if (!pendingAnywhere()) {
          unsubscribe();
          resolve();
        }
      });
    }),
  );
}
