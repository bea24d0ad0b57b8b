import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { hubServerSourcePath, startHub, fetchHealth } from '../../server/hub/officeHub';
import { HUB_SPEC_ENV, type HubSpec } from '../../server/hub/spec';
import { prng } from './lab/common';
import { freePort, removeTmpDirs, sleep, tmpDir, until } from './lab/harness';

/**
 * The office hub killed mid-write, as the desk's crash test kills a desk (crash.test.ts): desks
 * write events to the hub concurrently, and after some have been acknowledged the hub's process is
 * SIGKILLed, at a random moment, three times over on the same data directory. Every write the hub
 * acknowledged (HTTP 201) must be there when it starts again; nothing half-written may stop it from
 * starting. (A power cut is covered by the storage's synced writes, storage.test.ts.)
 */
const SEED = Number(process.env['KENSE_SEED'] ?? Date.now() % 1_000_000);
const CYCLES = 3;
const WRITERS = 4;
const admin = { user: 'admin', password: 'crash-admin' };
const basic = 'Basic ' + Buffer.from(`${admin.user}:${admin.password}`).toString('base64');
const rules = { kinds: { registered: ['clerk'] } };

let running: ChildProcess | null = null;
afterAll(() => {
  running?.kill('SIGKILL');
  removeTmpDirs();
});

function spawnHub(dir: string, port: number): ChildProcess {
  const spec: HubSpec = {
    office: 'ALM01',
    admin,
    // No central: the relay retries quietly; the hub serves desks as ever.
    central: { url: 'http://127.0.0.1:9', user: 'hub-alm01', password: 'x' },
    rules,
  };
  return spawn(
    process.execPath,
    ['--import', 'tsx', hubServerSourcePath(), '--host', '127.0.0.1', '--port', String(port), '--dir', dir],
    { stdio: 'ignore', env: { ...process.env, [HUB_SPEC_ENV]: JSON.stringify(spec) } },
  );
}

let n = 0;
function event(): { _id: string } & Record<string, unknown> {
  n++;
  const hlc = `${String(Date.now()).padStart(15, '0')}-${String(n).padStart(4, '0')}`;
  return {
    _id: `evt:CRASH${n % 7}:${hlc}:CRASHDESK`,
    type: 'event',
    v: 1,
    appId: `CRASH${n % 7}`,
    hlc,
    device: 'CRASHDESK',
    kind: 'registered',
    office: 'ALM01',
    at: new Date().toISOString(),
    actor: { login: 'aigerim', role: 'clerk' },
    payload: { note: 'x'.repeat(200 + (n % 5) * 300) },
  };
}

describe('the hub killed mid-write', () => {
  it('keeps every write it acknowledged, and starts again on the same data', async () => {
    const random = prng(SEED);
    const dir = tmpDir('hub-crash');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const acked: string[] = [];
    try {
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        running = spawnHub(dir, port);
        await until('the hub to serve', () => fetchHealth(url, 1000).then((h) => h ?? undefined), 30_000, 100);
        const target = acked.length + 20 + Math.floor(random() * 40);
        let stop = false;
        const writer = async (): Promise<void> => {
          while (!stop) {
            const doc = event();
            const r = await fetch(`${url}/office_alm01/${encodeURIComponent(doc._id)}`, {
              method: 'PUT',
              headers: { authorization: basic, 'content-type': 'application/json' },
              body: JSON.stringify(doc),
            }).catch(() => null);
            if (!r) return; // the hub is gone
            if (r.status === 201) acked.push(doc._id);
            else throw new Error(`the hub answered ${r.status} to a write`);
          }
        };
        const writers = Array.from({ length: WRITERS }, () => writer());
        await until(`${target} acknowledged writes`, () => (acked.length >= target ? true : undefined), 30_000, 5);
        // Somewhere in the following writes: several are in flight.
        await sleep(Math.floor(random() * 20));
        running.kill('SIGKILL');
        await new Promise((r) => running?.once('exit', r));
        stop = true;
        await Promise.all(writers);
      }
      // A normal start on what the kills left: every acknowledged write is there.
      const hub = await startHub({
        office: 'ALM01',
        port,
        dir,
        admin,
        central: { url: 'http://127.0.0.1:9', user: 'hub-alm01', password: 'x' },
        quiet: true,
        rules,
      });
      try {
        const r = await fetch(`${url}/office_alm01/_all_docs?startkey=%22evt%3A%22&endkey=%22evt%3B%22`, {
          headers: { authorization: basic },
        });
        const ids = new Set(((await r.json()) as { rows: { id: string }[] }).rows.map((x) => x.id));
        expect(acked.length).toBeGreaterThan(CYCLES * 20);
        expect(acked.filter((id) => !ids.has(id))).toEqual([]);
      } finally {
        await hub.stop();
      }
    } catch (e) {
      console.error(`[hub crash] failed (rerun with KENSE_SEED=${SEED}); ${acked.length} acknowledged`);
      throw e;
    }
  }, 120_000);
});
