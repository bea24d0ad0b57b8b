import { useEffect } from 'react';
import { identityFor } from '@shared/auth';
import { useSession } from '../../state/session';
import { checkWithServer, knownUser, makeVerifier, rememberUser } from '../../data';
import { endSession, signOut, startSession, useCredentials } from '../../state/credentials';

const RETRY_MS = 20_000;

/**
 * Someone who signed in offline keeps working; once the server answers again, their in-memory
 * password re-authenticates them silently and the server's roles replace the local snapshot.
 * A server that refuses the password (changed there) stops the sync but never locks them out
 * of the desk; a role or office taken away on the server signs them out.
 */
export function SessionKeeper(): null {
  const user = useSession((s) => s.user);
  const office = useSession((s) => s.office);
  const server = useSession((s) => s.server);
  const password = useCredentials((s) => s.password);

  useEffect(() => {
    if (!user || user.mode !== 'offline' || !office || !server || !password) return;
    let live = true;
    let busy = false;
    const attempt = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      try {
        const r = await checkWithServer(server, user.login, password);
        if (!live) return;
        if (r.kind === 'refused') {
          endSession();
          useCredentials.setState({ refused: true });
          return;
        }
        if (r.kind !== 'accepted') return;
        const who = identityFor({ name: r.name ?? user.login, roles: r.roles }, office);
        if (!who.ok || !who.identity.roles.includes(user.role)) {
          signOut();
          return;
        }
        const known = knownUser(office, user.login);
        rememberUser({
          login: user.login,
          office,
          fullName: known?.fullName ?? user.displayName,
          roles: who.identity.roles,
          // The verifier that just let them in stays: their copy of the desk secret is sealed under it.
          verifier: known?.verifier ?? (await makeVerifier(password)),
          confirmedAt: new Date().toISOString(),
        });
        if (!live) return;
        useSession.getState().refreshUser({ ...user, roles: who.identity.roles, mode: 'online' });
        startSession(user.login, password);
      } finally {
        busy = false;
      }
    };
    void attempt();
    const timer = setInterval(() => void attempt(), RETRY_MS);
    const onOnline = (): void => void attempt();
    window.addEventListener('online', onOnline);
    return () => {
      live = false;
      clearInterval(timer);
      window.removeEventListener('online', onOnline);
    };
  }, [user, office, server, password]);

  return null;
}
