import { useEffect } from 'react';
import { CATALOG_DB } from '@shared/couch';
import { configuredTargets, syncCredentials, useSyncStatus } from '../../state/sync';
import { useSession } from '../../state/session';
import { openCatalogDb, readCatalog, seedCatalogDb, startCatalogSync, type CatalogDb } from './catalog';
import { useCatalog } from './catalogStore';
import { PouchDB } from '../store/pouch';

/**
 * Opens the desk's catalogue (seeding it on a first run), keeps the store in step with every change
 * to it — pulled or published here — and pulls it from central once someone has signed in (central
 * admits staff only); a catalogue administrator's edits are pushed there. Not from the office hub:
 * a hub carries only the catalogue it was provisioned with (the bundled seed).
 */
export function CatalogController(): null {
  const db = useCatalog((s) => s.db);
  const targets = useSyncStatus((s) => s.targets);
  const username = useSyncStatus((s) => s.username);
  const password = useSyncStatus((s) => s.password);
  const isCatalogAdmin = useSession((s) => s.user?.roles.includes('catalog_admin') ?? false);

  useEffect(() => {
    let live = true;
    let opened: CatalogDb | null = null;
    let feed: PouchDB.Core.Changes<object> | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const reload = (d: CatalogDb): void => {
      if (timer) clearTimeout(timer);
      // A pull arrives in batches: one read after the batch, not one per document.
      timer = setTimeout(() => {
        readCatalog(d).then(
          (state) => live && useCatalog.setState({ state }),
          (e: unknown) => console.error('catalogue', e),
        );
      }, 150);
    };
    void (async () => {
      const d = openCatalogDb();
      opened = d;
      try {
        await seedCatalogDb(d);
        // Followed from the sequence read before the catalogue is: a change landing between the
        // read and the feed's start (a pull that began meanwhile) is not missed.
        const { update_seq: since } = await d.info();
        const state = await readCatalog(d);
        if (!live) return;
        feed = d.changes({ since, live: true }).on('change', () => reload(d));
        useCatalog.setState({ state, db: d });
      } catch (e) {
        // The desk keeps the bundled seed it started with.
        console.error('catalogue', e);
      }
    })();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
      feed?.cancel();
      useCatalog.setState({ db: null });
      void opened?.close();
    };
  }, []);

  useEffect(() => {
    const credentials = syncCredentials({ username, password });
    if (!db || !credentials) return;
    let live = true;
    const running = configuredTargets(targets)
      .filter((target) => target.name === 'central')
      .map(({ name, url }) => {
        const remote = new PouchDB(`${url}/${CATALOG_DB}`, { adapter: 'http', auth: credentials, skip_setup: true });
        const handle = startCatalogSync(db, remote, {
          target: name,
          push: isCatalogAdmin,
          onChange: (snapshot) => {
            if (live) useCatalog.setState((s) => ({ sync: { ...s.sync, [name]: snapshot } }));
          },
        });
        return { handle, remote };
      });
    return () => {
      live = false;
      for (const r of running) {
        r.handle.stop();
        void r.remote.close();
      }
    };
  }, [db, targets, username, password, isCatalogAdmin]);

  return null;
}
