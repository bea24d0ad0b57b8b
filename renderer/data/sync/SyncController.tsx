import { useEffect } from 'react';
import { officeDbName } from '@shared/couch';
import { widening } from '@shared/couch';
import { useFieldMode } from '../../state/fieldMode';
import { useSession } from '../../state/session';
import { configuredTargets, syncCredentials, useSyncStatus } from '../../state/sync';
import { useDesk } from '../DeskProvider';
import { fieldPull, readField, refreshFieldScope, widenFieldScope, type FieldState, type FieldUser } from './field';
import { useFieldStatus } from './fieldStore';
import { type PouchDB } from '../store/pouch';
import {
  FIRST_DOWNLOAD_LINE,
  firstDownload,
  forgetHandOver,
  needsFirstDownload,
  pullSinceAfterDownload,
  pushSinceAfterDownload,
  type FirstDownloadProgress,
  type PullSince,
} from './firstDownload';
import { openRemote, startSync, type SyncHandle, type SyncOptions, type SyncSnapshot } from './sync';

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
      // Applications are counted once the whole plan is known (the view read to its end); documents before.
      ...(p.totalApps !== null ? { apps: { have: p.apps, total: p.totalApps } } : {}),
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
  const login = useSession((s) => s.user?.login ?? null);
  const role = useSession((s) => s.user?.role ?? null);
  const fieldOn = useFieldMode((s) => s.settings.on);
  const recentDays = useFieldMode((s) => s.settings.recentDays);

  useEffect(() => {
    const credentials = syncCredentials({ username, password });
    if (!desk || !credentials) return;
    const user: FieldUser | null = login && role ? { login, role } : null;
    // A field laptop's scope (field.ts): set before the live sync starts, widened as it pulls.
    let field: FieldState | null = null;
    // A stopped replication still reports 'stopped': not news once its replacement runs.
    let live = true;
    const abort = new AbortController();
    // The first download's own remote (it runs once, before the live sync), with a line of its own.
    const remoteOf = (url: string): { remote: PouchDB.Database; close: () => Promise<void> } => {
      const { remote, line } = openRemote(
        `${url}/${officeDbName(desk.config.office)}`,
        credentials,
        FIRST_DOWNLOAD_LINE,
      );
      return {
        remote,
        close: async () => {
          line.close();
          await remote.close().catch(() => undefined);
        },
      };
    };
    const targetList = configuredTargets(targets);
    // Central: a new desk's first download, and a field laptop's scope, come from it.
    const first = targetList[0];
    /** Runs `work` against central with a remote of its own; a failure is said, and left to the live sync. */
    const withCentral = async (why: string, work: (remote: PouchDB.Database) => Promise<void>): Promise<void> => {
      if (!first) return;
      const { remote, close } = remoteOf(first.url);
      try {
        await work(remote);
      } catch (e) {
        if (live) console.warn(why, e);
      } finally {
        await close();
      }
    };
    let running: { handle: SyncHandle; remote: PouchDB.Database }[] = [];
    // Widenings one after another; each restarts the sync with the wider selector.
    let widen: Promise<void> = Promise.resolve();
    const fieldOptions = (url: string): Pick<SyncOptions, 'pull' | 'onPulled'> => {
      const state = field;
      if (!state || !user) return {};
      const scope = new Set(state.login === user.login ? state.scope : []);
      return {
        // The update sequence is central's (the scope was decided there): another server's pull
        // (the hub's sequences are its own) starts from its own checkpoint, filtered the same way.
        pull: fieldPull({ ...state, scope: [...scope], since: url === first?.url ? state.since : null }, user),
        onPulled: (docs) => {
          const added = widening(scope, docs);
          if (added.length === 0) return;
          for (const id of added) scope.add(id);
          widen = widen.then(async () => {
            if (!live) return;
            let widened = false;
            // Central's desks' view (a hub has none) gives the application's earlier events.
            await withCentral('field scope: not widened now; the next start decides it again', async (remote) => {
              field = await widenFieldScope(desk.office, remote, added);
              useFieldStatus.setState({ state: field });
              widened = true;
            });
            if (!widened || !live) return;
            await Promise.all(running.map((r) => r.handle.stop().then(() => r.remote.close())));
            if (live) startAll();
          });
        },
      };
    };
    // After a first download the push starts past what it wrote (its first pass would open every
    // downloaded document), and the pull from the server it came from past that server's sequence
    // before it (its first pass would ask about every downloaded document); forgotten once a sync
    // has been online, with checkpoints of its own.
    let pushSince: string | number | undefined;
    let pullSince: PullSince | undefined;
    const startAll = (): void => {
      running = targetList.map(({ name, url }) => {
        // The line gzips bodies, watches for stalls and brings the sync back as soon as it returns.
        const { remote, line } = openRemote(`${url}/${officeDbName(desk.config.office)}`, credentials);
        const fieldOpts = fieldOptions(url);
        const handedOver = !fieldOpts.pull && pullSince?.server === remote.name ? pullSince.since : undefined;
        const handle = startSync(desk.office.db, remote, {
          target: name,
          line,
          ownDevice: desk.deviceId,
          author: credentials.username,
          ...fieldOpts,
          ...(handedOver !== undefined ? { pull: { since: handedOver } } : {}),
          ...(pushSince !== undefined ? { push: { since: pushSince } } : {}),
          onChange: (snapshot) => {
            if (!live) return;
            if (snapshot.state === 'online' && (pushSince !== undefined || pullSince !== undefined)) {
              pushSince = undefined;
              pullSince = undefined;
              forgetHandOver(desk.office.db).catch((e: unknown) => console.warn('first download mark', e));
            }
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
        flush: async () => (await Promise.all(running.map((r) => r.handle.flush()))).every(Boolean),
      });
    };
    // A new desk downloads from central before replicating live, or from the office hub when
    // central cannot be read (a rural office's uplink is down; the hub has the desks' view too):
    // open applications first, the history after (firstDownload.ts). Should both fail (offline, an
    // older server without the view), the live replication does the whole download, as before.
    let downloadingFrom = first;
    const showDownload = (p: FirstDownloadProgress): void => {
      const target = downloadingFrom;
      if (live && target)
        useSyncStatus.setState((s) => ({
          snapshots: { ...s.snapshots, [target.name]: downloading(target.name, p) },
        }));
    };
    const coverNumbers = async (given: readonly string[]): Promise<void> => {
      await desk.coverNumbers(given);
      desk.numbers.serverNumbersKnown();
    };
    void (async () => {
      if (fieldOn && user) {
        // A field laptop decides what it holds (its first download, the first time) from central.
        field = await readField(desk.office.db);
        if (first && live) {
          // A wiped field laptop numbers after what the server's events gave out, as any desk.
          if (await needsFirstDownload(desk.office.db).catch(() => false)) desk.numbers.awaitServerNumbers();
          await withCentral('field scope: the last one is kept (offline or an older server)', async (remote) => {
            field = await refreshFieldScope(
              desk.office,
              remote,
              user,
              { recentDays },
              { signal: abort.signal, onProgress: showDownload, onNumbers: coverNumbers },
            );
          });
        }
        if (live) useFieldStatus.setState({ state: field });
      } else if (first && (await needsFirstDownload(desk.office.db).catch(() => false)) && live) {
        // Numbering waits for the numbers the server's events gave out (the view read to its end):
        // should the download fail before, the live sync's first completed pull lifts the hold.
        desk.numbers.awaitServerNumbers();
        // Resumable (firstDownload asks the replica what it lacks): a download cut from central
        // goes on from the hub, and the other way round at the next start.
        for (const target of targetList) {
          if (!live) break;
          downloadingFrom = target;
          const { remote, close } = remoteOf(target.url);
          try {
            await firstDownload(desk.office, remote, {
              signal: abort.signal,
              onNumbers: coverNumbers,
              onProgress: showDownload,
            });
            break;
          } catch (e) {
            if (live)
              console.warn(`first download from ${target.name}; trying the next server or the live replication`, e);
          } finally {
            await close();
          }
        }
      }
      pushSince = await pushSinceAfterDownload(desk.office.db).catch(() => undefined);
      pullSince = await pullSinceAfterDownload(desk.office.db).catch(() => undefined);
      if (live) startAll();
    })();
    return () => {
      live = false;
      abort.abort();
      useSyncStatus.setState({ syncNow: null, flush: null });
      for (const r of running) void r.handle.stop().then(() => r.remote.close());
    };
  }, [desk, targets, username, password, login, role, fieldOn, recentDays]);

  return null;
}
