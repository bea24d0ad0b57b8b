import { chainLinkSchema, verifiesId, type ChainLink } from '../events/event';
import { parseEventId } from '../events/ids';
import { eventHash, type ChainHead, type RawDoc } from './chain';

/**
 * The integrity check over all events of a replica, in any order: per device, its chain from
 * position 1 to its last event, link by link.
 *
 * What it catches: an edited event (the next event's `prev` no longer matches its hash), a deleted
 * one (a gap in the positions), an inserted one (a second event at a position, an event past the
 * device's known head, an event without a link written after the device's chain began). What it
 * cannot catch from the events alone: an edit or a removal of a device's LAST event, or an event
 * appended after it with a correct link, since nothing follows to vouch for it. The device that
 * wrote the chain knows its head (`heads`), which closes that gap on that device; see docs/audit.md.
 */

export type FindingKind = 'edited' | 'deleted' | 'inserted' | 'malformed';

export type FindingReason =
  /** The next event's link does not match this event's content. */
  | 'hashMismatch'
  /** The event's content does not match the head its device recorded. */
  | 'headMismatch'
  /** A stored revision later than the first: events are written once. */
  | 'revised'
  /** Positions missing between two events of the chain. */
  | 'gap'
  /** Positions missing after the last event, up to the head the device recorded. */
  | 'tailMissing'
  /** More than one event at one position (a fork or a forgery). */
  | 'duplicatePosition'
  /** An event past the head its device recorded. */
  | 'beyondHead'
  /** An event without a link, from a device whose chain had already begun. */
  | 'unchainedAfterStart'
  /** The first event of a chain names a previous one, or the link is not a valid link. */
  | 'badLink'
  /** A revision whose content is not the one the event's id names: forged under the id. */
  | 'contentMismatch'
  /** A legacy id (no digest) with revisions of different content: one of them is forged. */
  | 'conflictingRevision';

export interface Finding {
  kind: FindingKind;
  reason: FindingReason;
  device: string;
  /** The positions concerned (a range for a gap), when known. */
  seqFrom: number | null;
  seqTo: number | null;
  /** The events at fault (for a deletion: none, they are gone). */
  eventIds: string[];
  /** For a deletion: the events on either side of the gap. */
  around: string[];
}

export type EventAuditStatus = 'ok' | 'beforeChain' | 'tampered';

export interface DeviceReport {
  device: string;
  /** ok: an unbroken chain; beforeChain: only events written before the chain existed. */
  status: 'ok' | 'beforeChain' | 'findings';
  chained: number;
  beforeChain: number;
  lastSeq: number;
  /** Whether the device's own head was available to vouch for its last event. */
  anchored: boolean;
  findings: Finding[];
}

export interface AuditReport {
  ok: boolean;
  /** How many event documents were examined. */
  events: number;
  devices: DeviceReport[];
  findings: Finding[];
  /** Each event's verdict, by id. */
  status: Record<string, EventAuditStatus>;
}

export interface CheckOptions {
  /** Heads recorded by the devices that wrote the chains (a desk knows its own). */
  heads?: Record<string, ChainHead>;
  /** Precomputed hashes by event id (a long check hashes page by page to show progress). */
  hashes?: ReadonlyMap<string, string>;
  /**
   * The other leaf revisions (conflicts) of an event, by id. Without them, a legacy id's
   * `_conflicts` alone is reported, and a forged leaf under a digest id only when it is the one given.
   */
  leaves?: ReadonlyMap<string, RawDoc[]>;
}

interface Member {
  id: string;
  doc: RawDoc;
  link: ChainLink | null;
  hlc: string;
}

const isEventDoc = (d: RawDoc): boolean =>
  d['_deleted'] !== true && (d['type'] === 'event' || (typeof d['_id'] === 'string' && d['_id'].startsWith('evt:')));

const revGeneration = (rev: unknown): number => (typeof rev === 'string' ? Number.parseInt(rev, 10) || 0 : 0);

