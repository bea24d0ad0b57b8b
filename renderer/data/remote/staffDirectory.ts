import { officeDbName } from '@shared/couch';
import { parseStaffDirectoryEntry, staffDirectoryId, type StaffDirectoryEntry } from '@shared/staff';
import { DEFAULT_ADAPTER, PouchDB, type LocalAdapter } from '../store/pouch';

/**
 * The office's staff directory as this desk's replica holds it (shared/staff/directory.ts; written
 * on central by the Kense central service, replicated like every other document of the office
 * database). Read before the desk's data is unlocked (at sign-in): directory entries are never
 * sealed (sealedDb.ts seals events only).
 */
export async function localDirectoryEntry(
  office: string,
  login: string,
  adapter: LocalAdapter = DEFAULT_ADAPTER,
): Promise<StaffDirectoryEntry | null> {
  // Nowhere to look (no IndexedDB: not a browser): as if the entry had not arrived yet.
  if (typeof indexedDB === 'undefined') return null;
  // Not closed: PouchDB's IndexedDB adapters share one connection per database name, and closing
  // this handle would close the desk's own (found by tests/e2e/auth.spec.ts).
  const db = new PouchDB(officeDbName(office), { adapter, auto_compaction: false });
  try {
    return parseStaffDirectoryEntry(await db.get(staffDirectoryId(login)));
  } catch {
    return null;
  }
}
