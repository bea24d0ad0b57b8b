/**
 * Identifier conventions, shared with the CouchDB design documents (shared/couch).
 *
 * - An event's `_id` is `evt:<appId>:<hlc>:<device>:<digest>`: all events of one application sort
 *   together and in clock order, so one range read returns an application's history; the digest
 *   (`contentDigest`, SHA-256 of the canonical event) makes the content fix the identity, so no
 *   revision under that id can carry other content (the server's validator recomputes it).
 *   Events written before the digest existed keep the legacy form `evt:<appId>:<hlc>:<device>`;
 *   only a server admin may write that form now (docs/audit.md, "Event ids").
 * - An application id is made on the desk that registers it, with no coordination: the device id
 *   and that device's clock reading at registration, which never repeats on that device.
 * - A registration number is `<office>-<desk>-<sequence>`: the sequence is per desk, kept in a
 *   `_local` document and incremented before use, so a crash may leave a gap but never a duplicate.
 * - An outgoing number (исходящий номер / шығыс нөмірі) is `<office>-<desk>/<sequence>`: a second
 *   per-desk sequence kept the same way. The slash, as in the offices' own outgoing numbers
 *   («05-12/347»), keeps it from being mistaken for a registration number.
 */
import type { Hlc } from './hlc';

export const CODE_PATTERN = /^[A-Z0-9]{2,16}$/;

export const EVENT_ID_PREFIX = 'evt:';
export const DIGEST_PATTERN = /^[0-9a-f]{64}$/;

/** An event's id from its envelope and the digest of its content (`contentDigest`). */
export function eventId(appId: string, hlc: string, device: string, digest: string): string {
  return `${EVENT_ID_PREFIX}${appId}:${hlc}:${device}:${digest}`;
}

/** The form events had before their content fixed their id; still read, no longer written. */
export function legacyEventId(appId: string, hlc: string, device: string): string {
  return `${EVENT_ID_PREFIX}${appId}:${hlc}:${device}`;
}

/** The first and last keys of one application's events in an id-range read. */
export const appEventRange = (appId: string): { startkey: string; endkey: string } => ({
  startkey: `${EVENT_ID_PREFIX}${appId}:`,
  endkey: `${EVENT_ID_PREFIX}${appId}:\ufff0`,
});

export interface ParsedEventId {
  appId: string;
  hlc: string;
  device: string;
  /** The content digest; null for a legacy id. */
  digest: string | null;
}

export function parseEventId(id: string): ParsedEventId | null {
  const m = /^evt:([^:]+):([^:]+):([^:]+)(?::([0-9a-f]{64}))?$/.exec(id);
  if (!m?.[1] || !m[2] || !m[3]) return null;
  return { appId: m[1], hlc: m[2], device: m[3], digest: m[4] ?? null };
}

/** `A` + the clock reading in base 36 + the device: short enough to read aloud, unique offline. */
export function newAppId(device: string, clock: Hlc): string {
  if (!CODE_PATTERN.test(device)) throw new Error(`bad device code ${device}`);
  const stamp = clock.wall.toString(36).toUpperCase() + clock.counter.toString(36).toUpperCase().padStart(2, '0');
  return `A${stamp}${device}`;
}

export function formatRegNumber(office: string, desk: string, sequence: number): string {
  if (!CODE_PATTERN.test(office) || !CODE_PATTERN.test(desk)) throw new Error('office and desk are codes like ALM01');
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new Error('sequence starts at 1');
  return `${office}-${desk}-${String(sequence).padStart(6, '0')}`;
}

export function parseRegNumber(text: string): { office: string; desk: string; sequence: number } | null {
  const m = /^([A-Z0-9]{2,16})-([A-Z0-9]{2,16})-(\d{6,})$/.exec(text.trim().toUpperCase());
  if (!m?.[1] || !m[2] || !m[3]) return null;
  return { office: m[1], desk: m[2], sequence: Number(m[3]) };
}

/** The outgoing correspondence number of a letter (исходящий / шығыс нөмірі): `ALM01-D01/000347`. */
export function formatOutgoingNumber(office: string, desk: string, sequence: number): string {
  if (!CODE_PATTERN.test(office) || !CODE_PATTERN.test(desk)) throw new Error('office and desk are codes like ALM01');
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new Error('sequence starts at 1');
  return `${office}-${desk}/${String(sequence).padStart(6, '0')}`;
}

export function parseOutgoingNumber(text: string): { office: string; desk: string; sequence: number } | null {
  const m = /^([A-Z0-9]{2,16})-([A-Z0-9]{2,16})\/(\d{6,})$/.exec(text.trim().toUpperCase());
  if (!m?.[1] || !m[2] || !m[3]) return null;
  return { office: m[1], desk: m[2], sequence: Number(m[3]) };
}

/**
 * The highest registration and outgoing sequences a desk code has given out in an office, among
 * `numbers` (registration and outgoing numbers, mixed; anything else ignored): the floors a desk
 * taking over that code numbers after.
 */
export function highestNumbers(
  numbers: Iterable<string>,
  office: string,
  desk: string,
): { sequence: number; outgoing: number } {
  const out = { sequence: 0, outgoing: 0 };
  for (const n of numbers) {
    const reg = parseRegNumber(n);
    const outgoing = reg ? null : parseOutgoingNumber(n);
    const parsed = reg ?? outgoing;
    if (!parsed || parsed.office !== office || parsed.desk !== desk) continue;
    const kind = reg ? 'sequence' : 'outgoing';
    out[kind] = Math.max(out[kind], parsed.sequence);
  }
  return out;
}
