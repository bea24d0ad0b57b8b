import { useEffect } from 'react';
import { officeDbName } from '@shared/couch';
import { useSyncStatus } from '../state/sync';
import { useDesk } from './DeskProvider';
import { PouchDB } from './pouch';
import { startSync } from './sync';

/** Replicates the open desk's office database with the configured server, live, for as long as both exist. */
export function SyncController(): null {
  const desk = useDesk();
  const config = useSyncStatus((s) => s.config);
  const password = useSyncStatus((s) => s.password);

  useEffect(() => {
    if (!desk || !config || !password) return;
    const remote = new PouchDB(`${config.url.replace(/\/+$/, '')}/${officeDbName(desk.config.office)}`, {
      adapter: 'http',
      auth: { username: config.username, password },
      skip_setup: true,
    });
    const handle = startSync(desk.office.db, remote, {
      target: 'central',
      onChange: (snapshot) => useSyncStatus.setState({ snapshot }),
    });
    useSyncStatus.setState({ syncNow: () => handle.syncNow() });
    return () => {
      useSyncStatus.setState({ syncNow: null });
      void handle.stop().then(() => remote.close());
    };
  }, [desk, config, password]);

  return null;
}
