import { describe, expect, it } from 'vitest';
import type { SyncSnapshot } from '../data/sync/sync';
import { downloadProgress, firstSnapshot } from '../data/sync/sync';
import { configuredTargets, parseServerUrl, pendingSummary, restoreSync, syncStatusOf, type SyncState } from './sync';

const snap = (state: SyncSnapshot['state'], pendingLocal: number | null = 0): SyncSnapshot => ({
  ...firstSnapshot('x'),
  state,
  pendingLocal,
});
type S = Pick<SyncState, 'targets' | 'username' | 'password' | 'snapshots'>;
const both: S = {
  targets: { central: 'http://c', hub: 'http://h' },
  username: 'aigerim',
  password: 'p',
  snapshots: {},
};

describe('sync settings', () => {
  it('restores v1 settings (one server) as central, and drops malformed ones', () => {
    expect(restoreSync({ config: { url: 'http://127.0.0.1:5984/', username: 'aigerim' } }, 1)).toEqual({
      targets: { central: 'http://127.0.0.1:5984', hub: null },
      username: 'aigerim',
    });
    expect(restoreSync({ config: { url: 'ftp://x', username: 5 } }, 1)).toEqual({ targets: null, username: null });
    expect(
      restoreSync({ targets: { central: 'https://c.kz', hub: 'http://10.0.0.2:5985' }, username: 'a' }, 2),
    ).toEqual({ targets: { central: 'https://c.kz', hub: 'http://10.0.0.2:5985' }, username: 'a' });
    expect(restoreSync({ targets: { central: 'https://c.kz', hub: 'nonsense' } }, 2).targets).toEqual({
      central: 'https://c.kz',
      hub: null,
    });
    expect(restoreSync(null, 2)).toEqual({ targets: null, username: null });
  });

  it('accepts http(s) addresses only', () => {
    expect(parseServerUrl(' http://hub.alm01.lan:5985/ ')).toBe('http://hub.alm01.lan:5985');
    expect(parseServerUrl('javascript:alert(1)')).toBeNull();
    expect(parseServerUrl('hub:5985')).toBeNull();
    expect(configuredTargets({ central: 'http://c', hub: null }).map((t) => t.name)).toEqual(['central']);
  });
});

describe('the indicator tells the truth per target', () => {
  it('is online only when central is reached; hub-only when only the hub is', () => {
    expect(syncStatusOf({ ...both, targets: null })).toBe('notConfigured');
    expect(syncStatusOf({ ...both, password: null })).toBe('needsPassword');
    expect(syncStatusOf(both)).toBe('connecting');
    expect(syncStatusOf({ ...both, snapshots: { central: snap('online'), hub: snap('offline') } })).toBe('online');
    expect(syncStatusOf({ ...both, snapshots: { central: snap('offline'), hub: snap('online') } })).toBe('hubOnly');
    expect(syncStatusOf({ ...both, snapshots: { central: snap('offline'), hub: snap('offline') } })).toBe('offline');
    expect(syncStatusOf({ ...both, snapshots: { central: snap('offline'), hub: snap('syncing') } })).toBe('syncing');
    // Without a hub configured, its absence is not "offline".
    expect(
      syncStatusOf({ ...both, targets: { central: 'http://c', hub: null }, snapshots: { central: snap('online') } }),
    ).toBe('online');
  });

  it('says events are at least on the hub only when the hub counted none missing', () => {
    expect(pendingSummary({ ...both, snapshots: { central: snap('offline', 3), hub: snap('online', 0) } })).toEqual({
      central: 3,
      hub: 0,
      safeOnHub: true,
    });
    expect(pendingSummary({ ...both, snapshots: { central: snap('offline', 3), hub: snap('offline', 1) } })).toEqual({
      central: 3,
      hub: 1,
      safeOnHub: false,
    });
    // The hub not counted yet: nothing claimed.
    expect(pendingSummary({ ...both, snapshots: { central: snap('offline', 3) } }).safeOnHub).toBe(false);
  });

  it('shows a download only while far behind, with the server count as the approximate total', () => {
    expect(downloadProgress(0, 5000)).toEqual({ have: 0, total: 5000 });
    expect(downloadProgress(4990, 5000)).toBeNull();
    expect(downloadProgress(10, 0)).toBeNull();
  });
});
