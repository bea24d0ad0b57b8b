import { checkChains, eventHash, type AuditReport, type RawDoc } from '@shared/audit';
import { parseEvent, type EventDoc } from '@shared/events';
import { ownHeads } from '../../data/auditChain';

export interface ScanProgress {
  done: number;
  total: number;
}

const PAGE = 500;

/** Every event document of the replica, page by page (ids sort `evt:<appId>:…`). */
async function eachEventPage(
  db: PouchDB.Database,
  onPage: (docs: RawDoc[]) => void,
  onProgress?: (p: ScanProgress) => void,
): Promise<void> {
  const total = (await db.allDocs({ startkey: 'evt:', endkey: 'evt:\ufff0', limit: 0 })).total_rows;
  let done = 0;
  let startkey = 'evt:';
  let skip = 0;
  for (;;) {
    const page = await db.allDocs<RawDoc>({ startkey, endkey: 'evt:\ufff0', include_docs: true, limit: PAGE, skip });
    const docs = page.rows.flatMap((r) => (r.doc ? [r.doc as unknown as RawDoc] : []));
    onPage(docs);
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
  await eachEventPage(
    db,
    (page) => {
      for (const d of page) {
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
  return checkChains(docs, { heads: await ownHeads(db), hashes });
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
    (page) => {
      for (const d of page) {
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
