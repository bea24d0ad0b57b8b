import { attachmentDigestOf } from '../store/md5';
import type { DeskKeys } from './deskKeys';
import {
  EnvelopeError,
  isSealedBytes,
  isSealedText,
  openBytes,
  openJson,
  openJsonBytes,
  sealBytes,
  sealJson,
  sealJsonBytes,
  TEXT_PREFIX,
  toBase64Url,
} from './envelope';

/**
 * Encryption at rest of the local office database (docs/threat-model.md §5): a layer on the local
 * PouchDB instance that seals each event's `payload` and its attachments' bytes on the way into
 * IndexedDB and opens them on the way out. Everything above it — appends, the projector, pushes to
 * the server, the audit check — sees clear documents; replicated documents are sealed as they land.
 *
 * Desk-key escrows (`deskkey:` documents, renderer/data/account/deskUnlock.ts) replicate to every
 * desk too: their `secret` is sealed the same way, so no desk holds another's secret, nor its own,
 * in clear at rest.
 *
 * Only `evt:` documents are touched; `_id`, `appId`, `kind`, `hlc`, `device`, `office`, `at`,
 * `actor`, `chain` stay clear (ordering, id-range reads, the server's rules, the push filter).
 * PouchDB stores the digest of the bytes it is given (sealed ones), so the digest and length of the
 * clear bytes travel sealed in `sealedAttachments` and are put back on the way out: the audit chain
 * and replication keep seeing the clear digest. Revisions are not changed.
 *
 * Documents written before sealing was on (clear payload, no `sealedAttachments`) pass through as
 * they are: the layer opens only what it sealed.
 *
 * The payload is kept as the envelope's bytes (a Uint8Array, which IndexedDB stores as it is):
 * no base64 on the way in or out. Payloads sealed before that, as `kenc1.` text, are read as well
 * and stay as they are on disk (they are never rewritten: events are immutable).
 */
export const SEALED_ATTACHMENTS = 'sealedAttachments';
/** Written once per database; a wrong key is refused before anything is read or written. */
export const SEAL_CHECK_ID = '_local/kense-seal';

type AttachmentMeta = Record<string, { digest: string; length: number }>;
interface Att {
  content_type?: string;
  data?: unknown;
  digest?: string;
  length?: number;
  stub?: boolean;
  [k: string]: unknown;
}
type Doc = Record<string, unknown> & { _id?: unknown; _attachments?: Record<string, Att> };

const payloadContext = (id: string): string => `${id}#payload`;
const ESCROW_PREFIX = 'deskkey:';
const isEscrow = (doc: Doc | null | undefined): doc is Doc & { _id: string } =>
  !!doc && typeof doc._id === 'string' && doc._id.startsWith(ESCROW_PREFIX);
const secretContext = (id: string): string => `${id}#secret`;
const attsContext = (id: string): string => `${id}#attachments`;
const attContext = (id: string, name: string): string => `${id}#att:${name}`;

/** The engine's own decoder where there is one (Chromium 140 on): the loop below cost seconds per 100 MB of scans. */
const nativeFromBase64 = (Uint8Array as { fromBase64?: (text: string) => Uint8Array }).fromBase64;

