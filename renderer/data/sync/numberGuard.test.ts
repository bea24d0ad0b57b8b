import { describe, expect, it } from 'vitest';
import { NumberGuard, SKIP_MARGIN, type NumberMemory, type NumberMemoryStore } from './numberGuard';

function store(): NumberMemoryStore & { map: Map<string, NumberMemory> } {
  const map = new Map<string, NumberMemory>();
  return { map, get: (k) => map.get(k) ?? null, set: (k, v) => void map.set(k, v) };
}

const none = { sequence: 0, outgoing: 0 };

describe('number guard', () => {
  it('a desk seen for the first time is not held, and remembers its counters', () => {
    const s = store();
    const g = NumberGuard.check(s, 'k', { deviceId: 'A', sequence: 7, outgoingSequence: 2 }, none);
    expect(g.held).toBe(false);
    expect(s.map.get('k')).toEqual({ deviceId: 'A', sequence: 7, outgoing: 2, held: false });
  });

  it('a new device document below the remembered numbers, with the events gone, is held', () => {
    const s = store();
    NumberGuard.check(s, 'k', { deviceId: 'A', sequence: 0 }, none).reserved('sequence', 12);
    const g = NumberGuard.check(s, 'k', { deviceId: 'B', sequence: 0 }, none);
    expect(g.held).toBe(true);
    expect(g.floors).toEqual({ sequence: 12, outgoing: 0 });
    // A restart before the re-sync keeps the hold, though the device id is now the known one.
    expect(NumberGuard.check(s, 'k', { deviceId: 'B', sequence: 0 }, none).held).toBe(true);
  });

  it('is not held when the office database still shows every remembered number', () => {
    const s = store();
    NumberGuard.check(s, 'k', { deviceId: 'A', sequence: 0 }, none).reserved('outgoing', 3);
    expect(NumberGuard.check(s, 'k', { deviceId: 'B', sequence: 0 }, { sequence: 0, outgoing: 3 }).held).toBe(false);
  });

  it('lifts on re-sync, or on the override with a margin past the remembered numbers', () => {
    const s = store();
    NumberGuard.check(s, 'k', { deviceId: 'A', sequence: 5, outgoingSequence: 4 }, none);
    const g = NumberGuard.check(s, 'k', { deviceId: 'B', sequence: 0 }, none);
    g.skipAhead();
    expect(g.held).toBe(false);
    expect(g.floors).toEqual({ sequence: 5 + SKIP_MARGIN, outgoing: 4 + SKIP_MARGIN });
    const h = NumberGuard.check(s, 'k2', { deviceId: 'A', sequence: 5 }, none);
    h.resynced();
    expect(h.held).toBe(false);
  });

  it('a new desk waits for the server’s numbers: held until told, not remembered, lifted by a pull or the override', () => {
    const s = store();
    const g = NumberGuard.check(s, 'k', { deviceId: 'A', sequence: 0 }, none);
    let told = 0;
    g.subscribe(() => told++);
    g.awaitServerNumbers();
    expect([g.held, g.heldFor, told]).toEqual([true, 'serverNumbers', 1]);
    // Not written down: a restart asks the server again rather than keeping a stale hold.
    expect(s.map.get('k')?.held).toBe(false);
    g.reserved('sequence', 24);
    g.serverNumbersKnown();
    expect([g.held, g.heldFor, told, g.floors.sequence]).toEqual([false, null, 2, 24]);

    g.awaitServerNumbers();
    g.resynced();
    expect([g.held, told]).toEqual([false, 4]);

    // Offline, the override also ends the wait, SKIP_MARGIN past the remembered numbers.
    g.awaitServerNumbers();
    g.skipAhead();
    expect([g.held, told, g.floors.sequence]).toEqual([false, 6, 24 + SKIP_MARGIN]);
  });

  it('a wiped desk that also waits for the server’s numbers says it was wiped, and stays held until both end', () => {
    const s = store();
    NumberGuard.check(s, 'k', { deviceId: 'A', sequence: 5 }, none);
    const g = NumberGuard.check(s, 'k', { deviceId: 'B', sequence: 0 }, none);
    g.awaitServerNumbers();
    expect(g.heldFor).toBe('wiped');
    g.serverNumbersKnown();
    expect(g.held).toBe(true);
    g.resynced();
    expect(g.held).toBe(false);
  });
});
