import { describe, expect, it } from 'vitest';
import { hubConfigSchema, ipcRequestSchemas, IPC, type HubConfig } from '@shared/ipc/contract';
import { createHubService, parseSaved, type SavedHubConfig } from './hubService';
import type { HubHealth } from '@shared/hub/health';
import type { Hub, HubOptions } from '../../../server/hub/officeHub';

const config: HubConfig = {
  enabled: true,
  office: 'ALM01',
  host: '0.0.0.0',
  port: 5985,
  central: { url: 'https://couch.example.kz', user: 'hub-alm01', password: 'secret' },
};

function harness(opts: { free?: boolean; failStart?: boolean; stored?: unknown } = {}) {
  const started: HubOptions[] = [];
  const stopped: string[] = [];
  const saved: SavedHubConfig[] = [];
  const service = createHubService({
    start: (o) => {
      started.push(o);
      if (opts.failStart) return Promise.reject(new Error('the central server exited with code 1'));
      const health: HubHealth = {
        service: 'kense-hub',
        office: o.office,
        startedAt: 500,
        serving: { host: o.host ?? '127.0.0.1', port: o.port, addresses: ['192.168.1.20'] },
        desksLastHour: 2,
        central: { reached: true, lastReachedAt: 1000 },
        waiting: { events: 0, since: null },
        disk: { usedBytes: 1024, freeBytes: 10 * 1024 ** 3 },
        staff: o.service ? { state: 'copied', count: 3, skipped: 1, lastCopyAt: 2000 } : null,
        lastError: null,
      };
      const hub: Hub = {
        url: `http://127.0.0.1:${o.port}`,
        admin: { user: 'admin', password: 'x' },
        status: () => Promise.resolve({ health }),
        kill: () => Promise.resolve(),
        pid: null,
        stop: () => {
          stopped.push(`${o.host}:${o.port}`);
          return Promise.resolve();
        },
      };
      return Promise.resolve(hub);
    },
    portFree: () => Promise.resolve(opts.free ?? true),
    dataDir: '/data/hub',
    load: () => Promise.resolve(opts.stored ?? null),
    save: (c) => {
      saved.push(c);
      return Promise.resolve();
    },
  });
  return { service, started, stopped, saved };
}