function b64ToBytes(text: string): Uint8Array {
  if (nativeFromBase64) return nativeFromBase64(text);
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
/** Standard padded base64 (what PouchDB uses for non-binary attachment data). */
function toB64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function bytesOf(data: unknown): Promise<Uint8Array> {
  if (data instanceof Blob) return new Uint8Array(await data.arrayBuffer());
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (typeof data === 'string') return b64ToBytes(data);
  throw new TypeError('unsupported attachment data');
}

const isEvent = (doc: Doc | null | undefined): doc is Doc & { _id: string } =>
  !!doc && typeof doc._id === 'string' && doc._id.startsWith('evt:');

/** The clear document as it goes to IndexedDB: sealed payload and bytes. Never mutates `doc`. */
export async function sealDoc(keys: DeskKeys, doc: Doc): Promise<Doc> {
  if (isEscrow(doc) && typeof doc['secret'] === 'string' && !isSealedText(doc['secret']))
    return { ...doc, secret: await sealJson(keys.data, doc['secret'], secretContext(doc._id)) };
  if (!isEvent(doc) || doc['_deleted'] === true) return doc;
  const id = doc._id;
  const out: Doc = { ...doc };
  if ('payload' in doc && !isSealedText(doc['payload']) && !isSealedBytes(doc['payload']))
    out['payload'] = await sealJsonBytes(keys.data, doc['payload'], payloadContext(id));
  // Never taken from outside: documents from the server or the desk have no such field, and one
  // that came with it must not pass clear bytes as if already sealed.
  delete out[SEALED_ATTACHMENTS];
  if (doc._attachments) {
    const meta: AttachmentMeta = {};
    const atts: Record<string, Att> = {};
    for (const [name, a] of Object.entries(doc._attachments)) {
      if (a.stub || a.data === undefined) {
        atts[name] = a;
        continue;
      }
      const clear = await bytesOf(a.data);
      meta[name] = { digest: await attachmentDigestOf(clear), length: clear.byteLength };
      const sealed = await sealBytes(keys.data, clear, attContext(id, name));
      const { digest: _d, length: _l, data: _data, ...rest } = a;
      atts[name] = { ...rest, data: new Blob([sealed as BlobPart], { type: a.content_type ?? '' }) };
    }
    out._attachments = atts;
    if (Object.keys(meta).length > 0) out[SEALED_ATTACHMENTS] = await sealJson(keys.data, meta, attsContext(id));
  }
  return out;
}

/**
 * Leaves what does not open as it is: a value changed on disk (or under another key) stays sealed,
 * so the document fails the event schema and its chain link — the fold and the integrity check
 * name it — instead of every read of the replica failing.
 */
async function tryOpen<T>(open: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
  try {
    return { ok: true, value: await open() };
  } catch (e) {
    if (!(e instanceof EnvelopeError)) throw e;
    return { ok: false };
  }
}

/** The document as the rest of the desk sees it: clear payload, clear bytes, clear digests. */
export async function openDoc<D>(keys: DeskKeys, doc: D): Promise<D> {
  const d = doc as unknown as Doc;
  if (isEscrow(d)) {
    const sealed = d['secret'];
    if (!isSealedText(sealed)) return doc;
    const opened = await tryOpen(() => openJson(keys.data, sealed, secretContext(d._id)));
    return (opened.ok ? { ...d, secret: opened.value } : d) as unknown as D;
  }
  if (!isEvent(d)) return doc;
  const id = d._id;
  const out: Doc = { ...d };
  const sealedPayload = d['payload'];
  if (isSealedBytes(sealedPayload)) {
    const opened = await tryOpen(() => openJsonBytes(keys.data, sealedPayload, payloadContext(id)));
    // One that does not open is shown as text, as a payload sealed before the binary form would be.
    out['payload'] = opened.ok ? opened.value : TEXT_PREFIX + toBase64Url(sealedPayload);
  } else if (isSealedText(sealedPayload)) {
    const opened = await tryOpen(() => openJson(keys.data, sealedPayload, payloadContext(id)));
    if (opened.ok) out['payload'] = opened.value;
  }
  const sealedMeta = d[SEALED_ATTACHMENTS];
  if (!isSealedText(sealedMeta)) return out as unknown as D;
  const metaOpened = await tryOpen(() => openJson(keys.data, sealedMeta, attsContext(id)));
  if (!metaOpened.ok) return out as unknown as D;
  const meta = metaOpened.value as AttachmentMeta;
  delete out[SEALED_ATTACHMENTS];
  if (d._attachments) {
    const atts: Record<string, Att> = {};
    for (const [name, a] of Object.entries(d._attachments)) {
      const m = meta[name];
      if (!m) {
        atts[name] = a;
        continue;
      }
      const next: Att = { ...a, digest: m.digest };
      if (a.stub || a.data === undefined) next.length = m.length;
      else {
        const clear = await openBytes(keys.data, await bytesOf(a.data), attContext(id, name));
        next.data =
          typeof a.data === 'string'
            ? toB64(clear)
            : new Blob([clear as BlobPart], { type: a.content_type ?? (a.data instanceof Blob ? a.data.type : '') });
      }
      atts[name] = next;
    }
    out._attachments = atts;
  }
  return out as unknown as D;
}

type Callback = (err: unknown, res?: unknown) => void;
type AnyFn = (...args: unknown[]) => unknown;

/** Promise-or-callback, as PouchDB's own methods are called internally (callbacks) and by us (promises). */
function withCallback(run: (args: unknown[]) => Promise<unknown>): AnyFn {
  return (...args: unknown[]) => {
    const cb = typeof args[args.length - 1] === 'function' ? (args.pop() as Callback) : null;
    const p = run(args);
    if (cb) {
      p.then(
        (r) => cb(null, r),
        (e: unknown) => cb(e),
      );
      return undefined;
    }
    return p;
  };
}

interface ChangesLike {
  on(event: string, listener: (...a: unknown[]) => void): ChangesLike;
  then(resolve?: (v: unknown) => unknown, reject?: (e: unknown) => unknown): Promise<unknown>;
  cancel(): void;
}

type Reads = Pick<PouchDB.Database, 'allDocs' | 'get'>;
const unopenedReads = new WeakMap<PouchDB.Database, Reads>();

/**
 * The database's own reads, which leave sealed values sealed: the projector reads events this way
 * and opens them in its worker, off the window's thread (projectBatch.ts). A database without
 * the layer (a replica from before sealing, the bench's clear baseline) reads as it is.
 */
export function unopened(db: PouchDB.Database): Reads {
  return unopenedReads.get(db) ?? db;
}

/**
 * Installs the layer on a local PouchDB instance (its methods are replaced on the instance, so
 * PouchDB's own internal calls — `put` through `bulkDocs`, `bulkGet` and `open_revs` through `get` —
 * go through it too; opening is idempotent, so a document opened twice stays right).
 */
export function sealDatabase(db: PouchDB.Database, keys: DeskKeys): PouchDB.Database {
  const target = db as unknown as Record<string, AnyFn>;
  const orig = (name: string): AnyFn => (target[name] as AnyFn).bind(db);
  const bulkDocs = orig('bulkDocs');
  const get = orig('get');
  const allDocs = orig('allDocs');
  const bulkGet = orig('bulkGet');
  const getAttachment = orig('getAttachment');
  const changes = orig('changes');
  const open = <D>(d: D): Promise<D> => openDoc(keys, d);
  unopenedReads.set(db, { allDocs: allDocs as Reads['allDocs'], get: get as Reads['get'] });

  target['bulkDocs'] = withCallback(async ([docs, ...rest]) => {
    if (Array.isArray(docs)) return bulkDocs(await Promise.all(docs.map((d: Doc) => sealDoc(keys, d))), ...rest);
    const req = docs as { docs: Doc[] };
    return bulkDocs({ ...req, docs: await Promise.all(req.docs.map((d) => sealDoc(keys, d))) }, ...rest);
  });

  target['get'] = withCallback(async (args) => {
    const res = await (get(...args) as Promise<unknown>);
    if (Array.isArray(res))
      return Promise.all(res.map(async (row: { ok?: unknown }) => (row.ok ? { ...row, ok: await open(row.ok) } : row)));
    return open(res);
  });

  target['allDocs'] = withCallback(async (args) => {
    const res = (await allDocs(...args)) as { rows: { doc?: unknown }[] };
    const rows = await Promise.all(res.rows.map(async (r) => (r.doc ? { ...r, doc: await open(r.doc) } : r)));
    return { ...res, rows };
  });

  target['bulkGet'] = withCallback(async (args) => {
    const res = (await bulkGet(...args)) as { results: { docs?: { ok?: unknown }[] }[] };
    const results = await Promise.all(
      res.results.map(async (r) =>
        Array.isArray(r.docs)
          ? { ...r, docs: await Promise.all(r.docs.map(async (x) => (x.ok ? { ok: await open(x.ok) } : x))) }
          : r,
      ),
    );
    return { ...res, results };
  });

  target['getAttachment'] = withCallback(async ([docId, name, opts]) => {
    const o = (opts ?? {}) as { rev?: string };
    const data = await getAttachment(docId, name, o);
    const raw = (await get(docId, o.rev ? { rev: o.rev } : {})) as Doc;
    if (!isSealedText(raw[SEALED_ATTACHMENTS])) return data;
    const meta = (await openJson(keys.data, raw[SEALED_ATTACHMENTS], attsContext(String(docId)))) as AttachmentMeta;
    if (!meta[String(name)]) return data;
    const clear = await openBytes(keys.data, await bytesOf(data), attContext(String(docId), String(name)));
    return new Blob([clear as BlobPart], { type: data instanceof Blob ? data.type : '' });
  });

  target['changes'] = (...args: unknown[]) => {
    const opts = (args[0] ?? {}) as { include_docs?: boolean };
    const feed = changes(...args) as ChangesLike;
    if (!opts.include_docs) return feed;
    // Opening is asynchronous: changes are handed on in their order, and the feed's completion
    // waits for the last of them (replication checkpoints on it).
    let queue: Promise<unknown> = Promise.resolve();
    const openChange = async (c: { doc?: unknown }): Promise<unknown> => (c.doc ? { ...c, doc: await open(c.doc) } : c);
    const openAll = async (res: unknown): Promise<unknown> => {
      const r = res as { results?: { doc?: unknown }[] };
      await queue;
      return r.results ? { ...r, results: await Promise.all(r.results.map(openChange)) } : r;
    };
    const origOn = feed.on.bind(feed);
    const origThen = feed.then.bind(feed);
    const fail = (e: unknown): void => {
      console.error('sealed changes', e);
      feed.cancel();
    };
    return Object.assign(feed, {
      on(event: string, listener: (...a: unknown[]) => void): ChangesLike {
        if (event === 'change') {
          return origOn(event, (change: unknown) => {
            const next = queue.then(() => openChange(change as { doc?: unknown }));
            queue = next.then(listener, fail);
          });
        }
        if (event === 'complete') return origOn(event, (res: unknown) => void openAll(res).then(listener, fail));
        return origOn(event, listener);
      },
      then(resolve?: (v: unknown) => unknown, reject?: (e: unknown) => unknown): Promise<unknown> {
        return origThen(openAll).then(resolve, reject);
      },
    });
  };

  return db;
}

/** Whether keys open a replica's key check: none yet on a replica never unlocked. */
export type SealCheck = 'match' | 'mismatch' | 'absent';

/** Reads the key check without writing anything (choosing among escrowed secrets, deskUnlock.ts). */
export async function sealKeyMatches(db: PouchDB.Database, keys: DeskKeys): Promise<SealCheck> {
  let doc: { check: string };
  try {
    doc = await db.get<{ check: string }>(SEAL_CHECK_ID);
  } catch (e) {
    if ((e as { status?: number }).status !== 404) throw e;
    return 'absent';
  }
  try {
    return (await openJson(keys.data, doc.check, SEAL_CHECK_ID)) === 'kense-desk' ? 'match' : 'mismatch';
  } catch {
    return 'mismatch';
  }
}

/**
 * Binds the database to one desk key: the first unlock writes a check value, every later open
 * must open it. A wrong key (another desk's secret, a reset store) is refused before anything is
 * read or written, so a replica is never mixed under two keys.
 */
export async function checkSealKey(db: PouchDB.Database, keys: DeskKeys): Promise<'ok' | 'wrongKey'> {
  const verdict = await sealKeyMatches(db, keys);
  if (verdict === 'absent') {
    await db.put({ _id: SEAL_CHECK_ID, check: await sealJson(keys.data, 'kense-desk', SEAL_CHECK_ID) });
    return 'ok';
  }
  return verdict === 'match' ? 'ok' : 'wrongKey';
}
