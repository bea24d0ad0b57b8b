/**
 * Keeps a desk whose IndexedDB was wiped from handing out registration or outgoing numbers it has
 * already used. Chromium can wipe a crashed desk's IndexedDB; the device document's counters go
 * with it, and the floor taken from the office's events (Desk.registrationFloor) covers only the
 * events that are back. Until a pull from a server has completed, a number may already be in use
 * on the server — so numbering is held.
 *
 * How the wipe is recognised: the desk remembers, in localStorage (a store Chromium keeps apart
 * from IndexedDB), its device id and the highest numbers it reserved. A device document with
 * another id or lower counters, while the office database shows fewer of this desk's numbers than
 * remembered, is a wiped desk.
 *
 * Offline, the head or the clerk may override the hold: numbering then jumps SKIP_MARGIN past the
 * remembered numbers. localStorage is written at once but reaches the disk a few seconds later, so
 * a crash can lose the last few reservations from it; a hundred numbers is far more than a desk
 * registers in that window. A gap in the journal is acceptable (it is explained by the skip); a
 * number given twice is not.
 */

export const SKIP_MARGIN = 100;

export interface NumberMemory {
  /** The device document's id when last seen: a new one means the device document was lost. */
  deviceId: string;
  /** The highest registration and outgoing sequences this desk reserved. */
  sequence: number;
  outgoing: number;
  /** Set when a wipe was seen; cleared by a completed pull or the override. */
  held: boolean;
}

/** Where the memory lives: localStorage in the app, a map in tests. */
export interface NumberMemoryStore {
  get(key: string): NumberMemory | null;
  set(key: string, value: NumberMemory): void;
}

const isMemory = (v: unknown): v is NumberMemory => {
  const m = v as Partial<NumberMemory> | null;
  return (
    typeof m?.deviceId === 'string' &&
    Number.isSafeInteger(m.sequence) &&
    Number.isSafeInteger(m.outgoing) &&
    typeof m.held === 'boolean'
  );
};

export const localNumberMemory: NumberMemoryStore = {
  get: (key) => {
    try {
      const v: unknown = JSON.parse(localStorage.getItem(key) ?? 'null');
      return isMemory(v) ? v : null;
    } catch {
      return null;
    }
  },
  set: (key, value) => {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // A full localStorage leaves the guard as it was: the device document still numbers safely.
    }
  },
};

export const numberMemoryKey = (dbName: string, desk: string): string => `kense.numbers.${dbName}.${desk}`;

export type HoldState = 'none' | 'held';

/** The desk's side of the guard: what it remembers, whether numbering is held, and who to tell. */
export class NumberGuard {
  private listeners = new Set<() => void>();

  private constructor(
    private readonly store: NumberMemoryStore,
    private readonly key: string,
    private memory: NumberMemory,
  ) {}

  /**
   * Compares the device document with what the desk remembers. `localFloors` are the highest of
   * this desk's numbers the office database holds now (after projecting it).
   */
  static check(
    store: NumberMemoryStore,
    key: string,
    device: { deviceId: string; sequence: number; outgoingSequence?: number },
    localFloors: { sequence: number; outgoing: number },
  ): NumberGuard {
    const seen = store.get(key);
    const counters = { sequence: device.sequence, outgoing: device.outgoingSequence ?? 0 };
    let memory: NumberMemory;
    if (!seen) memory = { deviceId: device.deviceId, ...counters, held: false };
    else {
      const lost =
        seen.deviceId !== device.deviceId || counters.sequence < seen.sequence || counters.outgoing < seen.outgoing;
      // Events that came back with the device document gone (or a partial loss) may already
      // cover every remembered number: then the floors alone are enough.
      const uncovered = localFloors.sequence < seen.sequence || localFloors.outgoing < seen.outgoing;
      memory = {
        deviceId: device.deviceId,
        sequence: Math.max(seen.sequence, counters.sequence),
        outgoing: Math.max(seen.outgoing, counters.outgoing),
        held: seen.held || (lost && uncovered),
      };
    }
    store.set(key, memory);
    return new NumberGuard(store, key, memory);
  }

  /**
   * A first download is reading which numbers the server's events gave out (Desk.coverNumbers):
   * until then a desk taking over a desk code could repeat one. Not remembered: a restart asks again.
   */
  private awaitingServer = false;

  get held(): boolean {
    return this.memory.held || this.awaitingServer;
  }

  /** Why numbering is held: a wiped desk, or a new one waiting to learn the server's numbers. */
  get heldFor(): 'wiped' | 'serverNumbers' | null {
    return this.memory.held ? 'wiped' : this.awaitingServer ? 'serverNumbers' : null;
  }

  /** Holds numbering until `serverNumbersKnown` (or a completed pull, or the offline override). */
  awaitServerNumbers(): void {
    this.setAwaiting(true);
  }

  serverNumbersKnown(): void {
    this.setAwaiting(false);
  }

  private setAwaiting(on: boolean): void {
    if (this.awaitingServer === on) return;
    this.awaitingServer = on;
    this.notify();
  }

  /** The remembered numbers, a floor for the next ones. */
  get floors(): { sequence: number; outgoing: number } {
    return { sequence: this.memory.sequence, outgoing: this.memory.outgoing };
  }

  /** Called once a number is reserved: remembered before it is used. */
  reserved(kind: 'sequence' | 'outgoing', n: number): void {
    this.save({ ...this.memory, [kind]: Math.max(this.memory[kind], n) });
  }

  /** A pull from a server completed: the office's events now show every number the server has. */
  resynced(): void {
    this.setAwaiting(false);
    if (this.memory.held) this.save({ ...this.memory, held: false });
  }

  /** The offline override: numbering resumes SKIP_MARGIN past the remembered numbers. */
  skipAhead(): void {
    if (!this.held) return;
    this.save({
      ...this.memory,
      sequence: this.memory.sequence + SKIP_MARGIN,
      outgoing: this.memory.outgoing + SKIP_MARGIN,
      held: false,
    });
    this.setAwaiting(false);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private save(next: NumberMemory): void {
    const before = this.held;
    this.memory = next;
    this.store.set(this.key, next);
    if (before !== this.held) this.notify();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
