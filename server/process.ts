/**
 * Starting a server's own process and waiting until it answers: shared by the office hub
 * (server/hub, in the desktop app and headless) and the development central (server/dev).
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** The server's process, however it was started (a Node child here, an Electron utility process in the app). */
export interface ServerProcess {
  /** The exit code once it has exited, else null. */
  exitCode: () => number | null;
  stop: () => Promise<void>;
  /** Ends it at once, as a power cut or a crash would (SIGKILL). */
  kill: () => Promise<void>;
  /** The operating system's process id (for measuring its memory), if known. */
  pid: number | null;
}

export interface LaunchOptions {
  cwd?: string;
  quiet: boolean;
  /** Added to the child's environment (secrets travel here, never on the command line). */
  env?: Record<string, string>;
}

/** Starts `node <script> <args>`: how a server runs outside Electron. */
export type LaunchServer = (script: string, args: string[], o: LaunchOptions) => ServerProcess;

export const launchWithNode: LaunchServer = (script, args, o) => {
  // A TypeScript entry (the sources, in development and tests) runs through tsx; the app runs a bundle.
  const loader = /\.[cm]?ts$/.test(script) ? ['--import', 'tsx'] : [];
  const child: ChildProcess = spawn(process.execPath, [...loader, script, ...args], {
    stdio: o.quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'],
    ...(o.cwd ? { cwd: o.cwd } : {}),
    env: { ...process.env, ...o.env },
  });
  const end = (signal: NodeJS.Signals): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return {
    exitCode: () => child.exitCode ?? (child.signalCode ? 128 : null),
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    pid: child.pid ?? null,
  };
};

/** Polls `url` until it answers 2xx; fails at once if the process has exited. */
export async function waitUntilUp(url: string, child: ServerProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const code = child.exitCode();
    if (code !== null) throw new Error(`the server exited with code ${code}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`the server did not answer at ${url} within ${timeoutMs} ms`);
}

/** How a client on this computer reaches a server listening on `host`. */
export const localUrl = (host: string | undefined, port: number): string =>
  `http://${!host || host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
