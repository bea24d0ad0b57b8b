import { create } from 'zustand';
import { buildCatalogState, seedCatalogState, type CatalogState } from '@shared/catalogue';
import type { CatalogDb, CatalogSyncSnapshot } from './catalog';

/**
 * What the desk's catalogue holds, for every screen: the services (every version), the calendar,
 * the office profiles, the documents refused by the schema and the conflicts, and how the pull
 * from each server goes. Until the local catalogue database has opened, the bundled seed.
 */
export interface CatalogStore {
  state: CatalogState;
  /** The bundled seed could not be read (a broken build): nothing can be used. */
  error: string | null;
  /** The local catalogue database, once open (the administration writes to it). */
  db: CatalogDb | null;
  sync: Record<string, CatalogSyncSnapshot>;
}

function initial(): Pick<CatalogStore, 'state' | 'error'> {
  try {
    return { state: seedCatalogState(), error: null };
  } catch (e) {
    return { state: buildCatalogState([]), error: e instanceof Error ? e.message : String(e) };
  }
}

export const useCatalog = create<CatalogStore>(() => ({ ...initial(), db: null, sync: {} }));
