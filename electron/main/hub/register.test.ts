import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

/** What utilityProcess.fork was asked for (Electron's own process launcher, faked here). */
const forks: { script: string; args: string[]; options: Record<string, unknown> }[] = [];

vi.mock('electron', () => ({
  app: { getPath: () => '/tmp', getAppPath: () => '/tmp' },
  utilityProcess: {
    fork: (script: string, args: string[], options: Record<string, unknown>) => {
      forks.push({ script, args, options });
      return Object.assign(new EventEmitter(), { pid: 4242, postMessage: () => undefined, kill: () => true });
    },
  },
}));

const { launchUtility } = await import('./register');

describe('the embedded hub as an Electron utility process', () => {
  it('is started with the Node flags it is given (the heap limit), its secrets in the environment only', () => {
    const child = launchUtility('/app/out/hub/server.cjs', ['--port', '5985'], {
      quiet: true,
      env: { KENSE_HUB_SPEC: '{"admin":"secret"}' },
      execArgv: ['--max-old-space-size=192'],
    });
    expect(child.pid).toBe(4242);
    const f = forks.at(-1);
    expect(f?.options['execArgv']).toEqual(['--max-old-space-size=192']);
    expect(f?.args).toEqual(['--port', '5985']);
    expect(JSON.stringify(f?.args)).not.toContain('secret');
    expect((f?.options['env'] as Record<string, string>)['KENSE_HUB_SPEC']).toContain('secret');
  });
});
