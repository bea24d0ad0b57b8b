import { useEffect } from 'react';
import { officeDbName } from '@shared/couch';
import { configuredTargets, syncCredentials, useSyncStatus } from '../state/sync';
import { useDesk } from './DeskProvider';
import { PouchDB } from './pouch';
import { firstDownload, needsFirstDownload, type FirstDownloadProgress } from './firstDownload';
import { openRemote, startSync, type SyncHandle, type SyncSnapshot } from './sync';

/** What the sync indicator shows of a first download under way. */
function downloading(target: string, p: FirstDownloadProgress): SyncSnapshot {
  const left = Math.max(0, p.totalDocs - p.docs);
  return {
    target,
    state: 'syncing',
    lastSyncAt: null,
    pendingLocal: null,
    error: null,
    refused: [],
    pulled: p.docs,
    pushed: 0,
    download: {
      have: p.docs,
      total: p.totalDocs,
      apps: { have: p.apps, total: p.totalApps },
      openDone: p.openDone,
      etaMs: p.etaMs,
    },
    // The rate from the estimate (documents left over time left), as the live download shows it.
    progress: {
      direction: 'down',
      left,
      perMinute: p.etaMs && p.etaMs > 0 ? Math.round((left * 60_000) / p.etaMs) : null,
    },
  };
}

/**
 * Replicates the open desk's office database with every configured server at once, central and
 * the office hub, live, for as long as the desk, the targets and the credentials exist. Whichever
 * is reachable gets the desk's events; the two never wait for each other. A new desk first
 * downloads from central (firstDownload.ts), its progress in the indicator, then replicates live.
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
    const abort = new AbortController();
    // The first download's own remote: plain requests, no line (it runs once, before the live sync).
    const remoteOf = (url: string): PouchDB.Database =>
      new PouchDB(`${url}/${officeDbName(desk.config.office)}`, {
        adapter: 'http',
        auth: credentials,
        skip_setup: true,
      });
    const targetList = configuredTargets(targets);
    let running: { handle: SyncHandle; remote: PouchDB.Database }[] = [];
    const startAll = (): void => {
      running = targetList.map(({ name, url }) => {
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
      });
      if (running.length === 0) return;
      useSyncStatus.setState({
        syncNow: async () => {
          await Promise.all(running.map((r) => r.handle.syncNow()));
        },
      });
    };
    // A new desk downloads from the first server (central) before replicating live: open
    // applications first, the history after (firstDownload.ts). Should it fail (offline, an older
    // server without the desks' view), the live replication does the whole download, as before.
    const first = targetList[0];
    void (async () => {
      if (first && (await needsFirstDownload(desk.office.db).catch(() => false)) && live) {
        const remote = remoteOf(first.url);
        // Numbering waits for the numbers the server's events gave out (read first, in seconds):
        // should the download fail before, the live sync's first completed pull lifts the hold.
        desk.numbers.awaitServerNumbers();
        try {
          await firstDownload(desk.office, remote, {
            signal: abort.signal,
            onNumbers: async (given) => {
              await desk.coverNumbers(given);
              desk.numbers.serverNumbersKnown();
            },
            onProgress: (p) => {
              if (live)
                useSyncStatus.setState((s) => ({
                  snapshots: { ...s.snapshots, [first.name]: downloading(first.name, p) },
                }));
            },
          });
        } catch (e) {
          if (live) console.warn('first download; the live replication takes over', e);
        } finally {
          await remote.close().catch(() => undefined);
        }
      }
      if (live) startAll();
    })();
    return () => {
      live = false;
      abort.abort();
      useSyncStatus.setState({ syncNow: null });
      for (const r of running) void r.handle.stop().then(() => r.remote.close());
    };
  }, [desk, targets, username, password]);

  return null;
}