export function checkChains(docs: Iterable<RawDoc>, opts: CheckOptions = {}): AuditReport {
  const byDevice = new Map<string, { chained: Member[]; unchained: Member[]; malformed: Member[] }>();
  let count = 0;
  for (const doc of docs) {
    if (!isEventDoc(doc)) continue;
    count++;
    const device = typeof doc['device'] === 'string' ? doc['device'] : '?';
    const group = byDevice.get(device) ?? { chained: [], unchained: [], malformed: [] };
    byDevice.set(device, group);
    const m: Member = {
      id: String(doc['_id']),
      doc,
      link: null,
      hlc: typeof doc['hlc'] === 'string' ? doc['hlc'] : '',
    };
    if (doc['chain'] === undefined) group.unchained.push(m);
    else {
      const parsed = chainLinkSchema.safeParse(doc['chain']);
      if (parsed.success) group.chained.push({ ...m, link: parsed.data });
      else group.malformed.push(m);
    }
  }
  for (const device of Object.keys(opts.heads ?? {}))
    if (!byDevice.has(device)) byDevice.set(device, { chained: [], unchained: [], malformed: [] });

  const hashOf = (m: Member): string => opts.hashes?.get(m.id) ?? eventHash(m.doc);
  const devices: DeviceReport[] = [];
  const status: Record<string, EventAuditStatus> = {};
  for (const [device, group] of [...byDevice].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const findings: Finding[] = [];
    const add = (
      kind: FindingKind,
      reason: FindingReason,
      eventIds: string[],
      seqFrom: number | null = null,
      seqTo: number | null = seqFrom,
      around: string[] = [],
    ): void => void findings.push({ kind, reason, device, seqFrom, seqTo, eventIds, around });

    for (const m of group.malformed) add('malformed', 'badLink', [m.id]);
    for (const m of [...group.chained, ...group.unchained, ...group.malformed]) {
      if (revGeneration(m.doc['_rev']) > 1) add('edited', 'revised', [m.id]);
      // The content the id names (ARCHITECTURE §3): every leaf revision must carry it.
      const parsedId = parseEventId(m.id);
      const leaves = opts.leaves?.get(m.id) ?? [];
      if (!parsedId) continue;
      if (parsedId.digest === null) {
        const conflicts = Array.isArray(m.doc['_conflicts']) ? m.doc['_conflicts'].length : 0;
        const differing = leaves.some((l) => eventHash(l) !== hashOf(m));
        if (differing || (leaves.length === 0 && conflicts > 0)) add('edited', 'conflictingRevision', [m.id]);
      } else if ([m.doc, ...leaves].some((l) => !verifiesId(l))) add('edited', 'contentMismatch', [m.id]);
    }

    // Positions: one event each, normally.
    const atSeq = new Map<number, Member[]>();
    for (const m of group.chained) {
      const seq = m.link?.seq ?? 0;
      atSeq.set(seq, [...(atSeq.get(seq) ?? []), m]);
    }
    const hashes = new Map<string, string>();
    for (const m of group.chained) hashes.set(m.id, hashOf(m));
    let lastSeq = 0;
    for (const seq of atSeq.keys()) if (seq > lastSeq) lastSeq = seq; // no spread: chains run to 10⁵ events
    /** The event that holds each position: the one the next event vouches for, when there are several. */
    const holder = new Map<number, Member | null>();
    for (const [seq, ms] of atSeq) {
      if (ms.length === 1) {
        holder.set(seq, ms[0] ?? null);
        continue;
      }
      const next = atSeq.get(seq + 1);
      const vouched = next?.length === 1 ? ms.filter((m) => hashes.get(m.id) === next[0]?.link?.prev) : [];
      const genuine = vouched.length === 1 ? (vouched[0] ?? null) : null;
      holder.set(seq, genuine);
      const others = ms.filter((m) => m !== genuine).map((m) => m.id);
      add('inserted', 'duplicatePosition', others, seq);
    }

    // Gaps and links, position by position.
    let gapFrom: number | null = null;
    for (let seq = 1; seq <= lastSeq; seq++) {
      if (!atSeq.has(seq)) {
        gapFrom ??= seq;
        continue;
      }
      if (gapFrom !== null) {
        const before = holder.get(gapFrom - 1);
        const after = holder.get(seq);
        add(
          'deleted',
          'gap',
          [],
          gapFrom,
          seq - 1,
          [before?.id, after?.id].filter((x): x is string => !!x),
        );
        gapFrom = null;
      }
      const m = holder.get(seq);
      if (!m?.link) continue;
      if (seq === 1) {
        if (m.link.prev !== null) add('malformed', 'badLink', [m.id], seq);
        continue;
      }
      const prev = holder.get(seq - 1);
      if (prev && hashes.get(prev.id) !== m.link.prev) add('edited', 'hashMismatch', [prev.id], seq - 1);
    }

    // The device's own head vouches for its last event.
    const head = opts.heads?.[device];
    if (head) {
      for (const [seq, ms] of atSeq)
        if (seq > head.seq)
          add(
            'inserted',
            'beyondHead',
            ms.map((m) => m.id),
            seq,
          );
      if (lastSeq < head.seq)
        add(
          'deleted',
          'tailMissing',
          [],
          lastSeq + 1,
          head.seq,
          holder.get(lastSeq)?.id ? [holder.get(lastSeq)?.id ?? ''] : [],
        );
      const atHead = holder.get(head.seq);
      if (atHead && hashes.get(atHead.id) !== head.hash) add('edited', 'headMismatch', [atHead.id], head.seq);
    }

    // Events without a link: written before the chain began, or slipped in after.
    const start = group.chained.reduce<string | null>((min, m) => (min === null || m.hlc < min ? m.hlc : min), null);
    let before = 0;
    for (const m of group.unchained) {
      if (start !== null && m.hlc >= start) add('inserted', 'unchainedAfterStart', [m.id]);
      else before++;
    }

    const tampered = new Set(findings.flatMap((f) => f.eventIds));
    for (const m of group.unchained) status[m.id] = tampered.has(m.id) ? 'tampered' : 'beforeChain';
    for (const m of [...group.chained, ...group.malformed]) status[m.id] = tampered.has(m.id) ? 'tampered' : 'ok';
    devices.push({
      device,
      status: findings.length > 0 ? 'findings' : group.chained.length === 0 && !head ? 'beforeChain' : 'ok',
      chained: group.chained.length,
      beforeChain: before,
      lastSeq,
      anchored: !!head,
      findings,
    });
  }
  const findings = devices.flatMap((d) => d.findings);
  return { ok: findings.length === 0, events: count, devices, findings, status };
}
