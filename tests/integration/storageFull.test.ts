import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession } from '@playwright/test';
import type { EventDoc } from '../../shared/events';
import { makeEvent } from '../../shared/events';
import { intake } from './lab/common';
import {
  adminAuth,
  bundleLabPage,
  launchLab,
  removeTmpDirs,
  serveLab,
  startLabCentral,
  tmpDir,
  until,
  type Lab,
  type LabPage,
  type LabServer,
} from './lab/harness';

/**
 * The disk (the origin's storage quota) is full: a real Chromium with its profile on disk, whose
 * quota is lowered through the DevTools protocol (Storage.overrideQuotaForOrigin), so that
 * IndexedDB itself refuses the writes with QuotaExceededError, as it does on a full disk.
 * No write path is mocked.
 */

let server: LabServer;
let lab: Lab;
let desk: LabPage;
let cdp: CDPSession;
let origin: string;

beforeAll(async () => {
  server = await serveLab(await bundleLabPage());
  lab = await launchLab(server, tmpDir('quota-profile'));
  desk = await lab.page();
  origin = new URL(server.url).origin;
  cdp = await lab.context.newCDPSession(desk.page);
}, 60_000);

afterAll(async () => {
  await cdp?.send('Storage.overrideQuotaForOrigin', { origin }).catch(() => undefined);
  await lab?.close();
  await server?.close();
  removeTmpDirs();
});

const NOW = Date.parse('2026-03-10T05:00:00Z');
const clerk = { login: 'aigerim', password: 'secret-aigerim', role: 'clerk', office: 'ALM01' };

/** Registrations made on another desk, written straight to central. */
async function putEvents(url: string, n: number): Promise<string[]> {
  const docs = Array.from({ length: n }, (_, i) =>
    makeEvent({
      kind: 'registered',
      appId: `OTHER${i}`,
      office: 'ALM01',
      device: 'D09',
      clock: { wall: NOW, counter: i },
      now: NOW,
      actor: { login: clerk.login, role: 'clerk' },
      payload: { ...intake('provider_office', i), regNumber: `ALM01-D09-${String(i + 1).padStart(6, '0')}` },
    }),
  );
  const r = await fetch(`${url}/office_alm01/_bulk_docs`, {
    method: 'POST',
    headers: { authorization: adminAuth, 'content-type': 'application/json' },
    body: JSON.stringify({ docs }),
  });
  if (r.status !== 201) throw new Error(`_bulk_docs: HTTP ${r.status}`);
  return docs.map((d) => d._id);
}

/** Runs `f` and says how long it took to settle: a failing disk must answer, not hang. */
async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = Date.now();
  const value = await f();
  return { value, ms: Date.now() - t };
}

