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
  /** The end of what it wrote to stderr, when its output is not shown (why it could not start). */
  stderrTail?: () => string;
}

/** "exited with code N", and the reason the process gave, when it gave one. */
export function exitedWith(what: string, child: ServerProcess, code: number): Error {
  const tail = child.stderrTail?.().trim();
  return new Error(`${what} exited with code ${code}${tail ? `: ${tail}` : ''}`);
}

export interface LaunchOptions {
  cwd?: string;
  quiet: boolean;
  /** Added to the child's environment (secrets travel here, never on the command line). */
  env?: Record<string, string>;
  /** Flags for the child's Node (V8's heap limit for the hub), before its script. */
  execArgv?: string[];
}

/** Starts `node <script> <args>`: how a server runs outside Electron. */
export type LaunchServer = (script: string, args: string[], o: LaunchOptions) => ServerProcess;

export const launchWithNode: LaunchServer = (script, args, o) => {
  // A TypeScript entry (the sources, in development and tests) runs through tsx; the app runs a bundle.
  const loader = /\.[cm]?ts$/.test(script) ? ['--import', 'tsx'] : [];
  const child: ChildProcess = spawn(process.execPath, [...(o.execArgv ?? []), ...loader, script, ...args], {
    // Quiet: stderr is kept (its end only), so that a server that cannot start says why. The IPC
    // channel says nothing; it closes when this process ends, however it ends (even SIGKILL), and
    // the server then stops itself (endWithParent) instead of holding its port as an orphan.
    stdio: o.quiet ? ['ignore', 'ignore', 'pipe', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
    ...(o.cwd ? { cwd: o.cwd } : {}),
    env: { ...process.env, ...o.env },
  });
  // The channel alone does not keep this process running.
  child.channel?.unref();
  let tail = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-2000);
  });
  // Exited once its stderr is read to the end too ('close' comes after 'exit' and the streams).
  let exited: number | null = null;
  child.once('close', (code, signal) => {
    exited = code ?? (signal ? 128 : 1);
  });
  const end = (signal: NodeJS.Signals): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return {
    exitCode: () => exited,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    pid: child.pid ?? null,
    stderrTail: () => tail,
  };
};

/**
 * How long a server process that is alive may take to answer at first: it loads its code through
 * tsx, and on a loaded machine (CI, a test run beside a bench) that took over 20 s. A process that
 * dies is reported at once (below), so this bounds only a hang.
 */
export const START_LIMIT_MS = 60_000;

/** Polls `url` until it answers 2xx; fails at once if the process has exited. */
export async function waitUntilUp(url: string, child: ServerProcess, timeoutMs = START_LIMIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const code = child.exitCode();
    if (code !== null) throw exitedWith('the server', child, code);
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

/**
 * In a server's own process: stops it (`stop`, else SIGTERM's default) when the process that
 * launched it is gone: launchWithNode's IPC channel closes then. Nothing without a channel (the
 * Electron app's utility process has none; a server run by hand neither).
 */
export function endWithParent(stop?: () => void): void {
  if (!process.channel) return;
  process.channel.unref();
  process.once('disconnect', () => (stop ? stop() : process.kill(process.pid, 'SIGTERM')));
}
