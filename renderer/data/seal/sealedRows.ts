import type { ReportFact } from '@shared/reports';
import { useEffect, useState } from 'react';
import { numberSearchKeys } from '@shared/text/searchFold';
import { useDeskKeys } from '../../state/deskKeys';
import { blindIndex, needsCheck, searchWordsOf } from './blindIndex';
import type { DeskKeys } from './deskKeys';
import { openJson, openJsonBytes, sealJsonBytes } from './envelope';
import {
  journalKey,
  type ApplicantPersonal,
  type ApplicantRow,
  type ApplicationPersonal,
  type ApplicationRow,
  type JournalRow,
  type ReadModel,
  type SearchRow,
} from '../store/readModel';

/**
 * The read model's rows as the projector computes them (clear) and as they are stored (sealed):
 * personal fields go into one sealed blob per row (one WebCrypto call, not one per field; kept as
 * the envelope's bytes), bound to the row by its context, and the IIN/BIN and the name words become
 * blind-index tokens. Registration and outgoing numbers are clear and found by `numberKeys`.
 */

type StoredOnly = 'applicantKey' | 'personal';

export interface ClearApplication extends Omit<ApplicationRow, StoredOnly>, ApplicationPersonal {
  /** The texts whose words are searchable: number, applicant, IIN/BIN, representative, letters. */
  searchText: (string | null | undefined)[];
}

export interface ClearApplicant extends Omit<ApplicantRow, 'key' | 'personal'>, ApplicantPersonal {
  searchText: (string | null | undefined)[];
}

export interface ClearJournal extends Omit<JournalRow, 'id' | 'data' | 'numberKeys'> {
  /** The id of the event the entry records (the row is keyed by its `journalKey`). */
  id: string;
  data: Record<string, unknown>;
}

/** What one application's events project to, in clear. `application: null` removes the row. */
export interface ClearProjection {
  application: ClearApplication | null;
  applicant: ClearApplicant | null;
  journal: ClearJournal[];
  /** What the reports count (shared/reports): nothing personal, so it is stored as it is. */
  report?: ReportFact | null;
}

export interface SealedProjection {
  application: ApplicationRow | null;
  /** The application's search tokens, sorted (none without an application). */
  search: string[] | null;
  applicant: ApplicantRow | null;
  journal: JournalRow[];
  report?: ReportFact | null;
}

// The context binds a blob to its row: copied onto another row it does not open.
const appContext = (appId: string): string => `read:app:${appId}`;
const applicantContext = (key: string): string => `read:applicant:${key}`;
const journalContext = (id: string): string => `read:journal:${id}`;

export async function sealProjection(keys: DeskKeys, p: ClearProjection): Promise<SealedProjection> {
  const index = blindIndex(keys.index);
  const sealApplication = async (a: ClearApplication): Promise<{ row: ApplicationRow; search: string[] }> => {
    const { applicantName, applicantId, searchText, ...clear } = a;
    const names = searchText.filter((t) => t && t !== applicantId);
    const words = searchWordsOf(...names);
    const [personal, search, applicantKey] = await Promise.all([
      sealJsonBytes(
        keys.data,
        { applicantName, applicantId, words } satisfies ApplicationPersonal,
        appContext(a.appId),
      ),
      index.words(...names, applicantId),
      applicantId ? index.id(applicantId) : Promise.resolve(null),
    ]);
    return { row: { ...clear, applicantKey, personal }, search };
  };
  const sealApplicant = async (a: ClearApplicant): Promise<ApplicantRow> => {
    const { id, name, details, searchText: _notIndexed, ...clear } = a;
    const key = await index.id(id);
    const personal = await sealJsonBytes(
      keys.data,
      { id, name, details } satisfies ApplicantPersonal,
      applicantContext(key),
    );
    return { ...clear, key, personal };
  };
  const sealJournal = async ({ data, id: event, ...j }: ClearJournal): Promise<JournalRow> => {
    const id = journalKey(event);
    return {
      id,
      ...j,
      // Numbers (registration, letters': the journal's entries) are searched in clear, by any tail.
      ...(j.number ? { numberKeys: numberSearchKeys(j.number) } : {}),
      data: await sealJsonBytes(keys.data, data, journalContext(id)),
    };
  };
  const [application, applicant, journal] = await Promise.all([
    p.application ? sealApplication(p.application) : null,
    p.applicant ? sealApplicant(p.applicant) : null,
    Promise.all(p.journal.map(sealJournal)),
  ]);
  return {
    application: application?.row ?? null,
    search: application?.search ?? null,
    applicant,
    journal,
    report: p.report ?? null,
  };
}

/** Opens a sealed row value: bytes, or text from a build that sealed rows as text. */
function openSealed(key: CryptoKey, sealed: Uint8Array | string, context: string): Promise<unknown> {
  return typeof sealed === 'string' ? openJson(key, sealed, context) : openJsonBytes(key, sealed, context);
}

