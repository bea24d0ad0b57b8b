/**
 * A server's `_bulk_get` answers (CouchDB's `POST /{db}/_bulk_get`, revisions and attachments
 * inline) kept as the bytes that came, to be parsed where they are written: a first download's
 * answers go to the replica writer's worker whole (transferred, not copied), so the window's
 * thread neither parses nor clones the office's documents (issue 13: its long tasks were that work
 * and its garbage).
 */
export interface BulkGetAnswers {
  /** Each answer's body, as the server sent it (JSON). */
  readonly answers: readonly ArrayBuffer[];
  /** Documents asked for in all: an answer holds as many, fewer if some are gone. */
  readonly asked: number;
}

/** One answer's body as CouchDB gives it: per document asked, the revision or its error. */
interface BulkGetBody {
  results: {
    id: string;
    docs: ({ ok: object } | { error: { id?: string; rev?: string; error: string; reason?: string } })[];
  }[];
}

/**
 * The documents of the answers. A revision gone since it was listed (compacted or purged on the
 * server: `not_found`) is left out — the live replication settles it; any other error is thrown
 * with the server's reason.
 */
export function docsOfAnswers(answers: readonly ArrayBuffer[]): object[] {
  const text = new TextDecoder();
  const docs: object[] = [];
  for (const bytes of answers) {
    const body = JSON.parse(text.decode(bytes)) as BulkGetBody;
    for (const res of body.results)
      for (const d of res.docs) {
        if ('ok' in d) docs.push(d.ok);
        else if (d.error.error !== 'not_found')
          throw Object.assign(new Error(`_bulk_get ${res.id}: ${d.error.reason ?? d.error.error}`), d.error);
      }
  }
  return docs;
}
