import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applicantHistory,
  applicationById,
  applicationsWithStatus,
  frequentServices,
  hasNoApplications,
  journalEntries,
  staffCount,
} from './queries';
import { openReadModel, type ApplicationRow, type JournalRow, type ReadModel } from '../store/readModel';

/*
 * The facade's queries over the read model (real IndexedDB in Chromium): what the reception, the
 * journals, the visits planner and the card read through them, which they read from Dexie before.
 */
const models: ReadModel[] = [];
afterEach(async () => {
  for (const m of models.splice(0)) {
    m.close();
    await Dexie.delete(m.name);
  }
});

function freshModel(): { model: ReadModel } {
  const model = openReadModel(`queries_${Math.random().toString(36).slice(2, 8)}`);
  models.push(model);
  return { model };
}

const row = (appId: string, over: Partial<ApplicationRow> = {}): ApplicationRow => ({
  appId,
  office: 'KZ-ALM-01',
  regNumber: `KZ-ALM-01-D1-${appId}`,
  serviceId: 'svc.a',
  serviceVersion: '1',
  variantId: 'v',
  channel: 'in_person',
  status: 'in_progress',
  stepId: null,
  stepKind: null,
  role: null,
  assignee: null,
  stepDueAt: null,
  dueAt: null,
  overdue: 0,
  atRisk: 0,
  applicantKey: null,
  personal: new Uint8Array(),
  registeredAt: 1_000,
  updatedAt: 1_000,
  eventCount: 1,
  outcome: null,
  closedAt: null,
  superseded: 0,
  ...over,
});

const entry = (id: string, appId: string, journal: JournalRow['journal'], at: number): JournalRow => ({
  id,
  appId,
  journal,
  at,
  regNumber: null,
  number: null,
  data: new Uint8Array(),
});

describe('the facade’s read-model queries', () => {
  it('an empty desk says so; one row and it does not', async () => {
    const desk = freshModel();
    expect(await hasNoApplications(desk)).toBe(true);
    expect(await staffCount(desk)).toBe(0);
    await desk.model.applications.put(row('a1'));
    expect(await hasNoApplications(desk)).toBe(false);
    expect((await applicationById(desk, 'a1'))?.regNumber).toBe('KZ-ALM-01-D1-a1');
    expect(await applicationById(desk, 'nope')).toBeUndefined();
  });

  it('an applicant’s history is theirs only, newest first; a status lists its applications only', async () => {
    const desk = freshModel();
    await desk.model.applications.bulkPut([
      row('old', { applicantKey: 'tok1', registeredAt: 1_000 }),
      row('new', { applicantKey: 'tok1', registeredAt: 3_000 }),
      row('mid', { applicantKey: 'tok1', registeredAt: 2_000, status: 'closed' }),
      row('other', { applicantKey: 'tok2', registeredAt: 4_000 }),
    ]);
    expect((await applicantHistory(desk, 'tok1')).map((r) => r.appId)).toEqual(['new', 'mid', 'old']);
    expect((await applicationsWithStatus(desk, 'in_progress')).map((r) => r.appId).sort()).toEqual([
      'new',
      'old',
      'other',
    ]);
  });

  it('frequent services are counted over the most recent registrations only', async () => {
    const desk = freshModel();
    await desk.model.applications.bulkPut([
      // Long ago, svc.old was the most frequent: outside the window of the 3 most recent.
      ...['o1', 'o2', 'o3'].map((id, i) => row(id, { serviceId: 'svc.old', registeredAt: 100 + i })),
      row('r1', { serviceId: 'svc.b', registeredAt: 1_000 }),
      row('r2', { serviceId: 'svc.a', registeredAt: 1_001 }),
      row('r3', { serviceId: 'svc.a', registeredAt: 1_002 }),
    ]);
    expect(await frequentServices(desk, 3)).toEqual(['svc.a', 'svc.b']);
    expect((await frequentServices(desk))[0]).toBe('svc.old');
  });

  it('journal entries: one journal, [start, end), oldest first, each with its application', async () => {
    const desk = freshModel();
    await desk.model.applications.bulkPut([row('a1'), row('a2')]);
    await desk.model.journal.bulkPut([
      entry('e3', 'a2', 'registration', 300),
      entry('e1', 'a1', 'registration', 100),
      entry('e2', 'gone', 'registration', 200),
      entry('e4', 'a1', 'registration', 400), // at the end: excluded
      entry('o1', 'a1', 'outgoing', 150), // another journal
    ]);
    const { entries, apps } = await journalEntries(desk, 'registration', 100, 400);
    expect(entries.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
    expect([...apps.keys()].sort()).toEqual(['a1', 'a2']);
  });
});
