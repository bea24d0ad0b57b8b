import { checkChains, eventHash, type AuditReport, type RawDoc } from '@shared/audit';
import { parseEvent, type EventDoc } from '@shared/events';
import { ownHeads } from './auditChain';
import { conflictingLeaves, verifiedRevision, type LeafDoc } from '../projection/verifiedEvents';

export interface ScanProgress {
  done: number;
  total: number;
}

const PAGE = 500;

/** Every event document of the replica, page by page (ids sort `evt:<appId>:…`). */
async function eachEventPage(
  db: PouchDB.Database,
  onPage: (docs: RawDoc[]) => void | Promise<void>,
  onProgress?: (p: ScanProgress) => void,
): Promise<void> {
  const total = (await db.allDocs({ startkey: 'evt:', endkey: 'evt:\ufff0', limit: 0 })).total_rows;
  let done = 0;
  let startkey = 'evt:';
  let skip = 0;
  for (;;) {
    const page = await db.allDocs<RawDoc>({
      startkey,
      endkey: 'evt:\ufff0',
      include_docs: true,
      conflicts: true,
      limit: PAGE,
      skip,
    });
    const docs = page.rows.flatMap((r) => (r.doc ? [r.doc as unknown as RawDoc] : []));
    await onPage(docs);
    done += page.rows.length;
    onProgress?.({ done: Math.min(done, total), total: Math.max(total, done) });
    const last = page.rows[page.rows.length - 1];
    if (!last || page.rows.length < PAGE) break;
    startkey = last.id;
    skip = 1;
    // Let the screen paint the progress between pages.
    await new Promise((r) => setTimeout(r, 0));
  }
}

/**
 * The integrity check over this desk's replica of the office database: every event is read and
 * hashed (with progress), then the chains are checked, this desk's own head vouching for its last
 * event.
 */
export async function checkReplica(db: PouchDB.Database, onProgress?: (p: ScanProgress) => void): Promise<AuditReport> {
  const docs: RawDoc[] = [];
  const hashes = new Map<string, string>();
  const leaves = new Map<string, RawDoc[]>();
  await eachEventPage(
    db,
    async (page) => {
      for (const winner of page) {
        let d = winner;
        if (Array.isArray(winner['_conflicts']) && winner['_conflicts'].length > 0) {
          // A conflict under an event's id: the chain is checked on the revision the desk shows,
          // every other leaf is checked against the id (shared/audit contentMismatch, conflictingRevision).
          const all = [winner as LeafDoc, ...(await conflictingLeaves(db, winner as LeafDoc))];
          d = (await verifiedRevision(db, winner as LeafDoc)) ?? winner;
          leaves.set(
            String(d['_id']),
            all.filter((l) => l['_rev'] !== d['_rev']),
          );
        }
        docs.push(d);
        if (d['chain'] !== undefined) {
          try {
            hashes.set(String(d['_id']), eventHash(d));
          } catch {
            // Not serialisable as an event: the checker names it.
          }
        }
      }
    },
    onProgress,
  );
  return checkChains(docs, { heads: await ownHeads(db), hashes, leaves });
}

/** A staff member's actions between two instants (by the event's wall-clock time), oldest first. */
export async function userActions(
  db: PouchDB.Database,
  login: string,
  from: number,
  to: number,
  onProgress?: (p: ScanProgress) => void,
): Promise<EventDoc[]> {
  const out: EventDoc[] = [];
  await eachEventPage(
    db,
    async (page) => {
      for (const winner of page) {
        // The revision whose content the id names (a forged winner is not the person's action).
        const d = (await verifiedRevision(db, winner as LeafDoc)) ?? winner;
        const actor = d['actor'] as { login?: unknown } | undefined;
        if (actor?.login !== login) continue;
        const at = Date.parse(String(d['at']));
        if (!(at >= from && at < to)) continue;
        const r = parseEvent(d);
        if (r.ok) out.push(r.event);
      }
    },
    onProgress,
  );
  return out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
