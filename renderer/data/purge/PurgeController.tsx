import { useEffect } from 'react';
import { officeDbName } from '@shared/couch';
import { usePurgeStatus } from '../../state/purge';
import { useShallow } from 'zustand/react/shallow';
import { syncCredentials, useSyncStatus } from '../../state/sync';
import { useDesk } from '../DeskProvider';
import { PouchDB } from '../store/pouch';
import { DAY_MS, installPurgeGuard, runPurge } from './purge';

/**
 * Purges closed applications from this desk at desk open and daily, per the desk's setting. The
 * server must confirm every revision first, so nothing runs without a configured server; the guard
 * that keeps purged applications from being pulled back is installed as soon as the desk opens.
 */
export function PurgeController(): null {
  const desk = useDesk();
  // Central, never the office hub: "kept on the server" must mean the central server.
  const central = useSyncStatus((s) => s.targets?.central ?? null);
  const credentials = useSyncStatus(useShallow(syncCredentials));

  useEffect(() => {
    if (desk) installPurgeGuard(desk.office.db);
  }, [desk]);

  useEffect(() => {
    if (!desk || !central || !credentials) return;
    const remote = new PouchDB(`${central.replace(/\/+$/, '')}/${officeDbName(desk.config.office)}`, {
      adapter: 'http',
      auth: credentials,
      skip_setup: true,
    });
    let live = true;
    const run = async (): Promise<void> => {
      if (!live || usePurgeStatus.getState().running) return;
      usePurgeStatus.setState({ running: true });
      try {
        const report = await runPurge({
          db: desk.office.db,
          model: desk.model,
          remote,
          drop: (appIds) => desk.projector.drop(appIds),
        });
        if (live) usePurgeStatus.setState({ report });
      } catch (e) {
        console.error('purge', e);
      } finally {
        usePurgeStatus.setState({ running: false });
      }
    };
    void run();
    const daily = setInterval(() => void run(), DAY_MS);
    usePurgeStatus.setState({ runNow: run });
    return () => {
      live = false;
      clearInterval(daily);
      usePurgeStatus.setState({ runNow: null });
      void remote.close();
    };
  }, [desk, central, credentials]);

  return null;
}
