import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The embedded hub's storage as a process that crashed would find it: each "process" is a fresh
 * load of the module (its open logs and memdown's in-memory trees start empty, as after a restart).
 */
interface Down {
  open(cb: (e?: Error | null) => void): void;
  put(k: string, v: string | Buffer, cb: (e?: Error | null) => void): void;
  del(k: string, cb: (e?: Error | null) => void): void;
  batch(ops: { type: 'put' | 'del'; key: string; value?: string }[], cb: (e?: Error | null) => void): void;
  get(k: string, o: { asBuffer: boolean }, cb: (e: Error | null, v?: string | Buffer) => void): void;
}
const require = createRequire(import.meta.url);
function freshProcess(): (location: string) => Down {
  for (const k of Object.keys(require.cache)) if (/logdown\.cjs$|[\\/]memdown[\\/]/.test(k)) delete require.cache[k];
  return require('./logdown.cjs') as (location: string) => Down;
}
const p = <T>(f: (cb: (e?: Error | null, v?: T) => void) => void): Promise<T | undefined> =>
  new Promise((resolve, reject) => f((e, v) => (e ? reject(e) : resolve(v))));

const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-logdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('logdown: the hub storage in pure JavaScript', () => {
  it('keeps every acknowledged write across a restart, drops a torn last line, and compacts', async () => {
    const location = path.join(dir, 'office_alm01');
    let db = freshProcess()(location);
    await p((cb) => db.open(cb));
    await p((cb) => db.put('a', 'one', cb));
    await p((cb) => db.put('bin', Buffer.from([0, 1, 2, 255]), cb));
    await p((cb) =>
      db.batch(
        [
          { type: 'put', key: 'b', value: 'two' },
          { type: 'put', key: 'c', value: 'three' },
          { type: 'del', key: 'a' },
        ],
        cb,
      ),
    );
    await p((cb) => db.put('c', 'three again', cb));
    // The power goes while a write is half on disk: it was never acknowledged.
    appendFileSync(`${location}.kenselog`, '[["p",{"s":"d"},{"s":"nev');

    db = freshProcess()(location);
    await p((cb) => db.open(cb));
    const get = (k: string): Promise<string | undefined> =>
      new Promise((resolve) => db.get(k, { asBuffer: false }, (e, v) => resolve(e ? undefined : String(v))));
    expect(await get('a')).toBeUndefined();
    expect(await get('b')).toBe('two');
    expect(await get('c')).toBe('three again');
    expect(await get('d')).toBeUndefined();
    const bin = await new Promise<Buffer | undefined>((resolve) =>
      db.get('bin', { asBuffer: true }, (e, v) => resolve(e ? undefined : (v as Buffer))),
    );
    expect([...(bin ?? [])]).toEqual([0, 1, 2, 255]);
    // Compacted on open: one line of current state, then what came after.
    await p((cb) => db.put('e', 'five', cb));
    const lines = readFileSync(`${location}.kenselog`, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
  });

  it('refuses to open a log damaged before its end rather than lose data silently', async () => {
    const location = path.join(dir, 'damaged');
    let db = freshProcess()(location);
    await p((cb) => db.open(cb));
    await p((cb) => db.put('a', 'one', cb));
    appendFileSync(`${location}.kenselog`, 'garbage\n[["p",{"s":"b"},{"s":"two"}]]\n');
    db = freshProcess()(location);
    await expect(p((cb) => db.open(cb))).rejects.toThrow(/damaged/);
  });
});
