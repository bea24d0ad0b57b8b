import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of this process and everything it started (the dev central, Chromium's processes), read
 * from Linux's /proc: on a 2-core machine the bench's central and the browser share the cores with
 * the desk, so a phase's time is explained by who used them. Empty elsewhere (no /proc).
 */

/** Clock ticks a second for /proc's times (100 on Linux; asked once). */
const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface Proc {
  pid: number;
  ppid: number;
  /** User and system CPU, ms. */
  cpuMs: number;
  role: string;
}

/** What a process is, from its command line: Chromium's process types, the dev central, the bench. */
function roleOf(cmd: string): string {
  if (cmd.includes('chromium') || cmd.includes('chrome')) {
    const type = /--type=([\w-]+)/.exec(cmd)?.[1];
    if (!type) return 'browser (Chromium main process)';
    if (type === 'utility') return `utility ${/--utility-sub-type=([\w.]+)/.exec(cmd)?.[1] ?? ''}`.trim();
    return type;
  }
  if (cmd.includes('dev-central')) return 'central (dev server)';
  if (cmd.includes('esbuild')) return 'esbuild';
  return 'bench (Node, serving the app)';
}

/** A process's parent and CPU used so far (user and system, all its threads, ms); null when it is gone. */
function statOf(pid: number): { ppid: number; cpuMs: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields follow its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { ppid: Number(fields[1]), cpuMs: (ticks / TICKS) * 1000 };
  } catch {
    return null;
  }
}

/** The CPU one process has used so far, ms; null when it is gone. */
export const processCpuMs = (pid: number): number | null => statOf(pid)?.cpuMs ?? null;

function read(pid: number): Proc | null {
  const stat = statOf(pid);
  if (!stat) return null;
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return { pid, ...stat, role: roleOf(cmd) };
  } catch {
    return null;
  }
}

/** The CPU used so far by this process and its descendants, by process id. */
export function cpuSnapshot(): Map<number, Proc> {
  let pids: number[];
  try {
    pids = readdirSync('/proc').flatMap((d) => (/^\d+$/.test(d) ? [Number(d)] : []));
  } catch {
    return new Map();
  }
  const all = new Map<number, Proc>();
  for (const pid of pids) {
    const p = read(pid);
    if (p) all.set(pid, p);
  }
  const mine = new Map<number, Proc>();
  const isMine = (p: Proc): boolean => {
    for (let q: Proc | undefined = p, hops = 0; q && hops < 64; q = all.get(q.ppid), hops++)
      if (q.pid === process.pid) return true;
    return false;
  };
  for (const p of all.values()) if (isMine(p)) mine.set(p.pid, p);
  return mine;
}

/** CPU seconds used between two snapshots, by role, most first (a process born between them counts whole). */
export function cpuBetween(before: Map<number, Proc>, after: Map<number, Proc>): { role: string; cpuS: number }[] {
  const byRole = new Map<string, number>();
  for (const p of after.values()) {
    const used = p.cpuMs - (before.get(p.pid)?.cpuMs ?? 0);
    byRole.set(p.role, (byRole.get(p.role) ?? 0) + used);
  }
  return [...byRole]
    .map(([role, ms]) => ({ role, cpuS: Math.round(ms / 100) / 10 }))
    .filter((r) => r.cpuS > 0)
    .sort((a, b) => b.cpuS - a.cpuS);
}
