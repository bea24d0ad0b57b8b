import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { DEV_ADMIN, startCentral } from '../../server/dev/central';

declare module 'vitest' {
  export interface ProvidedContext {
    central: { url: string; user: string; password: string };
  }
}

/** Browser tests of the data layer sync with a real CouchDB-protocol server on loopback. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-central-browser-'));
  const port = 6200 + Math.floor(Math.random() * 500);
  const central = await startCentral({
    port,
    dir,
    offices: ['ALM01', 'KZO01'],
    quiet: true,
    rules: { kinds: { registered: ['clerk'], note_added: ['clerk', 'head', 'executor'], attachment_added: ['clerk'] } },
  });
  project.provide('central', { url: central.url, user: DEV_ADMIN.user, password: DEV_ADMIN.password });
  return async () => {
    await central.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
