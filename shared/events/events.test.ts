import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOfficeDoc } from '../couch/validateDocUpdate';
import { validationRulesFromKinds } from '../couch/rules';
import { contentDigest } from './contentDigest';
import { compareEvents, contentEventId, KIND_ROLES, makeEvent, parseEvent } from './event';
import { compareHlc, formatHlc, parseHlc, receiveHlc, tickHlc, type Hlc } from './hlc';
import {
  formatOutgoingNumber,
  formatRegNumber,
  legacyEventId,
  newAppId,
  parseEventId,
  parseOutgoingNumber,
  highestNumbers,
  parseRegNumber,
} from './ids';

const T0 = Date.UTC(2026, 2, 19, 5, 0); // Thu 19 March 2026, 10:00 in Kazakhstan

/** A changed event under the id its new content gives it (so the check under test is reached). */
const reId = <D extends { appId: string; hlc: string; device: string }>(doc: D): D => ({
  ...doc,
  _id: contentEventId(doc),
});

describe('hybrid logical clock', () => {
  it('formats as sortable text and parses back', () => {
    const h = { wall: T0, counter: 7 };
    expect(formatHlc(h)).toBe(`00${T0}-0007`);
    expect(parseHlc(formatHlc(h))).toEqual(h);
    expect(parseHlc('nonsense')).toBeNull();
  });

  it('never goes backwards when the wall clock jumps back, and text order follows clock order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -3_600_000, max: 3_600_000 }), { minLength: 1, maxLength: 60 }),
        (jumps) => {
          let now = T0;
          let last: Hlc | null = null;
          for (const j of jumps) {
            now += j;
            const next = tickHlc(last, now);
            if (last) {
              expect(compareHlc(next, last)).toBeGreaterThan(0);
              expect(formatHlc(next) > formatHlc(last)).toBe(true);
            }
            last = next;
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('after receiving a peer reading ahead of the local clock, local events sort after it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 86_400_000 }),
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: -86_400_000, max: 86_400_000 }),
        (ahead, counter, skew) => {
          const local = tickHlc(null, T0);
          const remote = { wall: T0 + ahead, counter };
          const merged = receiveHlc(local, remote, T0 + skew);
          expect(compareHlc(merged, remote)).toBeGreaterThan(0);
          expect(compareHlc(merged, local)).toBeGreaterThan(0);
          expect(compareHlc(tickHlc(merged, T0 + skew), merged)).toBeGreaterThan(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps the counter in its four digits by borrowing the next millisecond', () => {
    const h = tickHlc({ wall: T0, counter: 9999 }, T0);
    expect(h).toEqual({ wall: T0 + 1, counter: 0 });
  });
});

describe('identifiers', () => {
  it('registration numbers are office-desk-sequence, and parse back', () => {
    expect(formatRegNumber('ALM01', 'D02', 42)).toBe('ALM01-D02-000042');
    expect(parseRegNumber(' alm01-d02-000042 ')).toEqual({ office: 'ALM01', desk: 'D02', sequence: 42 });
    expect(() => formatRegNumber('ALM01', 'D02', 0)).toThrow();
    expect(() => formatRegNumber('alm 01', 'D02', 1)).toThrow();
  });

  it('outgoing numbers are office-desk/sequence, parse back, and are never read as registration numbers', () => {
    expect(formatOutgoingNumber('ALM01', 'D02', 347)).toBe('ALM01-D02/000347');
    expect(formatOutgoingNumber('ALM01', 'D02', 1_234_567)).toBe('ALM01-D02/1234567');
    expect(parseOutgoingNumber(' alm01-d02/000347 ')).toEqual({ office: 'ALM01', desk: 'D02', sequence: 347 });
    expect(parseOutgoingNumber('ALM01-D02-000347')).toBeNull();
    expect(parseRegNumber('ALM01-D02/000347')).toBeNull();
    expect(() => formatOutgoingNumber('ALM01', 'D02', 0)).toThrow();
    expect(() => formatOutgoingNumber('ALM01', 'D02', 1.5)).toThrow();
    expect(() => formatOutgoingNumber('ALM01', 'd 2', 1)).toThrow();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(parseOutgoingNumber(formatOutgoingNumber('KRS01', 'D9', n))?.sequence).toBe(n);
      }),
    );
  });

  it('application ids made on two desks at the same instant differ, and on one desk never repeat', () => {
    const a = newAppId('D1', { wall: T0, counter: 0 });
    const b = newAppId('D2', { wall: T0, counter: 0 });
    const c = newAppId('D1', { wall: T0, counter: 1 });
    expect(new Set([a, b, c]).size).toBe(3);
    expect(a).toMatch(/^A[A-Z0-9]+D1$/);
  });

  it('an event id names its application, clock and device', () => {
    const e = makeEvent({
      kind: 'withdrawn',
      appId: 'A1',
      office: 'ALM01',
      device: 'D1',
      clock: { wall: T0, counter: 0 },
      now: T0,
      actor: { login: 'aigerim', role: 'clerk' },
      payload: {},
    });
    expect(parseEventId(e._id)).toEqual({ appId: 'A1', hlc: e.hlc, device: 'D1', digest: contentDigest(e) });
    expect(parseEventId(legacyEventId('A1', e.hlc, 'D1'))).toEqual({
      appId: 'A1',
      hlc: e.hlc,
      device: 'D1',
      digest: null,
    });
    expect(parseEventId(`${e._id}:x`)).toBeNull();
  });
});

