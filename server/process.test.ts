import { mkdtempSync, writeFileSync } from 'node:fs';
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
