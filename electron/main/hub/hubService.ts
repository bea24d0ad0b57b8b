import type { HubConfig, HubStatusReport } from '@shared/ipc/contract';
import type { HubHealth } from '@shared/hub/health';
import type { Hub, HubOptions } from '../../../server/hub/officeHub';

/**
 * The embedded office hub as the desktop app runs it: started, re-configured and stopped from
 * Settings over IPC. Everything it touches is injected (the hub itself, the port check, where
 * settings are kept), so it is tested without Electron.
 *
 * The settings are saved without the hub account's password, which stays in this process's memory: after a
 * restart the hub waits until someone enters the password in Settings again, as the desk's own
 * sync does (staff sign-in will replace both).
 */
export interface HubServiceDeps {
  start: (opts: HubOptions) => Promise<Hub>;
  /** True when nothing listens on host:port yet. */
  portFree: (host: string, port: number) => Promise<boolean>;
  /** The hub's data directory (under the app's user data). */
  dataDir: string;
  /** How the hub's server process starts (an Electron utility process). */
  launch?: HubOptions['launch'];
  /** How often staff accounts are copied again (default: officeHub's). */
  staffRefreshMs?: number;
  load: () => Promise<unknown>;
  save: (config: SavedHubConfig) => Promise<void>;
}

export type SavedHubConfig = NonNullable<HubStatusReport['config']>;

export interface HubService {
  /** Restores the saved settings (the hub stays off until a password is given). */
  init: () => Promise<void>;
  status: () => Promise<HubStatusReport>;
  configure: (config: HubConfig) => Promise<HubStatusReport>;
  stop: () => Promise<void>;
}

export function toSaved(config: HubConfig): SavedHubConfig {
  return {
    enabled: config.enabled,
    office: config.office,
    host: config.host,
    port: config.port,
    centralUrl: config.central.url,
    user: config.central.user,
    serviceUrl: config.serviceUrl ?? null,
  };
}

/** Saved settings as read back from disk: anything malformed is dropped. */
export function parseSaved(raw: unknown): SavedHubConfig | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  const ok =
    typeof r['enabled'] === 'boolean' &&
    typeof r['office'] === 'string' &&
    /^[A-Z0-9]{2,16}$/.test(r['office']) &&
    typeof r['host'] === 'string' &&
    /^[A-Za-z0-9.-]{1,253}$/.test(r['host']) &&
    typeof r['port'] === 'number' &&
    Number.isInteger(r['port']) &&
    r['port'] >= 1024 &&
    r['port'] <= 65535 &&
    typeof r['centralUrl'] === 'string' &&
    typeof r['user'] === 'string' &&
    // Settings saved before the central service existed have none (nor the staff reader they had).
    (r['serviceUrl'] === undefined || r['serviceUrl'] === null || typeof r['serviceUrl'] === 'string');
  if (!ok) return null;
  const { staffUser: _reader, ...rest } = r as unknown as SavedHubConfig & { staffUser?: unknown };
  return { ...rest, serviceUrl: (r['serviceUrl'] as string | null | undefined) ?? null };
}

const uplinkOf = (h: HubHealth): NonNullable<HubStatusReport['uplink']> =>
  h.central.reached === null ? 'connecting' : h.central.reached ? 'online' : 'offline';

const same = (a: HubConfig, b: HubConfig | null): boolean => b !== null && JSON.stringify(a) === JSON.stringify(b);

export function createHubService(deps: HubServiceDeps): HubService {
  let saved: SavedHubConfig | null = null;
  let running: { hub: Hub; config: HubConfig } | null = null;
  let state: HubStatusReport['state'] = 'off';
  let error: HubStatusReport['error'] = null;
  // One change at a time: a second click while the hub starts waits for the first.
  let queue: Promise<unknown> = Promise.resolve();

  const status = async (): Promise<HubStatusReport> => {
    const health = running ? (await running.hub.status()).health : null;
    return {
      available: true,
      state,
      url: running?.hub.url ?? null,
      uplink: health ? uplinkOf(health) : null,
      lastSyncAt: health?.central.lastReachedAt ?? null,
      staff: health ? (health.staff ?? { state: 'off', count: 0, skipped: 0, lastCopyAt: null }) : null,
      health,
      error: error ?? (saved?.enabled && !running && state === 'off' ? 'hub.needsPassword' : null),
      config: saved,
    };
  };

  const stopRunning = async (): Promise<void> => {
    const r = running;
    running = null;
    state = 'off';
    if (r) await r.hub.stop();
  };

  const apply = async (config: HubConfig): Promise<HubStatusReport> => {
    saved = toSaved(config);
    await deps.save(saved);
    error = null;
    if (!config.enabled) {
      await stopRunning();
      return status();
    }
    if (!config.central.password) {
      await stopRunning();
      error = 'hub.needsPassword';
      return status();
    }
    if (same(config, running?.config ?? null)) return status();
    await stopRunning();
    state = 'starting';
    if (!(await deps.portFree(config.host, config.port))) {
      state = 'failed';
      error = 'hub.portInUse';
      return status();
    }
    try {
      const hub = await deps.start({
        office: config.office,
        port: config.port,
        host: config.host,
        dir: deps.dataDir,
        central: config.central,
        ...(config.serviceUrl ? { service: { url: config.serviceUrl } } : {}),
        ...(deps.staffRefreshMs ? { staffRefreshMs: deps.staffRefreshMs } : {}),
        quiet: true,
        launch: deps.launch,
      });
      running = { hub, config };
      state = 'running';
    } catch {
      state = 'failed';
      error = 'hub.startFailed';
    }
    return status();
  };

  return {
    init: async () => {
      saved = parseSaved(await deps.load());
    },
    status,
    configure: (config) => {
      const next = queue.then(() => apply(config));
      queue = next.catch(() => undefined);
      return next;
    },
    stop: async () => {
      await queue;
      await stopRunning();
    },
  };
}
