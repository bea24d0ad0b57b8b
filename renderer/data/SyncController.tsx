import { useEffect } from 'react';
import { officeDbName } from '@shared/couch';
import { configuredTargets, syncCredentials, useSyncStatus } from '../state/sync';
import { useDesk } from './DeskProvider';
import type { PouchDB } from './pouch';
import { openRemote, startSync, type SyncHandle } from './sync';

/**
 * Replicates the open desk's office database with every configured server at once, central and
 * the office hub, live, for as long as the desk, the targets and the credentials exist. Whichever
 * is reachable gets the desk's events; the two never wait for each other.
 */
export function SyncController(): null {
  const desk = useDesk();
  const targets = useSyncStatus((s) => s.targets);
  const username = useSyncStatus((s) => s.username);
  const password = useSyncStatus((s) => s.password);

  useEffect(() => {
    const credentials = syncCredentials({ username, password });
    if (!desk || !credentials) return;
    // A stopped replication still reports 'stopped': not news once its replacement runs.
    let live = true;
    const running: { handle: SyncHandle; remote: PouchDB.Database }[] = configuredTargets(targets).map(
      ({ name, url }) => {
        // The line gzips bodies, watches for stalls and brings the sync back as soon as it returns.
        const { remote, line } = openRemote(`${url}/${officeDbName(desk.config.office)}`, credentials);
        const handle = startSync(desk.office.db, remote, {
          target: name,
          line,
          ownDevice: desk.deviceId,
          author: credentials.username,
          onChange: (snapshot) => {
            if (!live) return;
            useSyncStatus.setState((s) => ({ snapshots: { ...s.snapshots, [name]: snapshot } }));
            // A wiped desk numbers again once one pull from a server it reaches has run to the end.
            if (snapshot.state === 'online' && desk.numbers.held)
              desk.resyncFrom(remote).catch((e: unknown) => console.warn('resync', e));
          },
        });
        return { handle, remote };
      },
    );
    if (running.length === 0) return;
    useSyncStatus.setState({
      syncNow: async () => {
        await Promise.all(running.map((r) => r.handle.syncNow()));
      },
    });
    return () => {
      live = false;
      useSyncStatus.setState({ syncNow: null });
      for (const r of running) void r.handle.stop().then(() => r.remote.close());
    };
  }, [desk, targets, username, password]);

  return null;
}