describe('the numbers a desk code has given out', () => {
  it('takes the highest registration and outgoing sequence of that office and desk, numerically', () => {
    const given = [
      'ALM01-D01-000009',
      'ALM01-D01-000010',
      'ALM01-D01/000004',
      'ALM01-D02-000500',
      'KZO01-D01-000700',
      'ALM01-D01-1000000',
      'not a number',
    ];
    expect(highestNumbers(given, 'ALM01', 'D01')).toEqual({ sequence: 1_000_000, outgoing: 4 });
    expect(highestNumbers(given, 'ALM01', 'D03')).toEqual({ sequence: 0, outgoing: 0 });
    expect(highestNumbers([], 'ALM01', 'D01')).toEqual({ sequence: 0, outgoing: 0 });
  });
});

describe('event documents', () => {
  const base = {
    appId: 'A1',
    office: 'ALM01',
    device: 'D1',
    clock: { wall: T0, counter: 0 },
    now: T0,
  };

  it('a payload that does not fit its kind is refused before anything is written', () => {
    expect(() =>
      makeEvent({
        ...base,
        kind: 'resolution',
        actor: { login: 'head1', role: 'head' },
        // @ts-expect-error: the executor is required
        payload: { stepId: 's3', executorName: 'X' },
      }),
    ).toThrow();
  });

  it('parses what it makes, and refuses a forged id, a wrong role and a bad payload', () => {
    const e = makeEvent({
      ...base,
      kind: 'signed',
      actor: { login: 'head1', role: 'head' },
      payload: { stepId: 's5' },
    });
    expect(parseEvent(JSON.parse(JSON.stringify(e)))).toEqual({ ok: true, event: e });
    expect(parseEvent({ ...e, _id: 'evt:A2:x:D1' })).toEqual({ ok: false, problem: 'event.badId' });
    // Other content under the id: a forged revision.
    expect(parseEvent({ ...e, payload: { stepId: 's6' } })).toEqual({ ok: false, problem: 'event.contentMismatch' });
    // A legacy id names no content: still read (events written before the digest).
    const legacy = { ...e, _id: legacyEventId(e.appId, e.hlc, e.device) };
    expect(parseEvent(legacy)).toEqual({ ok: true, event: legacy });
    expect(parseEvent(reId({ ...e, actor: { login: 'c', role: 'clerk' } }))).toEqual({
      ok: false,
      problem: 'event.roleNotAllowed',
    });
    expect(parseEvent(reId({ ...e, payload: { stepId: 5 } }))).toEqual({ ok: false, problem: 'event.payload' });
    expect(parseEvent(null)).toEqual({ ok: false, problem: 'event.shape' });
  });

  it('the server-side validator accepts the same events the client makes, with the role table', () => {
    const rules = validationRulesFromKinds(KIND_ROLES);
    const e = makeEvent({
      ...base,
      kind: 'signed',
      actor: { login: 'head1', role: 'head' },
      payload: { stepId: 's5' },
    });
    const user = { db: 'office_alm01', name: 'head1', roles: ['head', 'office:ALM01'] };
    expect(() => checkOfficeDoc(e as unknown as Record<string, unknown>, null, user, null, rules)).not.toThrow();
    const clerk = reId({ ...e, actor: { login: 'c1', role: 'clerk' } });
    expect(() =>
      checkOfficeDoc(
        clerk as unknown as Record<string, unknown>,
        null,
        { ...user, name: 'c1', roles: ['clerk', 'office:ALM01'] },
        null,
        rules,
      ),
    ).toThrow(expect.objectContaining({ forbidden: 'event.roleNotAllowed' }) as Error);
  });

  it('an outgoing number and an extension travel in the payload; the server accepts them, the parser checks them', () => {
    const rules = validationRulesFromKinds(KIND_ROLES);
    const issued = makeEvent({
      ...base,
      kind: 'issued',
      actor: { login: 'c1', role: 'clerk' },
      payload: { stepId: 's10', mode: 'mail', tracking: 'RR1KZ', outgoingNumber: 'ALM01-D01/000347' },
    });
    const extended = makeEvent({
      ...base,
      kind: 'deadline_extended',
      actor: { login: 'e1', role: 'executor' },
      payload: { stepId: 's3', extensionId: 'insufficient-documents', reason: ' Сұрау салынды ' },
    });
    expect(extended.payload.reason).toBe('Сұрау салынды');
    for (const e of [issued, extended]) {
      expect(parseEvent(JSON.parse(JSON.stringify(e)))).toEqual({ ok: true, event: e });
      const user = { db: 'office_alm01', name: e.actor.login, roles: [e.actor.role, 'office:ALM01'] };
      expect(() => checkOfficeDoc(e as unknown as Record<string, unknown>, null, user, null, rules)).not.toThrow();
    }
    // A registration number is not an outgoing number; an empty reason is no reason.
    expect(parseEvent(reId({ ...issued, payload: { ...issued.payload, outgoingNumber: 'ALM01-D01-000347' } }))).toEqual(
      {
        ok: false,
        problem: 'event.payload',
      },
    );
    expect(parseEvent(reId({ ...extended, payload: { ...extended.payload, reason: '  ' } }))).toEqual({
      ok: false,
      problem: 'event.payload',
    });
    expect(parseEvent(reId({ ...extended, actor: { login: 'x', role: 'supervisor' } }))).toEqual({
      ok: false,
      problem: 'event.roleNotAllowed',
    });
  });

  it('orders by clock, then device, the same on every replica', () => {
    const xs = [
      { hlc: '2', device: 'B' },
      { hlc: '1', device: 'Z' },
      { hlc: '2', device: 'A' },
    ];
    expect([...xs].sort(compareEvents)).toEqual([xs[1], xs[2], xs[0]]);
  });
});
