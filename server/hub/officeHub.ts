/**
 * The embedded office hub, for offices without a server of their own: a CouchDB-protocol replica
 * of the office database on the LAN, so that desks in one office keep routing applications among
 * themselves while the uplink is down, relaying events with central whenever it is reachable.
 *
 * This is the side that starts it: the hub itself is its own process (main.ts, bundled to
 * out/hub/server.cjs), started here under Node (`npm run hub`, tests) or, in the desktop app, as an
 * Electron utility process (electron/main/hub/register.ts passes `launch`). Its state comes from its
 * own status endpoint, the same JSON the office's IT person reads.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { hubHealthSchema, HUB_STATUS_PATH, type HubHealth } from '../../shared/hub/health';
import type { ValidationRules } from '../../shared/couch';
import { exitedWith, launchWithNode, localUrl, type LaunchServer, type ServerProcess } from '../process';
import { HUB_SPEC_ENV, type HubSpec } from './spec';

export interface HubOptions {
  office: string;
  port: number;
  host?: string;
  dir: string;
  /**
   * Central, and the account the hub replicates as: the office's hub account (roles `kense_hub`
   * and `office:<CODE>`, server/provision.ts putHubUser), which central lets relay the office's
   * events by every colleague, and nothing else. A server admin works too, but is not needed.
   */
  central: { url: string; user: string; password: string };
  /**
   * The Kense central service (server/central), from which the office's staff accounts are copied
   * to the hub (staffCopy.ts), asked as the hub account above, so that desks sign in to the hub
   * with the same login. Without it, nothing is copied: staff accounts are then created on the
   * hub itself.
   */
  service?: { url: string };
  /** How often the staff accounts are copied again (password changes, new and departed staff), ms. */
  staffRefreshMs?: number;
  quiet?: boolean;
  /** Back-off cap for reconnecting to central, ms. */
  maxBackoffMs?: number;
  /** How often the hub checks whether its desks' view needs building, ms (warmer.ts). */
  viewWarmMs?: number;
  /** Replication batch size with central. */
  batchSize?: number;
  rules?: ValidationRules;
  /**
   * The hub server's own admin. Default: a random password made at each start, known to this
   * process only (it alone needs it); the hub listens on the LAN, where a well-known admin
   * password would let anyone write events the hub then relays.
   */
  admin?: { user: string; password: string };
  /** How the hub's process starts: a Node child by default; Electron passes a utility process. */
  launch?: LaunchServer;
  /**
   * The hub's entry: main.ts from the sources by default (run through tsx); the desktop app passes
   * its bundle (out/hub/server.cjs), which needs no node_modules.
   */
  serverScript?: string;
  /** How long to wait for the hub to answer, ms. */
  startTimeoutMs?: number;
}

/** The hub as its starter sees it: its health (null while it cannot be asked). */
export interface HubStatus {
  health: HubHealth | null;
}

export interface Hub {
  url: string;
  status: () => Promise<HubStatus>;
  stop: () => Promise<void>;
  /** Ends the hub's process at once (the hub computer dies): tests only. */
  kill: () => Promise<void>;
  /** The hub process's id, if known (the bench reads its memory). */
  pid: number | null;
  /** The hub's admin (for tests and the headless hub's own tools). */
  admin: { user: string; password: string };
}

/**
 * V8's old-space limit for the hub's process, MB. Without one Node sizes it from the computer's
 * memory (gigabytes) and collects late: serving scans, the hub's resident memory climbed past
 * 400 MB of garbage it did not need (docs/performance/office-hub.md). The hub's largest legitimate
 * request bodies are a scan event pushed by a desk (one at a time: renderer/data/sync/sync.ts,
 * at most 8 MB, CouchDB's document limit) and a batch of events without scans; its replication
 * with central moves scans in batches of SCAN_BATCH (relay.ts): both far below this.
 */
export const HUB_HEAP_MB = 192;

/**
 * V8's young generation (each of its two semi-spaces), MB. Node's default of 16 MB keeps up to
 * some 48 MB of young objects and their large ones resident between collections: a hub serving a
 * desk's first download (batches of 2,000 events, each answer's objects and JSON short-lived)
 * peaked 25 MB lower with 8, at the same pace (docs/performance/office-hub.md); with 4 it was some 8 %
 * slower for a few MB more.
 */
export const HUB_SEMI_SPACE_MB = 8;

/** The Node flags the hub's process starts with (its memory bounds, above). */
export const HUB_NODE_FLAGS = [`--max-old-space-size=${HUB_HEAP_MB}`, `--max-semi-space-size=${HUB_SEMI_SPACE_MB}`];

/**
 * glibc's malloc arenas for the hub's process (Linux; other systems ignore it). glibc gives each
 * thread that allocates its own arena, up to 8 per core, and memory freed in one is not returned
 * while others hold it: LevelDB's and libuv's threads reading and writing scans left some 35 MB
 * more resident in the bench. Two arenas are plenty for one event loop and its I/O threads.
 */
export const HUB_MALLOC_ARENAS = '2';

/** The hub's entry in the sources; the app runs its bundle instead. */
export function hubServerSourcePath(): string {
  return createRequire(import.meta.url).resolve('./main.ts');
}

/** The hub's health from its status endpoint (null: not answering, or not a hub). */
export async function fetchHealth(url: string, timeoutMs = 5000): Promise<HubHealth | null> {
  try {
    const r = await fetch(`${url}${HUB_STATUS_PATH}`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!r.ok) return null;
    const parsed = hubHealthSchema.safeParse(await r.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function waitUntilServing(url: string, child: ServerProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const code = child.exitCode();
    if (code !== null) throw exitedWith('the hub', child, code);
    if (await fetchHealth(url, 2000)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`the hub did not answer at ${url} within ${timeoutMs} ms`);
}

export async function startHub(opts: HubOptions): Promise<Hub> {
  const admin = opts.admin ?? { user: 'admin', password: randomBytes(24).toString('base64url') };
  const spec: HubSpec = {
    office: opts.office,
    admin,
    central: opts.central,
    ...(opts.service ? { service: opts.service } : {}),
    ...(opts.staffRefreshMs ? { staffRefreshMs: opts.staffRefreshMs } : {}),
    ...(opts.maxBackoffMs ? { maxBackoffMs: opts.maxBackoffMs } : {}),
    ...(opts.viewWarmMs ? { viewWarmMs: opts.viewWarmMs } : {}),
    ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
    ...(opts.rules ? { rules: opts.rules } : {}),
    version: process.env['npm_package_version'] ?? 'hub',
    echo: !(opts.quiet ?? false),
  };
  const host = opts.host ?? '127.0.0.1';
  const child = (opts.launch ?? launchWithNode)(
    opts.serverScript ?? hubServerSourcePath(),
    ['--host', host, '--port', String(opts.port), '--dir', opts.dir],
    {
      quiet: opts.quiet ?? false,
      env: { [HUB_SPEC_ENV]: JSON.stringify(spec), MALLOC_ARENA_MAX: HUB_MALLOC_ARENAS },
      execArgv: HUB_NODE_FLAGS,
    },
  );
  const url = localUrl(host, opts.port);
  try {
    await waitUntilServing(url, child, opts.startTimeoutMs ?? 30_000);
  } catch (e) {
    await child.stop();
    throw e;
  }
  return {
    url,
    admin,
    status: async () => ({ health: await fetchHealth(url) }),
    stop: () => child.stop(),
    kill: () => child.kill(),
    pid: child.pid,
  };
}
