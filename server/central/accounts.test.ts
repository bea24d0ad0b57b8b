import { describe, expect, it } from 'vitest';
import {
  accountView,
  asUserDoc,
  deactivated,
  directoryEntry,
  hubVerifier,
  reactivated,
  withGrantableRoles,
  type UserDoc,
} from './accounts';
import { serviceConfig } from './config';

const doc = (over: Partial<UserDoc> = {}): UserDoc => ({
  _id: 'org.couchdb.user:aidos',
  _rev: '3-x',
  name: 'aidos',
  type: 'user',
  roles: ['clerk', 'executor', 'office:ALM01'],
  full_name: 'Әлиев Айдос',
  password_scheme: 'pbkdf2',
  pbkdf2_prf: 'sha256',
  iterations: 600000,
  salt: 'salt-1',
  derived_key: 'key-1',
  ...over,
});

describe('deactivating and re-enabling an account', () => {
  it('empties the roles and replaces the verifier with a new password, keeping both for re-enabling', () => {
    const off = deactivated(doc(), { at: '2026-12-02T05:00:00.000Z', by: 'gulnar', randomPassword: 'r'.repeat(32) });
    expect(off.roles).toEqual([]);
    expect(off.password).toBe('r'.repeat(32));
    for (const f of ['derived_key', 'salt', 'iterations', 'pbkdf2_prf', 'password_scheme'])
      expect(off).not.toHaveProperty(f);
    expect(off.kense_deactivated).toEqual({
      at: '2026-12-02T05:00:00.000Z',
      by: 'gulnar',
      roles: ['clerk', 'executor', 'office:ALM01'],
      verifier: {
        password_scheme: 'pbkdf2',
        pbkdf2_prf: 'sha256',
        iterations: 600000,
        salt: 'salt-1',
        derived_key: 'key-1',
      },
    });
    // What CouchDB stores: the random password hashed in place of the old verifier.
    const stored = asUserDoc({ ...off, password: undefined, derived_key: 'random-key', salt: 'random-salt' });
    expect(stored).not.toBeNull();
    const on = reactivated(stored as UserDoc);
    expect(on).toEqual(doc());
    // Deactivating twice keeps the first marker (the old verifier is not lost).
    expect(deactivated(off, { at: 'later', by: 'x', randomPassword: 'y' })).toBe(off);
  });

  it('shows an office admin the roles held before, never a hash; the hub account as technical', () => {
    const off = deactivated(doc(), { at: 'a', by: 'b', randomPassword: 'c' });
    const view = accountView(off, true);
    expect(view).toEqual({
      login: 'aidos',
      fullName: 'Әлиев Айдос',
      roles: ['clerk', 'executor'],
      active: false,
      kind: 'person',
      manageable: true,
    });
    expect(JSON.stringify(view)).not.toMatch(/key|salt/);
    expect(accountView(doc({ name: 'hub-alm01', roles: ['kense_hub', 'office:ALM01'] }), false).kind).toBe('hub');
  });

  it('replaces grantable roles only: the office and any role an admin cannot grant are kept', () => {
    expect(withGrantableRoles(doc({ roles: ['clerk', 'supervisor', 'office:ALM01'] }), ['head']).roles).toEqual([
      'head',
      'supervisor',
      'office:ALM01',
    ]);
  });
});

describe('the staff directory entry of an account', () => {
  it('names the directory roles, active or not; an account that left the office stays, inactive', () => {
    expect(directoryEntry(doc(), 'aidos', 'ALM01', 'now')).toEqual({
      _id: 'staff:aidos',
      type: 'staff',
      v: 1,
      office: 'ALM01',
      login: 'aidos',
      fullName: 'Әлиев Айдос',
      roles: ['clerk', 'executor'],
      active: true,
      updatedAt: 'now',
    });
    const off = deactivated(doc(), { at: 'a', by: 'b', randomPassword: 'c' });
    expect(directoryEntry(off, 'aidos', 'ALM01', 'now')).toMatchObject({ active: false, roles: ['clerk', 'executor'] });
    expect(directoryEntry(doc({ roles: ['clerk', 'office:KZO01'] }), 'aidos', 'ALM01', 'now')).toMatchObject({
      active: false,
      roles: [],
    });
    expect(directoryEntry(null, 'aidos', 'ALM01', 'now')).toMatchObject({ active: false, fullName: 'aidos' });
    // No password material in any entry; hub accounts and server admins are no staff of the office.
    expect(JSON.stringify(directoryEntry(doc(), 'aidos', 'ALM01', 'now'))).not.toMatch(/key|salt|password/);
    expect(directoryEntry(doc({ roles: ['kense_hub', 'office:ALM01'] }), 'aidos', 'ALM01', 'now')).toBeNull();
    expect(directoryEntry(doc({ roles: ['_admin', 'office:ALM01'] }), 'aidos', 'ALM01', 'now')).toBeNull();
  });
});

describe("the office's verifiers for its hub", () => {
  it('gives active staff of that office with a PBKDF2 verifier, and names those it cannot', () => {
    expect(hubVerifier(doc(), 'ALM01')).toEqual({
      name: 'aidos',
      roles: ['clerk', 'executor', 'office:ALM01'],
      password_scheme: 'pbkdf2',
      pbkdf2_prf: 'sha256',
      iterations: 600000,
      salt: 'salt-1',
      derived_key: 'key-1',
    });
    expect(hubVerifier(doc(), 'KZO01')).toBeNull();
    expect(hubVerifier(deactivated(doc(), { at: 'a', by: 'b', randomPassword: 'c' }), 'ALM01')).toBeNull();
    expect(hubVerifier(doc({ roles: ['kense_hub', 'office:ALM01'] }), 'ALM01')).toBeNull();
    expect(hubVerifier(doc({ password_scheme: 'simple' }), 'ALM01')).toBe('unverifiable');
  });
});

describe('the service configuration', () => {
  it('takes the admin from the URL or the environment, and says what is missing', () => {
    expect(serviceConfig({ KENSE_COUCH_URL: 'http://admin:s%40cret@127.0.0.1:5984/' })).toEqual({
      couch: { url: 'http://127.0.0.1:5984', user: 'admin', password: 's@cret' },
      host: '127.0.0.1',
      port: 5986,
      origins: ['app://kense', 'http://127.0.0.1:5741', 'http://localhost:5741'],
    });
    expect(
      serviceConfig({
        KENSE_COUCH_ADMIN_PASSWORD: 'x',
        KENSE_SERVICE_PORT: '7000',
        KENSE_SERVICE_ORIGINS: 'app://kense, https://desk.example.kz',
      }),
    ).toMatchObject({
      couch: { user: 'admin', password: 'x' },
      port: 7000,
      origins: ['app://kense', 'https://desk.example.kz'],
    });
    expect(() => serviceConfig({})).toThrow(/KENSE_COUCH_ADMIN_PASSWORD/);
    expect(() => serviceConfig({ KENSE_COUCH_ADMIN_PASSWORD: 'x', KENSE_SERVICE_ORIGINS: 'kense' })).toThrow(
      /not an origin/,
    );
  });
});