describe('storage full: a clear error, no hang, nothing acknowledged lost', () => {
  it('refuses new appends with storage.quotaExceeded while full, keeps what it had, and recovers', async () => {
    // A small disk: 4 MB for this origin, set before anything is stored (Chromium caches the room
    // it has left, so the limit must be known before the first write).
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 4 * 1024 * 1024 });
    await desk.call('openDesk', { office: 'ALM01', desk: 'D01', dbName: 'quota_office', now: NOW, login: 'aigerim' });
    const acked: EventDoc[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await desk.call('register', { channel: 'provider_office', applicant: i });
      if (!r.ok) throw new Error(`register: ${r.message}`);
      acked.push(r.value);
    }
    const first = acked[0];
    if (!first) throw new Error('nothing registered');
    const res = await desk.call('append', first.appId, 'resolution', 'head', {
      stepId: 's3',
      executor: 'dana',
      executorName: 'Дана',
    });
    if (!res.ok) throw new Error(`append: ${res.message}`);
    acked.push(res.value);
    await desk.call('dump');

    // Something else fills the disk, until IndexedDB refuses it too.
    const filled = await desk.call('fillStorage');
    expect(filled.refusal).toBe('QuotaExceededError');
    expect(filled.chunks).toBeGreaterThan(0);

    const reg = await timed(() => desk.call('register', { channel: 'con', applicant: 1 }));
    expect(reg.value).toMatchObject({ ok: false, name: 'DataError', code: 'storage.quotaExceeded' });
    expect(reg.ms).toBeLessThan(5_000);

    const second = acked[1];
    if (!second) throw new Error('nothing registered');
    const app = await timed(() =>
      desk.call('append', second.appId, 'resolution', 'head', { stepId: 's3', executor: 'dana', executorName: 'Дана' }),
    );
    expect(app.value).toMatchObject({ ok: false, name: 'DataError', code: 'storage.quotaExceeded' });
    expect(app.ms).toBeLessThan(5_000);

    // Everything acknowledged before is still there, in the office database and in the read model.
    const ids = await desk.call('eventIds');
    for (const e of acked) expect(ids).toContain(e._id);
    expect(ids).toHaveLength(acked.length);
    const model = await desk.call('dump');
    expect(model.applications.map((a) => a.appId).sort()).toEqual([...new Set(acked.map((e) => e.appId))].sort());

    // Space again: appends work at once, with a fresh number (a refused one took none; never a repeat).
    await desk.call('freeStorage');
    const after = await desk.call('register', { channel: 'provider_office', applicant: 2 });
    if (!after.ok) throw new Error(`register after: ${after.message}`);
    const numbers = acked.flatMap((e) => (e.kind === 'registered' ? [e.payload.regNumber] : []));
    expect(numbers).not.toContain(after.value.payload.regNumber);
    expect(after.value.payload.regNumber > (numbers[numbers.length - 1] ?? '')).toBe(true);
    const retry = await desk.call('append', second.appId, 'resolution', 'head', {
      stepId: 's3',
      executor: 'dana',
      executorName: 'Дана',
    });
    expect(retry.ok).toBe(true);

    // And after a restart of the desk, all of it is there.
    await desk.call('closeDesk');
    await desk.call('openDesk', { office: 'ALM01', desk: 'D01', dbName: 'quota_office', now: NOW, login: 'aigerim' });
    const reopened = await desk.call('eventIds');
    for (const e of [...acked, after.value]) expect(reopened).toContain(e._id);
    expect(reopened).toHaveLength(acked.length + 2);
    await desk.call('closeDesk');
  }, 60_000);

  it('a pull into a full disk says the storage is full, then catches up once there is room', async () => {
    const central = await startLabCentral([clerk]);
    try {
      await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 6 * 1024 * 1024 });
      await desk.call('openDesk', { office: 'ALM01', desk: 'D01', dbName: 'quota_pull', now: NOW, login: clerk.login });
      await desk.call('startSync', {
        target: 'central',
        url: central.url,
        username: clerk.login,
        password: clerk.password,
      });
      await until(
        'the first sync',
        async () => ((await desk.call('snapshots'))['central']?.state === 'online' ? true : undefined),
        15_000,
      );
      const filled = await desk.call('fillStorage');
      expect(filled.refusal).toBe('QuotaExceededError');

      // Colleagues keep registering: central has events the full desk cannot store.
      const ids = await putEvents(central.url, 20);
      const snap = await until(
        'the desk to report its full disk',
        async () => {
          const s = (await desk.call('snapshots'))['central'];
          return s?.error ? s : undefined;
        },
        15_000,
      );
      expect(snap.error).toBe('sync.storageFull');

      await desk.call('freeStorage');
      await until(
        'the pull to finish',
        async () => {
          const have = new Set(await desk.call('eventIds'));
          return ids.every((id) => have.has(id)) ? true : undefined;
        },
        20_000,
      );
      await until(
        'the indicator to recover',
        async () => {
          const s = (await desk.call('snapshots'))['central'];
          return s?.state === 'online' && s.error === null ? true : undefined;
        },
        15_000,
      );
      // The read model follows (the projector's failed passes are retried by later changes).
      const model = await desk.call('dump');
      const projected = new Set(model.applications.map((a) => a.appId));
      expect(Array.from({ length: 20 }, (_, i) => `OTHER${i}`).filter((a) => !projected.has(a))).toEqual([]);
      // A clear state: nothing was thrown into the void on the way (no unhandled rejection).
      expect(lab.pageErrors.map((e) => `${e.name}: ${e.message}`)).toEqual([]);
      await desk.call('closeDesk');
    } finally {
      await central.stop();
    }
  }, 60_000);
});