// --- Opening ------------------------------------------------------------------------------------
// A blob that does not open (another desk's key, a changed byte) gives null: the screen shows a
// placeholder instead of failing, and nothing personal.

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The personal fields of an application row, with the name words kept for search. */
async function openPersonal(
  keys: DeskKeys,
  row: Pick<ApplicationRow, 'appId' | 'personal'>,
): Promise<Required<ApplicationPersonal> | null> {
  try {
    const v = await openSealed(keys.data, row.personal, appContext(row.appId));
    if (!isRecord(v) || typeof v['applicantName'] !== 'string') return null;
    const words = v['words'];
    return {
      applicantName: v['applicantName'],
      applicantId: typeof v['applicantId'] === 'string' ? v['applicantId'] : null,
      words: Array.isArray(words) ? words.filter((w): w is string => typeof w === 'string') : [],
    };
  } catch {
    return null;
  }
}

export async function openApplicationPersonal(
  keys: DeskKeys,
  row: Pick<ApplicationRow, 'appId' | 'personal'>,
): Promise<ApplicationPersonal | null> {
  const p = await openPersonal(keys, row);
  return p && { applicantName: p.applicantName, applicantId: p.applicantId };
}

export async function openApplicantPersonal(keys: DeskKeys, row: ApplicantRow): Promise<ApplicantPersonal | null> {
  try {
    const v = await openSealed(keys.data, row.personal, applicantContext(row.key));
    if (!isRecord(v) || typeof v['id'] !== 'string' || typeof v['name'] !== 'string' || !isRecord(v['details']))
      return null;
    return { id: v['id'], name: v['name'], details: v['details'] };
  } catch {
    return null;
  }
}

