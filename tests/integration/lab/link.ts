/**
 * The Node side of the link lab: a shaped link between two network namespaces (`link.py`, a
 * userspace emulator over TUN devices: this kernel has no sch_netem), and a Chromium that runs
 * inside the desk's namespace, so that everything the desk sends to central crosses the link.
 *
 *   desk namespace (<p>d)                         central namespace (<p>c)
 *   Chromium ── 10.231.0.1 ══ shaped link ══ 10.231.0.2:5984 ─┐ (forward)
 *     └─ 127.0.0.1:8080 ─┐ (forward, not shaped)               └─► host loopback: counting proxy ─► central
 *                        └─► host loopback: the lab page
 *
 * Needs root (namespaces, TUN), `ip` and python3. Every namespace is deleted when the link closes,
 * and by link.py itself when this process goes away (its stdin closes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, tmpDir } from './harness';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface LinkShape {
  /** One way, each direction. */
  delayMs: number;
  jitterMs: number;
  /** Probability that a packet is lost, each direction. */
  loss: number;
  /** Bottleneck rate, each direction; 0 for none. */
  rateKbit: number;
}

/** The three links of issue 19's table (delay and jitter one way, loss and rate each direction). */
export const LINKS = {
  clean: { delayMs: 0, jitterMs: 0, loss: 0, rateKbit: 0 },
  middle: { delayMs: 200, jitterMs: 50, loss: 0.1, rateKbit: 256 },
  poor: { delayMs: 400, jitterMs: 100, loss: 0.2, rateKbit: 128 },
} satisfies Record<string, LinkShape>;
export type LinkName = keyof typeof LINKS;

export interface Forward {
  /** `d`: listen in the desk's namespace; `c`: in the central's. */
  side: 'd' | 'c';
  host: string;
  port: number;
  /** Where accepted connections go, on this host's loopback: `127.0.0.1:PORT`. */
  target: string;
}

export interface DirectionStats {
  packets: number;
  bytes: number;
  delivered: number;
  delivered_bytes: number;
  lost: number;
  cut: number;
  overflow: number;
}
export interface LinkStats {
  'desk->central': DirectionStats;
  'central->desk': DirectionStats;
}

export interface Link {
  deskNs: string;
  centralNs: string;
  deskIp: string;
  centralIp: string;
  cut: () => Promise<LinkStats>;
  restore: () => Promise<LinkStats>;
  stats: () => Promise<LinkStats>;
  set: (shape: Partial<LinkShape>) => Promise<LinkStats>;
  /** A Chromium executable that runs inside the desk's namespace (a wrapper script). */
  chromiumInDesk: () => string;
  /** Runs `argv` inside the desk's namespace and returns its stdout. */
  execInDesk: (argv: string[]) => Promise<string>;
  close: () => Promise<void>;
}

/** Why the link lab cannot run here, or null when it can. */
export function linkLabUnavailable(): string | null {
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return 'the link lab needs root (network namespaces and TUN devices); CI runs as root';
  try {
    accessSync('/dev/net/tun', constants.R_OK | constants.W_OK);
  } catch {
    return 'no /dev/net/tun on this machine';
  }
  for (const bin of ['/usr/sbin/ip', '/usr/bin/python3'])
    if (!existsSync(bin) && !existsSync(bin.replace('/usr', ''))) return `${path.basename(bin)} is not installed`;
  return null;
}

export async function startLink(shape: LinkShape, forwards: Forward[], seed?: number): Promise<Link> {
  const prefix = `k19l${Math.random().toString(16).slice(2, 7)}`;
  const argv = [
    path.join(here, 'link.py'),
    '--prefix',
    prefix,
    '--delay-ms',
    String(shape.delayMs),
    '--jitter-ms',
    String(shape.jitterMs),
    '--loss',
    String(shape.loss),
    '--rate-kbit',
    String(shape.rateKbit),
    ...(seed === undefined ? [] : ['--seed', String(seed)]),
    ...forwards.flatMap((f) => ['--forward', `${f.side}:${f.host}:${f.port}=${f.target}`]),
  ];
  const child: ChildProcess = spawn('python3', argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const lines = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  lines.on('line', (l) => waiting.shift()?.(l));
  const nextLine = (what: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`link.py: no answer to ${what}; ${stderr}`)), 10_000);
      waiting.push((l) => {
        clearTimeout(t);
        resolve(l);
      });
      void exited.then(() => {
        clearTimeout(t);
        reject(new Error(`link.py exited (${what}): ${stderr}`));
      });
    });
  const ready = JSON.parse(await nextLine('start')) as {
    desk_ns: string;
    central_ns: string;
    desk_ip: string;
    central_ip: string;
  };
  let chain = Promise.resolve<unknown>(undefined);
  const command = (cmd: string): Promise<LinkStats> => {
    const p = chain.then(async () => {
      const answer = nextLine(cmd);
      child.stdin!.write(`${cmd}\n`);
      return (JSON.parse(await answer) as { stats: LinkStats }).stats;
    });
    chain = p.catch(() => undefined);
    return p;
  };
  let wrapper: string | null = null;
  return {
    deskNs: ready.desk_ns,
    centralNs: ready.central_ns,
    deskIp: ready.desk_ip,
    centralIp: ready.central_ip,
    cut: () => command('cut'),
    restore: () => command('restore'),
    stats: () => command('stats'),
    set: (s) =>
      command(
        'set ' +
          [
            s.delayMs !== undefined ? `delay_ms=${s.delayMs}` : '',
            s.jitterMs !== undefined ? `jitter_ms=${s.jitterMs}` : '',
            s.loss !== undefined ? `loss=${s.loss}` : '',
            s.rateKbit !== undefined ? `rate_kbit=${s.rateKbit}` : '',
          ]
            .filter(Boolean)
            .join(' '),
      ),
    chromiumInDesk: () => {
      if (!wrapper) {
        wrapper = path.join(tmpDir('link-chromium'), 'chromium');
        writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ready.desk_ns} ${CHROMIUM} "$@"\n`);
        chmodSync(wrapper, 0o755);
      }
      return wrapper;
    },
    execInDesk: (cmd) =>
      new Promise((resolve, reject) => {
        const c = spawn('ip', ['netns', 'exec', ready.desk_ns, ...cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        c.stdout.on('data', (d: Buffer) => (out += d.toString()));
        c.stderr.on('data', (d: Buffer) => (err += d.toString()));
        c.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd.join(' ')}: ${code} ${err}`))));
      }),
    close: async () => {
      if (child.exitCode === null) {
        child.stdin!.end();
        const t = setTimeout(() => child.kill('SIGTERM'), 5000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}
