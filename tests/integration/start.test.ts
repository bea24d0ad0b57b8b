import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './lab/harness';

/**
 * `npm start` is quiet: the development central's request log goes to a file, and the last lines
 * printed are where Kense is and how to sign in; Ctrl+C says that it stops, and stops everything.
 * Run as `npm start -- --browser --no-build` with no display (the address is printed).
 */
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kense-start-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm start', () => {
  it('prints the address and the demo logins last, logs the servers to files, and says when it stops', async () => {
    const [centralPort, appPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, ['scripts/start.mjs', '--browser', '--no-build'], {
      env: {
        ...process.env,
        DISPLAY: '',
        WAYLAND_DISPLAY: '',
        KENSE_CENTRAL_PORT: String(centralPort),
        KENSE_PORT: String(appPort),
        KENSE_CENTRAL_DIR: path.join(tmp, 'central'),
        KENSE_LOG_DIR: path.join(tmp, 'logs'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 90_000;
      while (!out.includes('Press Ctrl+C to stop.') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      const lines = out.trim().split('\n');
      expect(lines.length, out).toBeLessThanOrEqual(10);
      // Nothing of the servers' request logs here; all of it in the central's log file.
      expect(out).not.toMatch(/\[info\]|GET \/|PUT \//);
      expect(readFileSync(path.join(tmp, 'logs', 'central.log'), 'utf8')).toMatch(/GET \/office_alm01/);
      // The last lines: the app's address and how to sign in.
      const last = lines.slice(-4).join('\n');
      expect(last).toContain(`http://127.0.0.1:${appPort}/`);
      expect(last).toContain('aigerim (clerk), bolat (head), dana (executor)');
      expect(lines.slice(-5).join('\n')).toContain('password kense-demo');
      expect((await fetch(`http://127.0.0.1:${centralPort}/`)).ok).toBe(true);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(out).toContain('Stopping Kense and the development central…');
      expect(out.trim().split('\n').at(-1)).toBe('[kense] Stopped.');
      await expect(fetch(`http://127.0.0.1:${centralPort}/`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);
});
