import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '@shared/catalogue';
import { testPermitService } from '../../../tests/fixtures/testService';
import type { ApplicationRow, JournalRow } from '../../data/store/readModel';
import { journalTable } from './journal';
import { applicationRow } from '../../../tests/fixtures/applicationRow';

// The translation function echoes keys: the test reads which texts were chosen.
const t = ((key: string) => key) as unknown as TFunction;
const catalogue = loadCatalogue([testPermitService]);
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 23, 6, 0);

function app(over: Partial<ApplicationRow>): ApplicationRow {
  // Projected when nothing was late yet: the stored flag (overdue 0) is frozen at that moment.
  return applicationRow({ registeredAt: NOW - 30 * DAY, updatedAt: NOW - 30 * DAY, ...over });
}

const entry: JournalRow = {
  id: 'e1',
  appId: 'a1',
  journal: 'registration',
  at: NOW - 30 * DAY,
  regNumber: 'ALM01-D01-000001',
  number: 'ALM01-D01-000001',
  data: new Uint8Array(0),
};
const opened = { applicant: 'X', applicantKey: '1', channel: null };

const status = (a: ApplicationRow, now: number): string =>
  journalTable('registration', [{ entry, data: opened, app: a }], catalogue, 'kk', t, now).rows[0]?.[8] ?? '';

describe('registration journal: lateness as of now', () => {
  it('an open case past its due date reads overdue, though its stored flag was set before that', () => {
    expect(status(app({ dueAt: NOW - DAY }), NOW)).toContain('applications:overdue');
    // Its step's deadline counts too.
    expect(status(app({ dueAt: NOW + DAY, stepDueAt: NOW - 1 }), NOW)).toContain('applications:overdue');
  });

  it('an open case not yet due does not, whatever the stored flag says', () => {
    expect(status(app({ dueAt: NOW + DAY }), NOW)).not.toContain('applications:overdue');
    expect(status(app({ dueAt: NOW + DAY, overdue: 1 }), NOW)).not.toContain('applications:overdue');
  });

  it('a closed case keeps its flag: it closed late or on time, whenever the journal is printed', () => {
    const closedLate = app({ status: 'closed', role: null, dueAt: NOW - 5 * DAY, closedAt: NOW - DAY, overdue: 1 });
    expect(status(closedLate, NOW)).toContain('applications:overdue');
    const onTime = app({ status: 'closed', role: null, dueAt: NOW - 5 * DAY, closedAt: NOW - 6 * DAY });
    expect(status(onTime, NOW)).not.toContain('applications:overdue');
  });
});
