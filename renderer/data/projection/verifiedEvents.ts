import { verifiesId } from '@shared/events';

/** A stored document as allDocs/get return it with `conflicts: true`. */
export type LeafDoc = Record<string, unknown> & { _id: string; _rev?: string; _conflicts?: string[] };

/**
 * Verdicts by id and revision: a re-projection reads an application's whole history again, and a
 * revision's content does not change. Bounded; the integrity check never uses it (it re-hashes all).
 */
const verdicts = new Map<string, boolean>();
/** The document objects found to verify here: read from the store, they are not changed after. */
const verifiedObjects = new WeakSet<object>();
/** Whether this revision's content is the one its id names (cached by id and revision). */
export function verifiesOnce(doc: LeafDoc): boolean {
  let verdict: boolean | undefined;
  if (typeof doc._rev !== 'string') verdict = verifiesId(doc);
  else {
    const key = `${doc._id}@${doc._rev}`;
    verdict = verdicts.get(key);
    if (verdict === undefined) {
      verdict = verifiesId(doc);
      if (verdicts.size >= 100_000) verdicts.clear();
      verdicts.set(key, verdict);
    }
  }
  if (verdict) verifiedObjects.add(doc);
  return verdict;
}

/** Whether this very object passed `verifiesOnce` (the fold then skips computing its digest again). */
export function isVerified(doc: object): boolean {
  return verifiedObjects.has(doc);
}

/**
 * The revision of an event that the desk shows: the one whose content matches the digest its id
 * carries (shared/events `verifiesId`). The winner normally; when a conflicting revision was forged
 * under the id (accepted by an old server, a hub or a restored backup) and happens to win, the
 * conflicting leaf that verifies; none when no leaf does (the integrity check names it). Legacy ids
 * name no content: their winner is taken, and the integrity check reports their conflicts.
 */
export async function verifiedRevision<D extends LeafDoc>(db: PouchDB.Database, doc: D): Promise<D | null> {
  if (verifiesOnce(doc)) return doc;
  for (const rev of [...(doc._conflicts ?? [])].sort()) {
    const other = (await db.get(doc._id, { rev })) as unknown as D;
    if (verifiesOnce(other)) return other;
  }
  return null;
}

/**
 * The same choice among leaves already read (the projector's worker gets the winner and, when it
 * has conflicts, their revisions, all opened): the winner if it verifies, else the first conflicting
 * leaf in revision order that does, else none.
 */
export function pickVerified<D extends LeafDoc>(doc: D, leaves: readonly D[]): D | null {
  if (verifiesOnce(doc)) return doc;
  for (const rev of [...(doc._conflicts ?? [])].sort()) {
    const other = leaves.find((l) => l._id === doc._id && l._rev === rev);
    if (other && verifiesOnce(other)) return other;
  }
  return null;
}

/** Every leaf revision other than the winner (the conflicts), opened, for the integrity check. */
export async function conflictingLeaves(db: PouchDB.Database, doc: LeafDoc): Promise<LeafDoc[]> {
  const out: LeafDoc[] = [];
  for (const rev of doc._conflicts ?? []) out.push((await db.get(doc._id, { rev })) as unknown as LeafDoc);
  return out;
}