export async function openJournalData(keys: DeskKeys, row: JournalRow): Promise<Record<string, unknown> | null> {
  try {
    const v = await openSealed(keys.data, row.data, journalContext(row.id));
    return isRecord(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Blind-index tokens of query words or an IIN/BIN, for screens. Computed outside Dexie's live
 * queries on purpose: a live query that awaits WebCrypto before reading loses track of what it
 * read, and would not update. Undefined while computing.
 */
export function useBlindTokens(
  keys: DeskKeys | null,
  words: readonly string[],
  kind: 'words' | 'id',
): string[] | undefined {
  const wanted = words.join('\n');
  const [done, setDone] = useState<{ wanted: string; keys: DeskKeys; tokens: string[] } | null>(null);
  useEffect(() => {
    if (!keys) return;
    let live = true;
    const index = blindIndex(keys.index);
    const list = wanted ? wanted.split('\n') : [];
    void Promise.all(list.map((w) => (kind === 'id' ? index.id(w) : index.query(w)))).then((tokens) => {
      if (live) setDone({ wanted, keys, tokens });
    });
    return () => {
      live = false;
    };
  }, [keys, wanted, kind]);
  return done && done.wanted === wanted && done.keys === keys ? done.tokens : undefined;
}

/** The applicant row under this IIN/BIN token, opened; undefined when unknown or unreadable. */
export async function findApplicant(
  model: ReadModel,
  keys: DeskKeys,
  token: string,
  iinOrBin: string,
): Promise<(ApplicantPersonal & { kind: ApplicantRow['kind'] }) | undefined> {
  const row = await model.applicants.get(token);
  if (!row) return undefined;
  const personal = await openApplicantPersonal(keys, row);
  // The token matched but the blob is not this applicant's: never show it.
  return personal && personal.id === iinOrBin.replace(/\s/g, '') ? { ...personal, kind: row.kind } : undefined;
}

/** One typed word as search looks it up: its token (blindIndex.ts `query`), computed outside live queries. */
export interface SearchTerm {
  /** Folded (queryWords). */
  word: string;
  token: string;
}

/** The terms of the typed words; undefined while the tokens are computed (as useBlindTokens). */
export function useSearchTerms(keys: DeskKeys | null, words: readonly string[]): SearchTerm[] | undefined {
  const tokens = useBlindTokens(keys, words, 'words');
  return tokens?.map((token, i) => ({ word: words[i] ?? '', token }));
}

/** The terms of a typed text, at once (tests, the bench). */
export function searchTermsOf(keys: DeskKeys, words: readonly string[]): Promise<SearchTerm[]> {
  const index = blindIndex(keys.index);
  return Promise.all(words.map(async (word) => ({ word, token: await index.query(word) })));
}

/**
 * Applications matching every term, newest first. A term matches a row whose registration or
 * letter number, or a tail of one, starts with it (`numberKeys`, clear), or whose name words or IIN/BIN carry its token;
 * a term longer than the indexed prefixes is then checked against the row's sealed words, opened
 * here (after every read: a live query keeps track of them).
 */
export async function searchApplications(
  model: ReadModel,
  keys: DeskKeys,
  terms: readonly SearchTerm[],
): Promise<ApplicationRow[]> {
  if (terms.length === 0) return [];
  const perTerm = await Promise.all(
    terms.map(async (t) => {
      const [byToken, byNumber] = await Promise.all([
        model.search.where('tokens').equals(t.token).primaryKeys(),
        model.journal.where('numberKeys').startsWith(t.word).primaryKeys(),
      ]);
      // A journal row's id is its event's: `evt:<appId>:…`.
      const numbered = new Set(byNumber.map((id) => id.split(':')[1] ?? ''));
      return { term: t, numbered, tokened: new Set<string>(byToken) };
    }),
  );
  const [first, ...rest] = perTerm;
  if (!first) return [];
  const candidates = [...new Set([...first.numbered, ...first.tokened])].filter((id) =>
    rest.every((x) => x.numbered.has(id) || x.tokened.has(id)),
  );
  const rows = (await model.applications.bulkGet(candidates)).filter((r): r is ApplicationRow => r !== undefined);
  // Found by a prefix's token alone: the row's words must really start with the whole term.
  const unsure = (r: ApplicationRow): SearchTerm[] =>
    perTerm.filter((x) => !x.numbered.has(r.appId) && needsCheck(x.term.word)).map((x) => x.term);
  const checked = await Promise.all(
    rows.map(async (r) => {
      const open = unsure(r);
      if (open.length === 0) return r;
      const p = await openPersonal(keys, r);
      return p && open.every((t) => p.words.some((w) => w.startsWith(t.word))) ? r : null;
    }),
  );
  return checked
    .filter((r): r is ApplicationRow => r !== null)
    .sort((a, b) => (b.registeredAt ?? 0) - (a.registeredAt ?? 0));
}

// --- Opening what a screen shows -----------------------------------------------------------------

/** Opened personal fields by row and seal (the IV is unique per seal), per key: memory only. */
const opened = new WeakMap<DeskKeys, Map<string, ApplicationPersonal | null>>();
const sealKey = (row: Pick<ApplicationRow, 'appId' | 'personal'>): string =>
  typeof row.personal === 'string'
    ? row.personal
    : `${row.appId}:${Array.from(row.personal.subarray(3, 15), (b) => b.toString(16).padStart(2, '0')).join('')}`;
const OPENED_LIMIT = 20_000;

function openedFor(keys: DeskKeys): Map<string, ApplicationPersonal | null> {
  let m = opened.get(keys);
  if (!m) {
    m = new Map();
    opened.set(keys, m);
  }
  return m;
}

/**
 * The applicant names of the given rows, opened as they come into view (a virtualised list passes
 * only its visible rows): `get(row)` is undefined while opening, null when the blob does not open.
 */
export function useApplicationPersonal(
  keys: DeskKeys | null,
  rows: readonly Pick<ApplicationRow, 'appId' | 'personal'>[],
): (row: Pick<ApplicationRow, 'appId' | 'personal'>) => ApplicationPersonal | null | undefined {
  const [, setVersion] = useState(0);
  const cache = keys ? openedFor(keys) : null;
  const missing = cache ? rows.filter((r) => !cache.has(sealKey(r))) : [];
  const wanted = missing.map(sealKey).join('\n');
  useEffect(() => {
    if (!keys || !cache || missing.length === 0) return;
    let live = true;
    void Promise.all(
      missing.map(async (r) => {
        const p = await openApplicationPersonal(keys, r);
        if (cache.size >= OPENED_LIMIT) cache.clear();
        cache.set(sealKey(r), p);
      }),
    ).then(() => {
      if (live) setVersion((v) => v + 1);
    });
    return () => {
      live = false;
    };
    // `wanted` stands for `missing`: a new array each render, the same blobs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [keys, wanted]);
  return (row) => (cache ? cache.get(sealKey(row)) : null);
}

/** The read model's contents with every sealed blob opened (null: it does not open). */
export interface OpenedModelDump {
  applications: (Omit<ApplicationRow, 'personal'> & { personal: ApplicationPersonal | null })[];
  applicants: (Omit<ApplicantRow, 'personal'> & { personal: ApplicantPersonal | null })[];
  search: SearchRow[];
  journal: (Omit<JournalRow, 'data'> & { data: Record<string, unknown> | null })[];
}

/** What rebuilds and other replicas must reproduce exactly (sealed blobs differ by their random IV). */
export async function openedModelDump(model: ReadModel, keys: DeskKeys): Promise<OpenedModelDump> {
  const applications = await model.applications.orderBy('appId').toArray();
  const applicants = await model.applicants.orderBy('key').toArray();
  const journal = await model.journal.orderBy('id').toArray();
  const search = await model.search.orderBy('appId').toArray();
  return {
    search,
    applications: await Promise.all(
      applications.map(async (a) => ({ ...a, personal: await openApplicationPersonal(keys, a) })),
    ),
    applicants: await Promise.all(
      applicants.map(async (a) => ({ ...a, personal: await openApplicantPersonal(keys, a) })),
    ),
    journal: await Promise.all(journal.map(async (j) => ({ ...j, data: await openJournalData(keys, j) }))),
  };
}

// --- Which keys ---------------------------------------------------------------------------------

/** The unlocked desk keys for screens and drafts; null while none are unlocked. */
export function useSealKeys(): DeskKeys | null {
  return useDeskKeys((s) => s.keys);
}
