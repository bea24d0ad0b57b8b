import { DEFAULT_CALENDAR } from '../shared/calendar';
import type { ServiceDefinition } from '../shared/catalogue';
import { contentEventId, type ActorRef, type EventDoc } from '../shared/events';
import { staffDirectoryId, type StaffDirectoryEntry } from '../shared/staff';
import { drive } from '../shared/workflow/drive';

/**
 * Synthetic office data for the benchmark: applications played through their real workflows by
 * `drive` (so every event passes the same schema, rules and fold as the app's own), spread over
 * the bundled services, five desks, twenty executors and four months. Deterministic for a seed.
 */
export interface GenerateOptions {
  services: readonly ServiceDefinition[];
  apps: number;
  /** First application index (to generate in chunks). */
  from?: number;
  seed?: number;
  office?: string;
  /** Registrations fall within the `spanDays` before `now`. */
  now: number;
  spanDays?: number;
}

export const BENCH_DEVICES = ['D01', 'D02', 'D03', 'D04', 'D05'] as const;
export const BENCH_EXECUTORS = 20;
export const executorLogin = (k: number): string => `exec${String(k + 1).padStart(2, '0')}`;

/**
 * The office's staff directory for the generated data: its executors, and `exec1`, whom `drive`
 * assigns in the append-latency run (a desk refuses an executor the directory does not list).
 */
export function benchStaffDirectory(office: string, now: number): StaffDirectoryEntry[] {
  const logins = ['exec1', ...Array.from({ length: BENCH_EXECUTORS }, (_, k) => executorLogin(k))];
  return logins.map((login) => ({
    _id: staffDirectoryId(login),
    type: 'staff',
    v: 1,
    office,
    login,
    fullName: `Орындаушы ${login}`,
    roles: ['executor'],
    active: true,
    updatedAt: new Date(now).toISOString(),
  }));
}

const SURNAMES = ['Сейітов', 'Жұмабеков', 'Омарова', 'Қасымов', 'Ахметова', 'Иванов', 'Нұрланова', 'Ким'];
const NAMES = ['Нұрлан', 'Айгерім', 'Дана', 'Ерлан', 'Сәуле', 'Олег', 'Мадина', 'Бауыржан'];

/** mulberry32: a small seeded generator, so that a run is repeatable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => {
  const x = xs[Math.floor(r() * xs.length)];
  if (x === undefined) throw new Error('empty list');
  return x;
};

function digits(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(r() * 10));
  return s;
}

/** Applications `from … from+apps-1`, each as the list of its events. */
export function* generateApplications(o: GenerateOptions): Generator<EventDoc[]> {
  const office = o.office ?? 'ALM01';
  const span = (o.spanDays ?? 120) * 86_400_000;
  const from = o.from ?? 0;
  for (let i = from; i < from + o.apps; i++) {
    // One generator per application: chunks give the same data as a single pass.
    const r = rng((o.seed ?? 1) * 1_000_003 + i);
    const service = pick(r, o.services);
    const variant = pick(r, service.variants);
    const device = BENCH_DEVICES[i % BENCH_DEVICES.length] ?? 'D01';
    const sequence = Math.floor(i / BENCH_DEVICES.length) + 1;
    const appId = `A${i.toString(36).toUpperCase().padStart(6, '0')}${device}`;
    // Older applications are more likely finished; about half stop midway (still in someone's inbox).
    const start = Math.floor(o.now - r() * span);
    const full = r() < 0.5;
    const { events } = drive({
      service,
      variantId: variant.id,
      calendar: DEFAULT_CALENDAR,
      start,
      refuse: r() < 0.1,
      appId,
      office,
      device,
      maxActions: full ? undefined : Math.floor(r() * 6),
      pace: () => Math.floor(600_000 + r() * 2 * 86_400_000),
    });
    const executor = executorLogin(Math.floor(r() * BENCH_EXECUTORS));
    const person = service.recipients.includes('person');
    const regNumber = `${office}-${device}-${String(sequence).padStart(6, '0')}`;
    const mapActor = (a: ActorRef): ActorRef => (a.login === 'exec1' ? { ...a, login: executor } : a);
    // Each event under the id its changed content gives it (shared/events: the id names the digest).
    yield events.map((e) => {
      const { _id: _stale, ...content } = edited(e);
      return { ...content, _id: contentEventId(content) };
    });
    function edited(e: EventDoc): EventDoc {
      const actor = mapActor(e.actor);
      switch (e.kind) {
        case 'registered':
        case 'intake_refused':
          return {
            ...e,
            actor,
            payload: {
              ...e.payload,
              regNumber,
              applicant: person
                ? {
                    kind: 'person',
                    iin: digits(r, 12),
                    surname: pick(r, SURNAMES),
                    name: pick(r, NAMES),
                  }
                : { kind: 'legal_entity', bin: digits(r, 12), title: `«${pick(r, SURNAMES)}» ЖШС` },
            },
          } as EventDoc;
        case 'resolution':
        case 'reassigned':
          return { ...e, actor, payload: { ...e.payload, executor } } as EventDoc;
        default:
          return { ...e, actor };
      }
    }
  }
}
