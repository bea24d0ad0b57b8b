import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchWithNode, waitUntilUp } from './process';

describe('launchWithNode', () => {
  it('says why a quiet server could not start (the end of its stderr)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-process-'));
    const script = path.join(dir, 'fails.mjs');
    writeFileSync(script, "console.error('cannot start: port 1 is in use'); process.exit(1);\n");
    const child = launchWithNode(script, [], { quiet: true });
    await expect(waitUntilUp('http://127.0.0.1:1', child, 10_000)).rejects.toThrow(
      'the server exited with code 1: cannot start: port 1 is in use',
    );
  });
});

describe('a launched server and the process that launched it', () => {
  it('ends when its parent is killed (SIGKILL), instead of living on as an orphan holding its port', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-process-'));
    const server = path.join(dir, 'server.ts');
    const parent = path.join(dir, 'parent.ts');
    const processTs = path.resolve(__dirname, 'process.ts');
    // A server as the hub and the dev central are: it listens, and ends with its parent.
    writeFileSync(
      server,
      `import { createServer } from 'node:http';\nimport { endWithParent } from ${JSON.stringify(processTs)};\n` +
        `createServer((_q, r) => r.end('ok')).listen(0, '127.0.0.1', () => console.log('child ' + process.pid));\n` +
        `endWithParent();\n`,
    );
    // Its parent launches it, says the child's pid, and waits to be killed.
    writeFileSync(
      parent,
      `import { launchWithNode } from ${JSON.stringify(processTs)};\n` +
        `launchWithNode(${JSON.stringify(server)}, [], { quiet: false });\nsetInterval(() => undefined, 1000);\n`,
    );
    const p = spawn(process.execPath, ['--import', 'tsx', parent], { stdio: ['ignore', 'pipe', 'inherit'] });
    const childPid = await new Promise<number>((resolve, reject) => {
      let out = '';
      p.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const m = /child (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      p.once('exit', () => reject(new Error(`the parent ended first: ${out}`)));
    });
    // Running, not a zombie waiting for whoever adopted it to reap it (/proc: Linux, where CI runs).
    const alive = (pid: number): boolean => {
      try {
        return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
      } catch {
        return false;
      }
    };
    expect(alive(childPid)).toBe(true);
    p.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (alive(childPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const orphan = alive(childPid);
    if (orphan) process.kill(childPid, 'SIGKILL');
    expect(orphan).toBe(false);
  }, 30_000);
});
