import { createContext, useContext, useEffect, useMemo, useState, type JSX, type ReactNode } from 'react';
import { bundledCatalogue, CatalogueError, type Catalogue } from '@shared/catalogue';
import { useDeskKeys } from '../state/deskKeys';
import { useSession } from '../state/session';
import { Desk } from './desk';
import { DataError } from './officeDb';
import type { ProjectorProgress } from './projector';
import { PurgeController } from './PurgeController';
import { SyncController } from './SyncController';

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

let bundled: { catalogue: Catalogue | null; error: string | null } | null = null;

/** The bundled catalogue, validated once; a malformed file is reported by name, not swallowed. */
function loadCatalogueOnce(): { catalogue: Catalogue | null; error: string | null } {
  if (bundled) return bundled;
  try {
    bundled = { catalogue: bundledCatalogue(), error: null };
  } catch (e) {
    if (!(e instanceof CatalogueError)) throw e;
    bundled = { catalogue: null, error: e.message };
  }
  return bundled;
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
  const loaded = loadCatalogueOnce();
  const key = office && deskCode && loaded.catalogue ? `${office}/${deskCode}` : null;
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
    const catalogue = loaded.catalogue;
    if (!key || !office || !deskCode || !catalogue || !unlocked || !keys) return;
    let live = true;
    let desk: Desk | null = null;
    Desk.open({ office, desk: deskCode, keys }, catalogue, (progress) => {
      if (live) setOpened({ key, keys, status: { state: 'opening', progress } });
    }).then(
      (d) => {
        desk = d;
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
  }, [key, office, deskCode, loaded.catalogue, unlocked, keys]);

  const value = useMemo(
    () => ({ status, catalogue: loaded.catalogue, catalogueError: loaded.error }),
    [status, loaded.catalogue, loaded.error],
  );
  return (
    <DeskContext.Provider value={value}>
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
