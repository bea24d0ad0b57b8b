/**
 * Identifier conventions, shared with the CouchDB design documents (shared/couch).
 *
 * - An event's `_id` is `evt:<appId>:<hlc>:<device>`: all events of one application sort together
 *   and in clock order, so one range read returns an application's history.
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

export function eventId(appId: string, hlc: string, device: string): string {
  return `evt:${appId}:${hlc}:${device}`;
}

export function parseEventId(id: string): { appId: string; hlc: string; device: string } | null {
  const m = /^evt:([^:]+):([^:]+):([^:]+)$/.exec(id);
  if (!m?.[1] || !m[2] || !m[3]) return null;
  return { appId: m[1], hlc: m[2], device: m[3] };
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
