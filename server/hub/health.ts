/**
 * What the hub knows about itself for its status endpoint (shared/hub/health.ts): the desks seen,
 * the disk, the last error. The relay's part (central, events waiting) is passed in by main.ts.
 */
import { readdirSync, statSync, statfsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import type { HubHealth, HubHealthError } from '../../shared/hub/health';

const HOUR = 3_600_000;
const DISK_EVERY_MS = 30_000;
/** Below this much free space the hub reports the disk as full (LevelDB needs room to compact). */
export const DISK_LOW_BYTES = 200 * 1024 * 1024;

/** Bytes under `dir`, every file counted once (the hub's data directory is small in file count). */
export function directorySize(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    try {
      if (e.isDirectory()) total += directorySize(p);
      else if (e.isFile()) total += statSync(p).size;
    } catch {
      // removed while counting (LevelDB compacts its files)
    }
  }
  return total;
}

/** Where desks on the LAN reach the hub: its IPv4 addresses when it listens on every interface. */
export function lanAddresses(host: string): string[] {
  if (host !== '0.0.0.0') return [host];
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

/** What is left for this user on the disk that holds `dir` (null where the OS does not say). */
export function freeBytes(dir: string): number | null {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

export interface Health {
  /** A request from this client address reached the office database. */
  desk: (address: string) => void;
  error: (code: HubHealthError) => void;
  report: (relay: Pick<HubHealth, 'central' | 'waiting' | 'staff'>) => HubHealth;
}

export function createHealth(opts: {
  dir: string;
  host: string;
  port: number;
  office: string;
  now?: () => number;
}): Health {
  const now = opts.now ?? Date.now;
  const startedAt = now();
  // Address → last seen. Only the count leaves this process; addresses are forgotten after an hour.
  const seen = new Map<string, number>();
  let lastError: HubHealth['lastError'] = null;
  let disk: { at: number; value: HubHealth['disk'] } | null = null;
  const diskNow = (): HubHealth['disk'] => {
    if (!disk || now() - disk.at > DISK_EVERY_MS)
      disk = { at: now(), value: { usedBytes: directorySize(opts.dir), freeBytes: freeBytes(opts.dir) } };
    return disk.value;
  };
  return {
    desk: (address) => {
      seen.set(address, now());
    },
    error: (code) => {
      lastError = { code, at: now() };
    },
    report: (relay) => {
      const hourAgo = now() - HOUR;
      for (const [a, t] of seen) if (t < hourAgo) seen.delete(a);
      const d = diskNow();
      if (d.freeBytes !== null && d.freeBytes < DISK_LOW_BYTES && lastError?.code !== 'diskFull')
        lastError = { code: 'diskFull', at: now() };
      return {
        service: 'kense-hub',
        office: opts.office,
        startedAt,
        serving: { host: opts.host, port: opts.port, addresses: lanAddresses(opts.host) },
        desksLastHour: seen.size,
        central: relay.central,
        waiting: relay.waiting,
        disk: d,
        staff: relay.staff,
        lastError,
      };
    },
  };
}
