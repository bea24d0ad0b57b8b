import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { app, utilityProcess } from 'electron';
import type { HubConfig, HubStatusReport } from '@shared/ipc/contract';
import type { LaunchServer } from '../../../server/process';
import { HUB_SERVER_BUNDLE } from '../../../server/hub/bundlePath';
import { createHubService } from './hubService';
import { startHub } from '../../../server/hub/officeHub';

/** What the IPC handlers ask of the embedded hub. */
export interface HubEndpoints {
  status: () => Promise<HubStatusReport>;
  configure: (config: HubConfig) => Promise<HubStatusReport>;
}

/** True when nothing listens on host:port (the hub would otherwise fail half-way, or talk to a stranger). */
export function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/**
 * The hub's server as an Electron utility process: a Node child with Electron's own Node, which
 * works with the RunAsNode fuse off (build/electron-builder.yml), unlike ELECTRON_RUN_AS_NODE.
 */
export const launchUtility: LaunchServer = (script, args, o) => {
  const child = utilityProcess.fork(script, args, {
    serviceName: 'Kense office hub',
    stdio: 'ignore',
    ...(o.execArgv ? { execArgv: o.execArgv } : {}),
    ...(o.cwd ? { cwd: o.cwd } : {}),
    // The hub's secrets travel in its environment (see server/hub/spec.ts), never its command line.
    env: { ...process.env, ...o.env },
  });
  let exitCode: number | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
    }),
  );
  return {
    pid: child.pid ?? null,
    exitCode: () => exitCode,
    stop: async () => {
      if (exitCode === null) {
        // Asked first (it closes its connections and exits); ended if it does not within 5 s.
        child.postMessage('stop');
        const late = setTimeout(() => child.kill(), 5000);
        await exited;
        clearTimeout(late);
      }
      await exited;
    },
    kill: async () => {
      if (exitCode === null) child.kill();
      await exited;
    },
  };
};

/**
 * The embedded hub's IPC: its status and its settings, validated like every other channel. The
 * hub's server runs in an Electron utility process (Electron's own Node) with pure-JavaScript storage.
 */
export function embeddedHub(): HubEndpoints {
  const file = (): string => path.join(app.getPath('userData'), 'hub-settings.json');
  const service = createHubService({
    // The main process runs bundled: the hub's server is the self-contained bundle in out/hub, the
    // only form of it the installers ship (electron.vite.config.ts builds it).
    start: (opts) => startHub({ ...opts, serverScript: path.join(app.getAppPath(), HUB_SERVER_BUNDLE) }),
    portFree,
    dataDir: path.join(app.getPath('userData'), 'hub'),
    launch: launchUtility,
    load: async () => {
      try {
        return JSON.parse(await readFile(file(), 'utf8')) as unknown;
      } catch {
        return null;
      }
    },
    save: async (config) => {
      await mkdir(path.dirname(file()), { recursive: true });
      await writeFile(file(), JSON.stringify(config), 'utf8');
    },
  });
  const ready = service.init();
  app.on('before-quit', () => void service.stop());
  // Requests wait for the saved settings to be restored; the guarded channels live in handlers.ts.
  return {
    status: async () => (await ready, service.status()),
    configure: async (config) => (await ready, service.configure(config)),
  };
}
