import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOfficeDoc } from '../couch/validateDocUpdate';
import { validationRulesFromKinds } from '../couch/rules';
import { KIND_ROLES, makeEvent, parseEvent, chainLinkSchema, contentEventId, eventDigest } from '../events/event';
import { legacyEventId } from '../events/ids';
import { canonicalJson, eventHash, linkEvent, type ChainHead, type RawDoc } from './chain';
import { checkChains } from './check';
import { attachmentDigest, md5, sha256Hex, toBase64, utf8, fromBase64 } from './digest';

describe('digests (pure, checked against Node crypto)', () => {
  it('SHA-256, MD5, UTF-8 and base64 agree with Node for any input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 80 }), (bytes, text) => {
        expect(sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
        expect(toBase64(md5(bytes))).toBe(createHash('md5').update(bytes).digest('base64'));
        // A view into a larger buffer hashes its own bytes only.
        expect(toBase64(md5(bytes.subarray(1, -1)))).toBe(
          createHash('md5').update(bytes.subarray(1, -1)).digest('base64'),
        );
        expect(Buffer.from(utf8(text)).equals(Buffer.from(text, 'utf8'))).toBe(true);
        expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
        expect(Buffer.from(fromBase64(toBase64(bytes))).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(sha256Hex(utf8('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(attachmentDigest(utf8('hello'))).toBe('md5-XUFAKrxLKna5cZ2REBfFkg==');
  });

  it('canonical JSON sorts keys, drops undefined members and refuses what JSON cannot carry', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'қ'], c: undefined })).toBe('{"a":[true,null,"қ"],"b":1}');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
    const a = { x: { z: 1, y: 2 }, w: 'v' };
    const b = { w: 'v', x: { y: 2, z: 1 } };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });
});

const T0 = Date.UTC(2026, 2, 19, 5, 0);

/** Raw event documents of several devices, each chained as a desk writes them. */
function buildChains(lengths: number[], legacy = 0): { docs: RawDoc[]; heads: Record<string, ChainHead> } {
  const docs: RawDoc[] = [];
  const heads: Record<string, ChainHead> = {};
  lengths.forEach((n, d) => {
    const device = `D${d + 1}`;
    let head: ChainHead | null = null;
    for (let i = 0; i < legacy + n; i++) {
      const e = makeEvent({
        kind: 'step_done',
        appId: `A${(i % 3) + 1}`,
        office: 'ALM01',
        device,
        clock: { wall: T0 + i * 1000, counter: 0 },
        now: T0 + i * 1000,
        actor: { login: `user${i % 2}`, role: 'executor' },
        payload: { stepId: 's4', outcome: 'done', note: `шаг ${i}` },
      }) as unknown as RawDoc;
      if (i < legacy) {
        docs.push({ ...e, _rev: '1-aaa' });
        continue;
      }
      const linked: { doc: RawDoc; head: ChainHead } = linkEvent(e, head);
      head = linked.head;
      docs.push({ ...linked.doc, _rev: `1-${i}` });
    }
    if (head) heads[device] = head;
  });
  return { docs, heads };
}

const lengths = fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 3 });

/** Positions in the docs array of each device's last chained event. */
function lastOfDevice(docs: RawDoc[]): Set<number> {
  const last = new Map<string, number>();
  docs.forEach((d, i) => {
    if (d['chain']) last.set(String(d['device']), i);
  });
  return new Set(last.values());
}

const edits: ((d: RawDoc) => RawDoc)[] = [
  (d) => ({
    ...d,
    payload: { ...(d['payload'] as object), note: `${String((d['payload'] as { note: string }).note)}!` },
  }),
  (d) => ({ ...d, actor: { login: 'intruder', role: 'executor' } }),
  (d) => ({ ...d, at: new Date(Date.parse(String(d['at'])) + 60_000).toISOString() }),
  (d) => ({ ...d, extra: 'x' }),
  (d) => {
    const { kind: _k, ...rest } = d;
    return rest;
  },
  (d) => ({ ...d, chain: { seq: (d['chain'] as { seq: number }).seq, prev: 'f'.repeat(64) } }),
  (d) => ({
    ...d,
    _attachments: { 'scan.png': { content_type: 'image/png', digest: 'md5-AAAAAAAAAAAAAAAAAAAAAA==' } },
  }),
];

