import Dexie from 'dexie';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { loadCatalogue } from '@shared/catalogue';
import { officeDbName } from '@shared/couch';
import type { ActorRef } from '@shared/events';
import { testPermitIntake, testPermitService } from '../../../tests/fixtures/testService';
import { Desk } from '../desk';
import { localNumberMemory, SKIP_MARGIN } from './numberGuard';
import { PouchDB } from '../store/pouch';
import { readModelName } from '../store/readModel';
import { throwawayDeskKeys } from '../seal/deskKeys';

/** One desk secret for the whole file: a desk reopened in a test must find its data readable. */
const testKeys = throwawayDeskKeys();

/**
 * A desk whose IndexedDB Chromium wiped after a crash: the device document and the events are
 * gone, localStorage is not, and the server holds the numbers the desk gave out before. Real
 * IndexedDB, real localStorage, the real dev central on loopback.
 */
const central = inject('central');
const catalogue = loadCatalogue([testPermitService]);
const clerk: ActorRef = { login: 'clerk1', role: 'clerk', name: 'Айгерім' };

const remote = (): PouchDB.Database =>
  new PouchDB(`${central.url}/${officeDbName('ALM01')}`, {
    adapter: 'http',
    auth: { username: central.user, password: central.password },
    skip_setup: true,
  });

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** What Chromium's wipe leaves: nothing in IndexedDB for this desk (localStorage stays). */
async function wipe(dbName: string): Promise<void> {
  await Dexie.delete(readModelName(dbName));
  await new PouchDB(dbName, { adapter: 'indexeddb' }).destroy();
}

function forgetNumbers(dbName: string): void {
  for (const k of Object.keys(localStorage)) if (k.startsWith(`kense.numbers.${dbName}.`)) localStorage.removeItem(k);
}

/** A desk code of its own per test: the dev central's office database is shared by the tests. */
const deskCode = (): string => `T${Math.floor(Math.random() * 1e6)}`;

async function open(dbName: string, desk: string): Promise<Desk> {
  const d = await Desk.open({ office: 'ALM01', desk, dbName, keys: await testKeys }, catalogue);
  cleanup.push(() => d.close().catch(() => undefined));
  return d;
}

/** A desk that registered three applications, pushed them to central, then was wiped. */
async function wipedDesk(): Promise<{ desk: Desk; code: string; server: PouchDB.Database; used: string[] }> {
  const dbName = `wiped_${Math.random().toString(36).slice(2, 8)}`;
  const code = deskCode();
  cleanup.push(async () => {
    await wipe(dbName);
    forgetNumbers(dbName);
  });
  const server = remote();
  cleanup.push(() => server.close());
  const before = await Desk.open({ office: 'ALM01', desk: code, dbName, keys: await testKeys }, catalogue);
  const used: string[] = [];
  for (let i = 0; i < 3; i++)
    used.push((await before.registerApplication('registered', clerk, testPermitIntake)).payload.regNumber);
  await before.office.db.replicate.to(server);
  await before.close();
  await wipe(dbName);
  return { desk: await open(dbName, code), code, server, used };
}

describe('numbering on a wiped desk', () => {
  it('is held until a pull has completed, then goes on after the numbers the server holds', async () => {
    const { desk, code, server, used } = await wipedDesk();
    expect(used).toEqual([`ALM01-${code}-000001`, `ALM01-${code}-000002`, `ALM01-${code}-000003`]);
    expect((await desk.office.device()).sequence).toBe(0);
    expect(desk.numbers.held).toBe(true);
    await expect(desk.registerApplication('registered', clerk, testPermitIntake)).rejects.toMatchObject({
      code: 'append.heldForResync',
    });
    let told = 0;
    desk.numbers.subscribe(() => told++);
    await desk.resyncFrom(server);
    expect(desk.numbers.held).toBe(false);
    expect(told).toBe(1);
    const next = await desk.registerApplication('registered', clerk, testPermitIntake);
    expect(next.payload.regNumber).toBe(`ALM01-${code}-000004`);
  });

  it('stays held across a restart before the re-sync', async () => {
    const { desk, code } = await wipedDesk();
    const dbName = desk.config.dbName ?? '';
    await desk.close();
    const again = await open(dbName, code);
    expect(again.numbers.held).toBe(true);
    await expect(again.registerApplication('registered', clerk, testPermitIntake)).rejects.toMatchObject({
      code: 'append.heldForResync',
    });
  });

  it('offline, the override skips a safe margin past the remembered numbers: a gap, never a repeat', async () => {
    const { desk, code } = await wipedDesk();
    desk.numbers.skipAhead();
    expect(desk.numbers.held).toBe(false);
    const next = await desk.registerApplication('registered', clerk, testPermitIntake);
    expect(next.payload.regNumber).toBe(`ALM01-${code}-${String(3 + SKIP_MARGIN + 1).padStart(6, '0')}`);
    // Remembered at once, so a second wipe would resume after it too.
    expect(localNumberMemory.get(`kense.numbers.${desk.config.dbName ?? ''}.${code}`)?.sequence).toBe(
      3 + SKIP_MARGIN + 1,
    );
  });

  it('a desk seen for the first time, or one whose events are all still here, is not held', async () => {
    const dbName = `fresh_${Math.random().toString(36).slice(2, 8)}`;
    const code = deskCode();
    cleanup.push(async () => {
      await wipe(dbName);
      forgetNumbers(dbName);
    });
    const first = await open(dbName, code);
    expect(first.numbers.held).toBe(false);
    await first.registerApplication('registered', clerk, testPermitIntake);
    await first.settled();
    await first.close();
    // Only the device document lost (the events stay): the office's events cover the numbers.
    const raw = new PouchDB(dbName, { adapter: 'indexeddb' });
    await raw.remove(await raw.get('_local/device'));
    await raw.close();
    const second = await open(dbName, code);
    expect(second.numbers.held).toBe(false);
    expect((await second.registerApplication('registered', clerk, testPermitIntake)).payload.regNumber).toBe(
      `ALM01-${code}-000002`,
    );
  });

  it('a desk taking over a code numbers after the server’s numbers for it, and is not taken for wiped when reopened', async () => {
    const dbName = `takeover_${Math.random().toString(36).slice(2, 8)}`;
    const code = deskCode();
    cleanup.push(async () => {
      await wipe(dbName);
      forgetNumbers(dbName);
    });
    const first = await open(dbName, code);
    // A first download read these from the desks' view; the events bearing them are not here yet.
    await first.coverNumbers([`ALM01-${code}-000024`, `ALM01-${code}/000005`, `ALM01-X${code}-000900`]);
    await first.close();
    // Reopened (a reload) before the history has arrived: the counters match, nothing looks lost.
    const second = await open(dbName, code);
    expect(second.numbers.held).toBe(false);
    expect((await second.registerApplication('registered', clerk, testPermitIntake)).payload.regNumber).toBe(
      `ALM01-${code}-000025`,
    );
    expect((await second.office.device()).outgoingSequence).toBe(5);
  });
});
