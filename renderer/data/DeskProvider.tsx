import { createContext, useContext, useEffect, useMemo, useState, type JSX, type ReactNode } from 'react';
import type { Catalogue } from '@shared/catalogue';
import { useDeskKeys } from '../state/deskKeys';
import { useSession } from '../state/session';
import { Desk } from './desk';
import { DataError } from './store/officeDb';
import type { ProjectorProgress } from './projection/projector';
import { CatalogController } from './catalog/CatalogController';
import { useCatalog } from './catalog/catalogStore';
import { PurgeController } from './purge/PurgeController';
import { SyncController } from './sync/SyncController';

export type DeskStatus =
  | { state: 'notConfigured' }
  /** Set up, but nobody signed in on this page: the keys that open the desk's data are not here. */
  | { state: 'locked' }
  | { state: 'opening'; progress: ProjectorProgress | null }
  | { state: 'ready'; desk: Desk }
  | { state: 'error'; code: string; detail: string | null };

interface DeskContextValue {
  status: DeskStatus;
  catalogue: Catalogue | null;
  catalogueError: string | null;
}

const DeskContext = createContext<DeskContextValue>({
  status: { state: 'notConfigured' },
  catalogue: null,
  catalogueError: null,
});

/** The desk's catalogue (data/catalogStore.ts): the bundled seed until the local copy opens, then what it holds. */
function useDeskCatalogue(): { catalogue: Catalogue | null; error: string | null } {
  const state = useCatalog((s) => s.state);
  const error = useCatalog((s) => s.error);
  return useMemo(() => ({ catalogue: error ? null : state.catalogue, error }), [state, error]);
}

const NOT_CONFIGURED: DeskStatus = { state: 'notConfigured' };
const LOCKED: DeskStatus = { state: 'locked' };
const OPENING: DeskStatus = { state: 'opening', progress: null };

/**
 * Opens this desk's office database and read model once the desk is set up and someone signed in
 * (their sign-in unlocked the desk's keys: the replica is sealed with them); closes it on sign-out,
 * a change of person or of desk. After a reload the keys are gone: the desk stays locked until the
 * next sign-in.
 */
export function DeskProvider({ children }: { children: ReactNode }): JSX.Element {
  const office = useSession((s) => s.office);
  const deskCode = useSession((s) => s.desk);
  const user = useSession((s) => s.user);
  const keys = useDeskKeys((s) => s.keys);
  const loaded = useDeskCatalogue();
  const calendar = useCatalog((s) => s.state.calendar);
  const hasCatalogue = loaded.catalogue !== null;
  const key = office && deskCode && hasCatalogue ? `${office}/${deskCode}` : null;
  const unlocked = key !== null && user !== null && keys !== null;
  const [opened, setOpened] = useState<{ key: string; keys: unknown; status: DeskStatus } | null>(null);
  const status =
    key === null
      ? NOT_CONFIGURED
      : !unlocked
        ? LOCKED
        : opened?.key === key && opened.keys === keys
          ? opened.status
          : OPENING;

  // Whoever clears the person (sign-out, a change of desk) also drops the keys.
  useEffect(() => {
    if (!user) useDeskKeys.getState().forget();
  }, [user]);

  useEffect(() => {
    // The desk opens with the catalogue of the moment and follows later ones without reopening.
    const opening = useCatalog.getState();
    const catalogue = opening.error ? null : opening.state.catalogue;
    if (!key || !office || !deskCode || !catalogue || !unlocked || !keys) return;
    let live = true;
    let desk: Desk | null = null;
    Desk.open({ office, desk: deskCode, keys, calendar: opening.state.calendar }, catalogue, (progress) => {
      if (live) setOpened({ key, keys, status: { state: 'opening', progress } });
    }).then(
      (d) => {
        desk = d;
        // What arrived while it was opening.
        const now = useCatalog.getState();
        if (!now.error) d.setCatalog(now.state.catalogue, now.state.calendar);
        if (live) setOpened({ key, keys, status: { state: 'ready', desk: d } });
        else void d.close();
      },
      (e: unknown) => {
        if (!live) return;
        const code = e instanceof DataError ? `data:errors.${e.code}` : 'data:errors.storage.failed';
        setOpened({ key, keys, status: { state: 'error', code, detail: e instanceof Error ? e.message : null } });
      },
    );
    return () => {
      live = false;
      if (desk) void desk.close();
    };
  }, [key, office, deskCode, unlocked, keys]);

  const readyDesk = status.state === 'ready' ? status.desk : null;
  useEffect(() => {
    if (readyDesk && loaded.catalogue) readyDesk.setCatalog(loaded.catalogue, calendar);
  }, [readyDesk, loaded.catalogue, calendar]);

  const value = useMemo(
    () => ({ status, catalogue: loaded.catalogue, catalogueError: loaded.error }),
    [status, loaded.catalogue, loaded.error],
  );
  return (
    <DeskContext.Provider value={value}>
      <CatalogController />
      <PurgeController />
      <SyncController />
      {children}
    </DeskContext.Provider>
  );
}

export function useDeskStatus(): DeskContextValue {
  return useContext(DeskContext);
}

/** The open desk, or null while it is not set up or still opening. */
export function useDesk(): Desk | null {
  const { status } = useContext(DeskContext);
  return status.state === 'ready' ? status.desk : null;
}
