import { describe, expect, it } from 'vitest';
import { bundledCatalogue } from '@shared/catalogue';
import { applicationRow } from '../../../tests/fixtures/applicationRow';
import { addEntry, receiptWaits, removeEntry } from '../../data/read/handover';
import { myVisits } from './visits';

const catalogue = bundledCatalogue();
const homeCare = { serviceId: 'almaty-ssu-home-care', serviceVersion: '1.2', variantId: 'provider' };
const tsa = { serviceId: 'almaty-targeted-social-assistance', serviceVersion: '1.1', variantId: 'provider-or-con' };

describe('a worker’s visits (field mode)', () => {
  const rows = [
    applicationRow({
      appId: 'mine-late',
      ...homeCare,
      stepId: 's5',
      role: 'executor',
      assignee: 'sw1',
      stepDueAt: 300,
    }),
    applicationRow({
      appId: 'mine-soon',
      ...homeCare,
      stepId: 's5',
      role: 'executor',
      assignee: 'sw1',
      stepDueAt: 100,
    }),
    applicationRow({ appId: 'colleague', ...homeCare, stepId: 's5', role: 'executor', assignee: 'sw2', stepDueAt: 50 }),
    // Not at the visit yet, or past it, or under a version without the act.
    applicationRow({ appId: 'before', ...homeCare, stepId: 's4', role: 'clerk', assignee: 'sw1' }),
    applicationRow({
      appId: 'old',
      ...homeCare,
      serviceVersion: '1.1',
      stepId: 's5',
      role: 'executor',
      assignee: 'sw1',
    }),
    applicationRow({ appId: 'closed', ...homeCare, stepId: 's5', status: 'closed', assignee: 'sw1' }),
    applicationRow({ appId: 'commission', ...tsa, stepId: 's4', role: 'commission', stepDueAt: 10 }),
  ];

  it('the social worker: open applications at a visit step assigned to her, soonest due first', () => {
    expect(myVisits(rows, catalogue, { login: 'sw1', role: 'executor' }).map((v) => v.row.appId)).toEqual([
      'mine-soon',
      'mine-late',
    ]);
  });

  it('the local commission: every visit at its step (not assigned to one person)', () => {
    const v = myVisits(rows, catalogue, { login: 'comm1', role: 'commission' });
    expect(v.map((x) => x.row.appId)).toEqual(['commission']);
    expect(v[0]?.step.act?.basis).toBe('004/7 п. 7 пп. 4)');
  });
});

describe('receipts to hand over', () => {
  it('wait only when taken at home and no printer is set up on this desk', () => {
    expect(receiptWaits('home_visit', false)).toBe(true);
    expect(receiptWaits('home_visit', true)).toBe(false);
    expect(receiptWaits('provider_office', false)).toBe(false);
  });

  it('are listed once each, oldest first, and leave the list when handed over', () => {
    let list = addEntry([], { appId: 'b', regNumber: 'N2', at: 2 });
    list = addEntry(list, { appId: 'a', regNumber: 'N1', at: 1 });
    list = addEntry(list, { appId: 'b', regNumber: 'N2', at: 2 });
    expect(list.map((e) => e.appId)).toEqual(['a', 'b']);
    expect(removeEntry(list, 'a').map((e) => e.appId)).toEqual(['b']);
  });
});
