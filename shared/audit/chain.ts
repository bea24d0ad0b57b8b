import { contentEventId, type ChainLink, type EventDoc } from '../events/event';
import { parseEventId } from '../events/ids';
import { attachmentDigest, fromBase64, sha256Hex, utf8 } from './digest';

/**
 * The audit chain: every device links its events in the order it wrote them. Each event records
 * its position in its device's chain and the SHA-256 of the device's previous event, so that an
 * edited, deleted or inserted event breaks a link that anyone holding the events can check.
 */

/** A stored event document as a replica holds it (any shape: the checker trusts nothing). */
export type RawDoc = Record<string, unknown>;

/** Where a device's chain ends: kept by the device that writes it (never replicated). */
export interface ChainHead {
  seq: number;
  /** SHA-256 of the event at `seq`. */
  hash: string;
  eventId: string;
}

/**
 * Bookkeeping that a replica or a transport adds and that is not the event's content: revisions
 * differ between replicas of the same event. Attachments are hashed by their digest (below).
 */
const NOT_CONTENT = new Set([
  '_rev',
  '_revisions',
  '_revs_info',
  '_conflicts',
  '_deleted_conflicts',
  '_local_seq',
  '_attachments',
]);

/** Sorts each object's keys as JSON.stringify meets it; numbers must be finite. */
function sortedMembers(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('a number in an event must be finite');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj).sort()) out[k] = obj[k];
  return out;
}

/**
 * JSON with object keys sorted (by UTF-16 code units) and no whitespace; `undefined` members left
 * out, as JSON.stringify (which does the escaping) leaves them out.
 */
export function canonicalJson(value: unknown): string {
  const text = JSON.stringify(value, sortedMembers) as string | undefined;
  if (text === undefined) throw new Error('cannot serialise this value in an event');
  return text;
}

/**
 * An attachment as the hash sees it: its content type and the digest of its bytes (`md5-…`, as
 * CouchDB and PouchDB store it). A stub carries the digest; inline data (base64 or bytes, as in an
 * export with attachments) is digested here.
 */
function attachmentContent(att: unknown): { content_type: unknown; digest: string } {
  const a = (att ?? {}) as { content_type?: unknown; digest?: unknown; data?: unknown };
  let digest: string;
  if (typeof a.data === 'string') digest = attachmentDigest(fromBase64(a.data));
  else if (a.data instanceof Uint8Array) digest = attachmentDigest(a.data);
  else if (typeof a.digest === 'string') digest = a.digest;
  else digest = 'missing';
  return { content_type: a.content_type, digest };
}

/** What the hash covers: the whole document but its revision bookkeeping, attachments by digest. */
export function eventContent(doc: RawDoc): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!NOT_CONTENT.has(k)) content[k] = v;
  const atts = doc['_attachments'];
  if (atts && typeof atts === 'object') {
    const out: Record<string, unknown> = {};
    for (const [name, att] of Object.entries(atts as Record<string, unknown>)) out[name] = attachmentContent(att);
    content['_attachments'] = out;
  }
  return content;
}

/** SHA-256 (hex) of an event's canonical content, its chain link included. */
export function eventHash(doc: RawDoc): string {
  return sha256Hex(utf8(canonicalJson(eventContent(doc))));
}

/** The next link after `head` (the device's first when there is none). */
export function nextLink(head: Pick<ChainHead, 'seq' | 'hash'> | null): ChainLink {
  return head ? { seq: head.seq + 1, prev: head.hash } : { seq: 1, prev: null };
}

/**
 * Links an event into its device's chain: the document to write and the new head. Attachments must
 * already carry their digest or inline bytes (the desk digests a Blob before calling this).
 */
export function linkEvent<D extends RawDoc>(
  doc: D,
  head: ChainHead | null,
): { doc: D & { chain: ChainLink }; head: ChainHead } {
  const chained = { ...doc, chain: nextLink(head) };
  // The link is part of the content that the id's digest covers, and the chain hash covers the id:
  // so the id is set after the link and before the hash. A legacy id (no digest) is left as it is.
  const digestId = typeof doc['_id'] === 'string' && parseEventId(doc['_id'])?.digest;
  const linked = digestId ? { ...chained, _id: contentEventId(chained as unknown as EventDoc) } : chained;
  return { doc: linked, head: { seq: linked.chain.seq, hash: eventHash(linked), eventId: String(linked['_id']) } };
}
