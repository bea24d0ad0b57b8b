/**
 * The data layer's one facade: what features, components, the app shell and print templates may
 * use (as Medic CHT's features use cht-datasource). Behind it, Dexie (the read model), PouchDB (the
 * office replica), sealing and the servers' HTTP APIs; in front of it, queries and actions that take
 * the desk as their context. A lint rule (eslint.config.js) keeps the UI from importing anything
 * else from here, or Dexie, PouchDB and `fetch` directly.
 *
 * Behind the facade, by concern (none imports a feature):
 * - `store/`: the office replica (PouchDB over IndexedDB, `officeDb.ts`, the one writer of replicated
 *   documents; a first download's written on a worker, `replicaWriter.ts`) and the read model
 *   (Dexie, `readModel.ts`), durability, the desks of this computer.
 * - `seal/`: the desk keys, the envelope, sealing of the replica (`sealedDb.ts`) and of read-model
 *   rows with their blind index (`sealedRows.ts`, `blindIndex.ts`).
 * - `projection/`: events folded into read-model rows, in batches, in a worker (`projector.ts`,
 *   `projectionWorker.ts`).
 * - `sync/`: live replication with central and the hub (`sync.ts`, `syncLine.ts`), the first
 *   download, a field laptop's scope (`field.ts`), numbers held on a wiped desk, the controller.
 * - `purge/`: closed applications leaving a laptop.
 * - `read/`: the queries behind the facade (inbox, lists, reports, staff, integrity, audit chain).
 * - `catalog/`, `account/`, `remote/`: the catalogue, the person's account and desk key, and the
 *   servers' other HTTP APIs (regional reports, staff directory, sign-in checks).
 * - Here: the desk (`desk.ts`: appends, registration, attachments) and its provider.
 */

/*
 * Live queries: a feature passes a facade query to `useLiveQuery` and re-renders when the tables it
 * read change. Re-exported here so the UI never names Dexie: how a query is observed stays this
 * layer's choice, and only the facade's queries (which take the desk) can be observed.
 */
export { useLiveQuery } from 'dexie-react-hooks';

// The desk: its context provider, its status, and the actions it takes (append, register, attach).
export { DeskProvider, useDesk, useDeskStatus, type DeskStatus } from './DeskProvider';
export { AppendError, writeFailureKey, type Desk } from './desk';
export type { DeskKeys } from './seal/deskKeys';
export { useDeviceDesks } from './store/deviceDesks';
export { SKIP_MARGIN } from './sync/numberGuard';
export { localSealCheck } from './store/officeDb';

// Queries over the read model and the replica.
export * from './read/queries';
export { judgedNow, PAGE_SIZE, inboxRows, type InboxUser } from './read/inbox';
export {
  DEFAULT_APPLICATIONS_QUERY,
  DEFAULT_INBOX_QUERY,
  hasFilters,
  LIST_SORTS,
  type ListFilters,
  type ListQuery,
  type ListSort,
} from './read/lists';
export { isOpenStatus, type ApplicationRow, type JournalRow, type StaffRow } from './store/readModel';
export type { StoredEvent } from './projection/projector';
export { holderKey, holderOf, type HolderLoad, type NowFigures } from './read/reports';
export { executorStanding, matchExecutors, type ExecutorChoice, type ExecutorStanding } from './read/staff';
export { applicantDisplayName, applicantKey } from './projection/project';
export type { ScanProgress } from './read/integrity';
export { MAX_PURGE_DAYS, purgePolicySchema, type PurgeInfo, type PurgeReport } from './purge/purge';
export type { DownloadProgress, SyncSnapshot } from './sync/sync';

// Sealed fields and the blind index: opening what a row holds, turning typed words into search terms.
export {
  openJournalData,
  useApplicationPersonal,
  useBlindTokens,
  useSealKeys,
  useSearchTerms,
  type SearchTerm,
} from './seal/sealedRows';
export { MIN_PREFIX, queryWords } from './seal/blindIndex';
export { isSealedText, openJson, sealJson } from './seal/envelope';

// The office's catalogue, calendar and profile; the reception's handover list.
export { CatalogWriteError, catalogRevision, publishCatalogDoc, resolveCatalogConflict } from './catalog/catalog';
export { useCatalog } from './catalog/catalogStore';
export { useOfferedCatalogue, useOfficeProfile } from './catalog/offices';
export { receiptWaits, useHandover } from './read/handover';

// Regional reports (a supervisor's read of every office).
export { regionalReport, signInSupervisor, type RegionalResult, type RegionalSignInFailure } from './remote/regional';

// Accounts: signing in, the desk's key, passwords, the staff service.
export { checkWithServer, fullNameOf, type Online } from './remote/serverAuth';
export { localDirectoryEntry } from './remote/staffDirectory';
export { unlockDesk, type DeskKeyFailure, type DeskKeyWarning, type UnlockResult } from './account/deskUnlock';
export { changeOwnPassword, type ChangeFailure } from './account/changePassword';
export * from './account/localAccounts';
export * from './account/verifier';
export * from './account/staffApi';
export type { FieldState } from './sync/field';
export { useFieldStatus } from './sync/fieldStore';
