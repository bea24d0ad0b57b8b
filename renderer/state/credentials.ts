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

/** The longest sign-out waits for the sync (the person sees it and may leave at once). */
export const SIGN_OUT_FLUSH_MS = 60_000;

/**
 * Before the person leaves a shared desk, send what they recorded to the servers the desk reaches,
 * so that colleagues see the work now. Not needed for safety (each person's events are pushed with
 * their own credentials and checkpoint, so what is left goes up when they next sign in here). Ends
 * when it is sent, when a server fails or goes, at `timeoutMs`, or when `signal` aborts ("sign out
 * now"); true only when everything went.
 */
export async function flushSync(opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<boolean> {
  const sync = useSyncStatus.getState();
  // Connecting counts: a server that is not there says so within a probe's time, which ends the wait.
  const reached = Object.values(sync.snapshots).some((s) => ['connecting', 'online', 'syncing'].includes(s.state));
  if (!sync.password || !sync.flush || !reached || opts.signal?.aborted) return false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort = (): void => undefined;
  const given = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), opts.timeoutMs ?? SIGN_OUT_FLUSH_MS);
    onAbort = () => resolve(false);
    opts.signal?.addEventListener('abort', onAbort);
  });
  try {
    return await Promise.race([sync.flush(), given]);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
