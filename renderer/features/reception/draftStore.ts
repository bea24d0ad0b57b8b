import { create } from 'zustand';
import { isSealedText, openJson, sealJson, type DeskKeys } from '../../data';
import { useDeskKeys } from '../../state/deskKeys';
import { emptyDraft, type ReceptionDraft } from './intake';

/**
 * Half-filled reception forms survive closing the window: one draft per staff login, so a colleague
 * who takes over a shared desk does not see (or register) someone else's draft.
 *
 * A draft is a citizen's data: localStorage holds it only sealed with the desk's data key
 * (context `draft:<login>`), never in clear. The opened drafts live in memory only, and only while
 * keys are unlocked: without keys nothing is opened, shown or written.
 */
interface DraftState {
  /** Opened drafts, in memory. */
  drafts: Record<string, ReceptionDraft>;
  /** Logins whose stored draft has been opened (or found absent) under `keys`. */
  loaded: Record<string, true>;
  keys: DeskKeys | null;
  update: (login: string, change: (d: ReceptionDraft) => ReceptionDraft) => void;
  clear: (login: string) => void;
  /** Opens the login's stored draft with these keys (and seals drafts left in clear by older versions). */
  load: (login: string, keys: DeskKeys) => Promise<void>;
  /** Signed out: the opened drafts are forgotten (the sealed ones stay). */
  lock: () => void;
}

export const DRAFTS_KEY = 'kense.reception.drafts';
const FORMAT = 2;
const context = (login: string): string => `draft:${login}`;

/** What localStorage holds: sealed drafts by login. */
interface Stored {
  format: typeof FORMAT;
  drafts: Record<string, string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A draft from an older shape is completed with empty fields rather than dropped. */
function complete(d: unknown): ReceptionDraft {
  const base = emptyDraft();
  if (!isRecord(d)) return base;
  const part = (k: string): Record<string, unknown> => (isRecord(d[k]) ? d[k] : {});
  return {
    ...base,
    ...(d as Partial<ReceptionDraft>),
    person: { ...base.person, ...part('person') },
    entity: { ...base.entity, ...part('entity') },
    representative: { ...base.representative, ...part('representative') },
  };
}

function readStored(): { stored: Stored; clear: Record<string, unknown> } {
  let raw: unknown = null;
  try {
    raw = JSON.parse(localStorage.getItem(DRAFTS_KEY) ?? 'null');
  } catch {
    raw = null;
  }
  const stored: Stored = { format: FORMAT, drafts: {} };
  const clear: Record<string, unknown> = {};
  if (isRecord(raw) && raw['format'] === FORMAT && isRecord(raw['drafts'])) {
    for (const [login, v] of Object.entries(raw['drafts'])) if (isSealedText(v)) stored.drafts[login] = v;
  } else if (isRecord(raw) && isRecord(raw['state']) && isRecord(raw['state']['drafts'])) {
    // Before drafts were sealed (zustand's persist format, version 1): clear objects by login.
    Object.assign(clear, raw['state']['drafts']);
  }
  return { stored, clear };
}

const writeStored = (stored: Stored): void => localStorage.setItem(DRAFTS_KEY, JSON.stringify(stored));

/** Writes run one after another: the last change is the one that stays. */
let writes: Promise<void> = Promise.resolve();
function persist(login: string, keys: DeskKeys, draft: ReceptionDraft | null): Promise<void> {
  writes = writes
    .then(async () => {
      const sealed = draft ? await sealJson(keys.data, draft, context(login)) : null;
      const { stored } = readStored();
      if (sealed) stored.drafts[login] = sealed;
      else delete stored.drafts[login];
      writeStored(stored);
    })
    .catch((e: unknown) => console.error('draft', e));
  return writes;
}

/** Waits for the writes under way (tests). */
export const draftsWritten = (): Promise<void> => writes;

export const useDrafts = create<DraftState>()((set, get) => ({
  drafts: {},
  loaded: {},
  keys: null,
  update: (login, change) => {
    const { keys, loaded, drafts } = get();
    // Nothing is kept before the stored draft is opened: it would be overwritten by it.
    if (!keys || !loaded[login]) return;
    const next = change(drafts[login] ?? emptyDraft());
    set({ drafts: { ...drafts, [login]: next } });
    void persist(login, keys, next);
  },
  clear: (login) => {
    const { keys, drafts } = get();
    const { [login]: _gone, ...rest } = drafts;
    set({ drafts: rest });
    if (keys) void persist(login, keys, null);
  },
  load: async (login, keys) => {
    if (get().keys !== keys) set({ drafts: {}, loaded: {}, keys });
    if (get().loaded[login]) return;
    await writes;
    const { stored, clear } = readStored();
    // Drafts left in clear by an older version are sealed on first load, all logins at once, so
    // that no work is lost and nothing stays in clear.
    const migrating = Object.entries(clear);
    if (migrating.length > 0) {
      for (const [l, d] of migrating) stored.drafts[l] = await sealJson(keys.data, complete(d), context(l));
      writeStored(stored);
    }
    let draft: ReceptionDraft | null = null;
    const sealed = stored.drafts[login];
    if (sealed) {
      try {
        draft = complete(await openJson(keys.data, sealed, context(login)));
      } catch {
        // Sealed under other keys (or changed): it cannot be shown; the next change replaces it.
        draft = null;
      }
    }
    if (get().keys !== keys) return;
    set((s) => ({
      drafts: draft ? { ...s.drafts, [login]: draft } : s.drafts,
      loaded: { ...s.loaded, [login]: true },
    }));
  },
  lock: () => set({ drafts: {}, loaded: {}, keys: null }),
}));

// Signing out drops the keys: the opened drafts go with them, whichever screen is showing.
useDeskKeys.subscribe((s, before) => {
  if (before.keys && s.keys !== before.keys) useDrafts.getState().lock();
});