describe('the embedded hub service (main process, no Electron)', () => {
  it('starts the hub with the settings, saves them without the password, and reports its state', async () => {
    const { service, started, saved } = harness();
    const s = await service.configure(config);
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ office: 'ALM01', host: '0.0.0.0', port: 5985, dir: '/data/hub' });
    expect(started[0]?.central.password).toBe('secret');
    expect(JSON.stringify(saved)).not.toContain('secret');
    expect(s).toMatchObject({
      available: true,
      state: 'running',
      url: 'http://127.0.0.1:5985',
      uplink: 'online',
      lastSyncAt: 1000,
    });
    // The hub's own health report reaches Settings as it is.
    expect(s.health).toMatchObject({ desksLastHour: 2, waiting: { events: 0, since: null } });
    expect(s.config).toEqual({
      enabled: true,
      office: 'ALM01',
      host: '0.0.0.0',
      port: 5985,
      centralUrl: 'https://couch.example.kz',
      user: 'hub-alm01',
      serviceUrl: null,
    });
    expect(started[0]?.service).toBeUndefined();
    expect(s.staff).toEqual({ state: 'off', count: 0, skipped: 0, lastCopyAt: null });
  });

  it("hands the central service's address to the hub (asked as the hub account: no second password), counts only in the report", async () => {
    const { service, started, saved } = harness();
    const s = await service.configure({ ...config, serviceUrl: 'https://couch.example.kz/_kense' });
    expect(started[0]?.service).toEqual({ url: 'https://couch.example.kz/_kense' });
    expect(saved.at(-1)?.serviceUrl).toBe('https://couch.example.kz/_kense');
    expect(JSON.stringify(saved)).not.toContain('secret');
    // Counts only: no staff login crosses to the renderer.
    expect(s.staff).toEqual({ state: 'copied', count: 3, skipped: 1, lastCopyAt: 2000 });
    expect(JSON.stringify(s)).not.toContain('"old"');
    // A different service is a different configuration: the hub starts again with it.
    await service.configure({ ...config, serviceUrl: 'https://elsewhere.example.kz:5986' });
    expect(started).toHaveLength(2);
  });

  it('restarts on a changed setting, not on the same one, and stops when disabled', async () => {
    const { service, started, stopped } = harness();
    await service.configure(config);
    await service.configure(config);
    expect(started).toHaveLength(1);
    await service.configure({ ...config, port: 5986 });
    expect(started).toHaveLength(2);
    expect(stopped).toEqual(['0.0.0.0:5985']);
    const off = await service.configure({ ...config, enabled: false });
    expect(off.state).toBe('off');
    expect(stopped).toEqual(['0.0.0.0:5985', '0.0.0.0:5986']);
  });

  it('says so when the port is taken or the hub cannot start', async () => {
    const taken = harness({ free: false });
    expect(await taken.service.configure(config)).toMatchObject({ state: 'failed', error: 'hub.portInUse' });
    expect(taken.started).toHaveLength(0);
    const noPassword = harness();
    expect(
      await noPassword.service.configure({ ...config, central: { ...config.central, password: '' } }),
    ).toMatchObject({ state: 'off', error: 'hub.needsPassword' });
    expect(noPassword.started).toHaveLength(0);
    const broken = harness({ failStart: true });
    expect(await broken.service.configure(config)).toMatchObject({ state: 'failed', error: 'hub.startFailed' });
  });

  it('after a restart, knows the saved settings and waits for the password', async () => {
    const stored: SavedHubConfig = {
      enabled: true,
      office: 'ALM01',
      host: '0.0.0.0',
      port: 5985,
      centralUrl: 'https://c',
      user: 'u',
      serviceUrl: 'https://c:5986',
    };
    const { service, started } = harness({ stored });
    await service.init();
    expect(await service.status()).toMatchObject({ state: 'off', error: 'hub.needsPassword', config: stored });
    expect(started).toHaveLength(0);
    expect(parseSaved({ ...stored, port: 80 })).toBeNull();
    expect(parseSaved({ ...stored, office: 'alm01; rm -rf' })).toBeNull();
    expect(parseSaved('nonsense')).toBeNull();
    expect(parseSaved({ ...stored, serviceUrl: 42 })).toBeNull();
    // Settings saved before the central service existed (with a staff reader then) still load, without it.
    const { serviceUrl: _, ...older } = stored;
    expect(parseSaved({ ...older, staffUser: 'gulnar' })).toEqual({ ...stored, serviceUrl: null });
  });

  it('the IPC payload is validated: bad addresses, ports and extra fields are refused', () => {
    const schema = ipcRequestSchemas[IPC.configureHub];
    expect(schema).toBe(hubConfigSchema);
    expect(schema.safeParse(config).success).toBe(true);
    expect(schema.safeParse({ ...config, serviceUrl: 'https://couch.example.kz/_kense' }).success).toBe(true);
    for (const bad of [
      { ...config, port: 80 },
      { ...config, host: '0.0.0.0 --inspect' },
      { ...config, office: 'alm01' },
      { ...config, central: { ...config.central, url: 'file:///etc/passwd' } },
      { ...config, central: { ...config.central, password: 'x'.repeat(2000) } },
      { ...config, extra: true },
      { ...config, serviceUrl: 'file:///etc/passwd' },
      { ...config, serviceUrl: { url: 'http://elsewhere' } },
      // The staff reader is gone (an office admin's password on the hub): refused.
      { ...config, staffReader: { user: 'reader', password: 'x' } },
    ])
      expect(schema.safeParse(bad).success).toBe(false);
  });
});
