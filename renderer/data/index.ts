/**
 * The data layer's one facade: what features, components, the app shell and print templates may
 * use (as Medic CHT's features use cht-datasource). Behind it, Dexie (the read model), PouchDB (the
 * office replica), sealing and the servers' HTTP APIs; in front of it, queries and actions that take
 * the desk as their context. A lint rule (eslint.config.js) keeps the UI from importing anything
 * else from here, or Dexie, PouchDB and `fetch` directly.
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
export type { DeskKeys } from './deskKeys';
export { useDeviceDesks } from './deviceDesks';
export { SKIP_MARGIN } from './numberGuard';
export { localSealCheck } from './officeDb';

// Queries over the read model and the replica.
export * from './queries';
export { judgedNow, PAGE_SIZE, inboxRows, type InboxUser } from './inbox';
export {
  DEFAULT_APPLICATIONS_QUERY,
  DEFAULT_INBOX_QUERY,
  hasFilters,
  LIST_SORTS,
  type ListFilters,
  type ListQuery,
  type ListSort,
} from './lists';
export { isOpenStatus, type ApplicationRow, type JournalRow, type StaffRow } from './readModel';
export type { StoredEvent } from './projector';
export { holderKey, holderOf, type HolderLoad, type NowFigures } from './reports';
export { executorStanding, matchExecutors, type ExecutorChoice, type ExecutorStanding } from './staff';
export { applicantDisplayName, applicantKey } from './project';
export type { ScanProgress } from './integrity';
export { MAX_PURGE_DAYS, purgePolicySchema, type PurgeInfo, type PurgeReport } from './purge';
export type { DownloadProgress, SyncSnapshot } from './sync';

// Sealed fields and the blind index: opening what a row holds, turning typed words into search terms.
export {
  openJournalData,
  useApplicationPersonal,
  useBlindTokens,
  useSealKeys,
  useSearchTerms,
  type SearchTerm,
} from './sealedRows';
export { MIN_PREFIX, queryWords } from './blindIndex';
export { isSealedText, openJson, sealJson } from './envelope';

// The office's catalogue, calendar and profile; the reception's handover list.
export { CatalogWriteError, catalogRevision, publishCatalogDoc, resolveCatalogConflict } from './catalog';
export { useCatalog } from './catalogStore';
export { useOfferedCatalogue, useOfficeProfile } from './offices';
export { receiptWaits, useHandover } from './handover';

// Regional reports (a supervisor's read of every office).
export { regionalReport, signInSupervisor, type RegionalResult, type RegionalSignInFailure } from './regional';

// Accounts: signing in, the desk's key, passwords, the staff service.
export { checkWithServer, fullNameOf, type Online } from './serverAuth';
export { localDirectoryEntry } from './staffDirectory';
export { unlockDesk, type DeskKeyFailure, type DeskKeyWarning, type UnlockResult } from './account/deskUnlock';
export { changeOwnPassword, type ChangeFailure } from './account/changePassword';
export * from './account/localAccounts';
export * from './account/verifier';
export * from './account/staffApi';
