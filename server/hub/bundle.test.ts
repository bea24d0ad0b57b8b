import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { expressPouchDBParts } from './bundle';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-hub-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bundles a program that builds express-pouchdb's app, as the hub's bundle does, and runs it. */
async function run(plugins: Plugin[]): Promise<{ status: number | null; stderr: string }> {
  const outfile = path.join(dir, `app-${plugins.length}.cjs`);
  await build({
    stdin: {
      contents:
        "const app = require('express-pouchdb')({ configPath: process.argv[2], logPath: process.argv[3], " +
        "overrideMode: { exclude: ['routes/fauxton', 'replicator', 'routes/replicate'] } });" +
        "if (typeof app.setPouchDB !== 'function') process.exit(3);",
      resolveDir: root,
      loader: 'js',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
    plugins,
  });
  const r = spawnSync(process.execPath, [outfile, path.join(dir, 'config.json'), path.join(dir, 'log.txt')], {
    cwd: dir,
    encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr };
}

describe('the hub’s bundle', () => {
  it('loads express-pouchdb’s parts only with the extension named (evanw/esbuild#3328)', async () => {
    const without = await run([]);
    expect(without.status).not.toBe(0);
    expect(without.stderr).toContain('Module not found in bundle');
    expect(await run([expressPouchDBParts])).toEqual({ status: 0, stderr: '' });
  }, 30_000);
});
