import { attachmentDigest, linkEvent, type ChainHead, type RawDoc } from '@shared/audit';
import type { EventDoc } from '@shared/events';
import { DEVICE_DOC_ID, type DeviceDoc, type OfficeDb } from '../store/officeDb';

/** An event as the desk writes it: attachments carry their bytes (a Blob). */
export type WritableEvent = EventDoc & {
  _attachments?: Record<string, { content_type: string; data: Blob; digest?: string }>;
};

/** SHA-256 (hex) of a scan's bytes, as an `attachment_added` event records it (WebCrypto). */
export async function sha256OfBlob(data: Blob): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', await data.arrayBuffer()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The digest CouchDB and PouchDB will store for each attachment, computed from the bytes before the
 * event is hashed, so that the chain covers the scan itself (PouchDB recomputes the same value).
 */
async function withDigests<D extends WritableEvent>(event: D): Promise<D> {
  if (!event._attachments) return event;
  const atts: NonNullable<WritableEvent['_attachments']> = {};
  for (const [name, a] of Object.entries(event._attachments))
    atts[name] = { ...a, digest: attachmentDigest(new Uint8Array(await a.data.arrayBuffer())) };
  return { ...event, _attachments: atts };
}

/**
 * An event made from the device document it is written with: a registration takes its number from
 * the device's counter, in the transaction that writes the event (the counter as it moves).
 */
export type MadeWithDevice<D> = (device: DeviceDoc) => { event: D; device: DeviceDoc };

/**
 * Writes an event as the next link of this device's audit chain (shared/audit). The head lives in
 * the device document and is written in the same IndexedDB transaction as the event, so a crash
 * leaves both or neither: the next append always links to the last event written, never forks.
 * `check` sees the linked document before anything is written (the server's rules).
 */
export async function writeChained<D extends WritableEvent>(
  office: OfficeDb,
  event: D | MadeWithDevice<D>,
  check: (doc: D) => void,
): Promise<D> {
  const given = typeof event === 'function' ? null : await withDigests(event);
  return office.writeWithDevice(async (current) => {
    const made = given ? { event: given, device: current } : (event as MadeWithDevice<D>)(current);
    const digested = given ?? (await withDigests(made.event));
    const { doc, head } = linkEvent(digested as unknown as RawDoc, made.device.chain ?? null);
    const linked = doc as unknown as D;
    check(linked);
    return { doc: linked, device: { ...made.device, chain: head } };
  });
}

/** This desk's own chain head, which vouches for its last event in an integrity check. */
export async function ownHeads(db: PouchDB.Database): Promise<Record<string, ChainHead>> {
  try {
    const d = await db.get<DeviceDoc>(DEVICE_DOC_ID);
    return d.chain ? { [d.deviceId]: d.chain } : {};
  } catch {
    return {};
  }
}
