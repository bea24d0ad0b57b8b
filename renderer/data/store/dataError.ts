import { takeAbortCause, pouchIdbName } from './durability';

/** A data-layer failure the UI can translate (`data:errors.<code>`). */
export class DataError extends Error {
  constructor(
    readonly code:
      | 'storage.openTimeout'
      | 'storage.quotaExceeded'
      | 'storage.failed'
      | 'device.conflict'
      /** The unlocked desk key does not open this replica (docs/threat-model.md §5). */
      | 'key.wrong'
      /** An attachment's bytes are not the ones its event records (a forged revision). */
      | 'attachment.mismatch',
    cause?: unknown,
  ) {
    super(code, { cause });
    this.name = 'DataError';
  }
}

function isQuotaError(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name;
  const raw = (e as { message?: unknown } | null)?.message;
  const message = typeof raw === 'string' ? raw : '';
  return name === 'QuotaExceededError' || /quota/i.test(message);
}

/**
 * Maps storage failures to translatable errors; everything else passes through. `dbName` is the
 * office database the failure came from: PouchDB reports an aborted IndexedDB transaction (a full
 * disk) as `unknown_error` without its cause, which the durability patch keeps for it.
 */
export function toDataError(e: unknown, dbName?: string): unknown {
  if (e instanceof DataError) return e;
  if (dbName !== undefined && (e as { name?: unknown } | null)?.name === 'unknown_error') {
    const cause = takeAbortCause(pouchIdbName(dbName));
    if (cause) return toDataError(cause);
  }
  if (isQuotaError(e)) return new DataError('storage.quotaExceeded', e);
  const name = (e as { name?: unknown } | null)?.name;
  if (name === 'InvalidStateError' || name === 'UnknownError') return new DataError('storage.failed', e);
  return e;
}
