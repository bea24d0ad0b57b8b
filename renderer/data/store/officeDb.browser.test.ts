import { afterEach, describe, expect, it } from 'vitest';
import { openOfficeDb, type OfficeDb } from './officeDb';

const opened: OfficeDb[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) await o.db.destroy();
});

describe('office database on IndexedDB', () => {
  it('creates a device identity once and keeps it', async () => {
    const a = await openOfficeDb('ALM01', { name: 'office_t1', newDeviceId: () => 'DEV1' });
    const first = await a.device();
    expect(first.deviceId).toBe('DEV1');
    await a.close();
    const b = await openOfficeDb('ALM01', { name: 'office_t1', newDeviceId: () => 'OTHER' });
    opened.push(b);
    expect((await b.device()).deviceId).toBe('DEV1');
  });

  it('hands out registration sequence numbers without duplicates, even when asked concurrently', async () => {
    const o = await openOfficeDb('ALM01', { name: 'office_t2' });
    opened.push(o);
    const got = await Promise.all(Array.from({ length: 25 }, () => o.nextSequence()));
    expect(new Set(got).size).toBe(25);
    expect([...got].sort((x, y) => x - y)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect((await o.device()).sequence).toBe(25);
  });

  it('keeps the sequence across a restart (the number is stored before it is used)', async () => {
    const a = await openOfficeDb('ALM01', { name: 'office_t3' });
    await a.nextSequence();
    await a.nextSequence();
    await a.close();
    const b = await openOfficeDb('ALM01', { name: 'office_t3' });
    opened.push(b);
    expect(await b.nextSequence()).toBe(3);
  });

  it('the device document never replicates (it is _local)', async () => {
    const o = await openOfficeDb('ALM01', { name: 'office_t4' });
    opened.push(o);
    await o.setDesk('ALM01', 'D03');
    const all = await o.db.allDocs();
    expect(all.rows).toEqual([]);
    expect((await o.device()).desk).toBe('D03');
  });
});