describe('the integrity check', () => {
  it('finds nothing wrong in untouched chains, whatever order the events come in', () => {
    fc.assert(
      fc.property(lengths, fc.integer({ min: 0, max: 2 }), fc.boolean(), (ls, legacy, anchored) => {
        const { docs, heads } = buildChains(ls, legacy);
        const shuffled = [...docs].sort(() => 0).reverse();
        const r = checkChains(shuffled, anchored ? { heads } : {});
        expect(r.findings).toEqual([]);
        expect(r.ok).toBe(true);
        expect(r.devices.map((d) => d.status)).toEqual(ls.map(() => 'ok'));
        expect(Object.values(r.status).filter((s) => s === 'beforeChain')).toHaveLength(legacy * ls.length);
      }),
      { numRuns: 150 },
    );
  });

  it('reports a replica of events written before the chain as such, not as tampering', () => {
    const { docs } = buildChains([0, 0], 3);
    const r = checkChains(docs);
    expect(r.ok).toBe(true);
    expect(r.devices.map((d) => [d.status, d.beforeChain])).toEqual([
      ['beforeChain', 3],
      ['beforeChain', 3],
    ]);
  });

  it('any single edit is caught: by the next link, or for a last event by its device head', () => {
    fc.assert(
      fc.property(lengths, fc.nat(), fc.integer({ min: 0, max: edits.length - 1 }), (ls, pick, how) => {
        const { docs, heads } = buildChains(ls, 1);
        const chained = docs.map((d, i) => [d, i] as const).filter(([d]) => d['chain']);
        const [target, index] = chained[pick % chained.length]!;
        const edited = [...docs];
        edited[index] = edits[how]!(target);
        const anchored = checkChains(edited, { heads });
        expect(anchored.ok).toBe(false);
        // A changed link on a first event is malformed rather than edited; either way it is named.
        expect(anchored.findings.some((f) => f.eventIds.includes(String(target['_id'])))).toBe(true);
        expect(anchored.status[String(target['_id'])]).toBe('tampered');
        if (!lastOfDevice(docs).has(index)) expect(checkChains(edited).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('an edit stored as a new revision is caught even on the last event, with no head', () => {
    const { docs } = buildChains([3]);
    const last = docs[2]!;
    const r = checkChains([docs[0]!, docs[1]!, { ...last, _rev: '2-bbb', payload: { note: 'x' } }]);
    // Named by its revision, and by its content no longer being the one its id names.
    expect(r.findings).toMatchObject([
      { kind: 'edited', reason: 'revised', eventIds: [last['_id']] },
      { kind: 'edited', reason: 'contentMismatch', eventIds: [last['_id']] },
    ]);
  });

  it('any single deletion is caught: a gap, or for a last event the device head', () => {
    fc.assert(
      fc.property(lengths, fc.nat(), (ls, pick) => {
        const { docs, heads } = buildChains(ls);
        const index = pick % docs.length;
        const left = docs.filter((_, i) => i !== index);
        const anchored = checkChains(left, { heads });
        expect(anchored.ok).toBe(false);
        expect(anchored.findings.every((f) => f.kind === 'deleted')).toBe(true);
        const seq = (docs[index]!['chain'] as { seq: number }).seq;
        expect(anchored.findings.some((f) => f.seqFrom! <= seq && seq <= f.seqTo!)).toBe(true);
        if (!lastOfDevice(docs).has(index)) {
          const r = checkChains(left);
          expect(r.findings).toMatchObject([{ kind: 'deleted', reason: 'gap', seqFrom: seq, seqTo: seq }]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('any single insertion is caught: a taken position, a wrong link, past the head, or without a link', () => {
    fc.assert(
      fc.property(
        lengths,
        fc.nat(),
        fc.nat(),
        fc.constantFrom('forged', 'copy', 'unlinked'),
        (ls, pickDevice, pickSeq, how) => {
          const { docs, heads } = buildChains(ls);
          const device = `D${(pickDevice % ls.length) + 1}`;
          const mine = docs.filter((d) => d['device'] === device);
          const n = mine.length;
          const seq = (pickSeq % (n + 1)) + 1; // anywhere, the tail included
          const base = makeEvent({
            kind: 'withdrawn',
            appId: 'A9',
            office: 'ALM01',
            device,
            clock: { wall: T0 + 500 + pickSeq, counter: 1 },
            now: T0,
            actor: { login: 'intruder', role: 'clerk' },
            payload: { note: 'forged' },
          }) as unknown as RawDoc;
          let forged: RawDoc;
          if (how === 'unlinked') forged = base;
          else if (how === 'copy') forged = { ...mine[((pickSeq % n) + n) % n]!, _id: base['_id'], hlc: base['hlc'] };
          else {
            const prevDoc = mine[seq - 2];
            forged = { ...base, chain: seq === 1 ? { seq: 1, prev: null } : { seq, prev: eventHash(prevDoc!) } };
          }
          const withIt = [...docs, forged];
          const anchored = checkChains(withIt, { heads });
          expect(anchored.ok).toBe(false);
          expect(anchored.status[String(forged['_id'])]).toBe('tampered');
          const tail = how === 'forged' && seq === n + 1;
          if (!tail) {
            const r = checkChains(withIt);
            expect(r.ok).toBe(false);
            expect(r.findings.some((f) => f.kind === 'inserted')).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names a malformed link and a chain whose first event claims a predecessor', () => {
    const { docs } = buildChains([2]);
    const bad: RawDoc = { ...docs[1]!, chain: { seq: 0, prev: null } };
    expect(checkChains([docs[0]!, bad]).findings).toMatchObject([
      { kind: 'malformed', eventIds: [bad['_id']] },
      { kind: 'edited', reason: 'contentMismatch', eventIds: [bad['_id']] },
    ]);
  });
});

describe('the chain link is validated the same way by the client and the server', () => {
  const rules = validationRulesFromKinds(KIND_ROLES);
  const user = { db: 'office_alm01', name: 'clerk1', roles: ['clerk', 'office:ALM01'] };
  const event = makeEvent({
    kind: 'withdrawn',
    appId: 'A1',
    office: 'ALM01',
    device: 'D1',
    clock: { wall: T0, counter: 0 },
    now: T0,
    actor: { login: 'clerk1', role: 'clerk' },
    payload: {},
  });
  const server = (doc: RawDoc): boolean => {
    try {
      checkOfficeDoc(doc, null, user, null, rules);
      return true;
    } catch (e) {
      expect(e).toEqual({ forbidden: 'event.badChain' });
      return false;
    }
  };

  it('agree on random links, and parseEvent keeps a valid one', () => {
    const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
    const chainish = fc.oneof(
      fc.record({ seq: fc.integer({ min: -2, max: 5 }), prev: fc.oneof(fc.constant(null), hex64) }),
      fc.record({ seq: fc.oneof(fc.double(), fc.constant(1)), prev: fc.oneof(fc.string(), fc.constant(null)) }),
      fc.record({ seq: fc.constant(2), prev: hex64, extra: fc.string() }),
      fc.record({ seq: fc.constant(1) }),
      fc.constant(null),
      fc.constant([1, null]),
      fc.string(),
    );
    fc.assert(
      fc.property(chainish, (chain) => {
        // Under the id its content gives it, where it has one (a fraction has none).
        const chained = { ...event, chain } as unknown as RawDoc;
        const doc =
          eventDigest(chained) === null
            ? chained
            : { ...chained, _id: contentEventId(chained as unknown as typeof event) };
        const client = chainLinkSchema.safeParse(chain).success;
        expect(server(doc)).toBe(client);
        const parsed = parseEvent(doc);
        expect(parsed.ok).toBe(client);
        if (parsed.ok) expect(parsed.event.chain).toEqual(chain);
      }),
      { numRuns: 500 },
    );
    expect(server(event as unknown as RawDoc)).toBe(true);
    expect(parseEvent(event).ok).toBe(true);
  });
});

describe('forged revisions under an event id', () => {
  it('names a leaf whose content is not the one its id names, and a legacy id with differing leaves', () => {
    const { docs } = buildChains([2]);
    const [first, second] = [docs[0]!, docs[1]!];
    const forged = { ...second, _rev: `1-${'f'.repeat(32)}`, actor: { login: 'x', role: 'executor' } };
    // The genuine revision checked, the forged one given as its other leaf (a conflict).
    const r = checkChains([first, second], { leaves: new Map([[String(second['_id']), [forged]]]) });
    expect(r.findings).toMatchObject([{ kind: 'edited', reason: 'contentMismatch', eventIds: [second['_id']] }]);
    // A second leaf with the same content is no forgery.
    expect(
      checkChains([first, second], { leaves: new Map([[String(second['_id']), [{ ...second, _rev: '1-e' }]]]) }).ok,
    ).toBe(true);

    const legacy = {
      ...first,
      _id: legacyEventId(String(first['appId']), String(first['hlc']), String(first['device'])),
    };
    const other = { ...legacy, payload: { stepId: 's4', outcome: 'done', note: 'forged' } };
    const byLeaves = checkChains([legacy], { leaves: new Map([[legacy._id, [other]]]) });
    expect(byLeaves.findings).toMatchObject([
      { kind: 'edited', reason: 'conflictingRevision', eventIds: [legacy._id] },
    ]);
    // Without the leaves (an export), a legacy id's _conflicts alone is named.
    expect(checkChains([{ ...legacy, _conflicts: ['1-f'] }]).findings).toMatchObject([
      { reason: 'conflictingRevision' },
    ]);
    expect(checkChains([legacy]).ok).toBe(true);
  });
});
