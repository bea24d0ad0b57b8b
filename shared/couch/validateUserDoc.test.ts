import { parse } from 'acorn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, loadEngines, reasonOf, type CouchEngine } from '../../tests/support/couchEngines';
import { HUB_ROLE, usersDesignDocument, validateUserDocSource } from './design';
import type { UserCtx } from './validateDocUpdate';

// Exactly the text CouchDB gets, evaluated directly, in another realm and in QuickJS.
const source = usersDesignDocument(['admin'], 'test').validate_doc_update;
let engines: CouchEngine[] = [];
beforeAll(async () => {
  engines = await loadEngines();
});
afterAll(() => engines.forEach((e) => e.dispose()));

const user = (name: string, roles: string[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  _id: `org.couchdb.user:${name}`,
  name,
  type: 'user',
  roles,
  ...extra,
});
const officeAdmin: UserCtx = { db: '_users', name: 'gulnar', roles: ['office_admin', 'office:ALM01'] };

describe('_users validate_doc_update source', () => {
  it('is plain ES5, with no cross-realm instanceof', () => {
    expect(() =>
      parse(`(${validateUserDocSource({ grantable: ['clerk'], reserved: [] })})`, { ecmaVersion: 5 }),
    ).not.toThrow();
    expect(source).not.toMatch(/instanceof/);
  });
});

describe.each(ENGINES)('_users validate_doc_update (office admins), evaluated %s', (mode) => {
  const reason = (doc: Record<string, unknown>, old: Record<string, unknown> | null, ctx: UserCtx): string | null =>
    reasonOf((engines.find((e) => e.name === mode) as CouchEngine).validate(source, doc, old, ctx, null));

  it('keeps an office admin from giving herself another office or catalog_admin (finding 1)', () => {
    const me = user('gulnar', ['office_admin', 'office:ALM01']);
    expect(reason(user('gulnar', ['office_admin', 'office:ALM01', 'office:KZO01']), me, officeAdmin)).toBe(
      'users.ownRoles',
    );
    expect(reason(user('gulnar', ['office_admin', 'office:ALM01', 'catalog_admin']), me, officeAdmin)).toBe(
      'users.ownRoles',
    );
    // Nor another user to another office's staff, nor a clerk to herself.
    expect(reason(user('aidos', ['clerk', 'office:KZO01']), null, officeAdmin)).toBe('users.otherOffice');
    const clerk: UserCtx = { db: '_users', name: 'aigerim', roles: ['clerk', 'office:ALM01'] };
    expect(
      reason(
        user('aigerim', ['clerk', 'office_admin', 'office:ALM01']),
        user('aigerim', ['clerk', 'office:ALM01']),
        clerk,
      ),
    ).toBe('users.rolesAdminOnly');
  });

  it('lets an office admin create and change staff of their own office, with the grantable roles', () => {
    expect(reason(user('aidos', ['clerk', 'office:ALM01'], { password: 'x' }), null, officeAdmin)).toBeNull();
    expect(
      reason(user('aidos', ['clerk', 'head', 'office:ALM01']), user('aidos', ['clerk', 'office:ALM01']), officeAdmin),
    ).toBeNull();
    expect(
      reason({ _id: 'org.couchdb.user:aidos', _deleted: true }, user('aidos', ['clerk', 'office:ALM01']), officeAdmin),
    ).toBeNull();
  });

  it('confines them to their office', () => {
    expect(reason(user('x', ['clerk', 'office:KZO01']), null, officeAdmin)).toBe('users.otherOffice');
    expect(reason(user('x', ['clerk', 'office:ALM01', 'office:KZO01']), null, officeAdmin)).toBe('users.otherOffice');
    expect(reason(user('x', ['clerk']), null, officeAdmin)).toBe('users.otherOffice');
    // Taking over someone of another office by rewriting their roles.
    expect(reason(user('x', ['clerk', 'office:ALM01']), user('x', ['clerk', 'office:KZO01']), officeAdmin)).toBe(
      'users.otherOffice',
    );
    expect(
      reason({ _id: 'org.couchdb.user:x', _deleted: true }, user('x', ['clerk', 'office:KZO01']), officeAdmin),
    ).toBe('users.otherOffice');
  });

  it('lets them grant only the daily staff roles, never system roles, never to server admins or themselves', () => {
    expect(reason(user('x', ['_admin', 'office:ALM01']), null, officeAdmin)).toBe('users.systemRole');
    for (const r of ['office_admin', 'catalog_admin', 'supervisor', HUB_ROLE, 'hacker'])
      expect(reason(user('x', [r, 'office:ALM01']), null, officeAdmin)).toBe('users.roleNotGrantable');
    // Not even touching another office admin of the same office.
    expect(reason(user('y', ['clerk', 'office:ALM01']), user('y', ['office_admin', 'office:ALM01']), officeAdmin)).toBe(
      'users.roleNotGrantable',
    );
    expect(reason(user('admin', ['clerk', 'office:ALM01']), null, officeAdmin)).toBe('users.reserved');
    expect(
      reason(
        user('gulnar', ['office_admin', 'supervisor', 'office:ALM01']),
        user('gulnar', ['office_admin', 'office:ALM01']),
        officeAdmin,
      ),
    ).toBe('users.ownRoles');
    expect(
      reason(
        user('gulnar', ['office_admin', 'office:ALM01'], { password: 'new' }),
        user('gulnar', ['office_admin', 'office:ALM01']),
        officeAdmin,
      ),
    ).toBeNull();
    expect(reason({ ...user('x', ['clerk', 'office:ALM01']), _id: 'org.couchdb.user:y' }, null, officeAdmin)).toBe(
      'users.badId',
    );
  });

  it('leaves ordinary users their password but never roles; server admins anything', () => {
    const clerk: UserCtx = { db: '_users', name: 'aigerim', roles: ['clerk', 'office:ALM01'] };
    const mine = user('aigerim', ['clerk', 'office:ALM01']);
    expect(reason({ ...mine, password: 'new' }, mine, clerk)).toBeNull();
    expect(reason(user('aigerim', ['clerk', 'head', 'office:ALM01']), mine, clerk)).toBe('users.rolesAdminOnly');
    expect(reason(user('z', ['clerk', 'office:ALM01']), null, { db: '_users', name: null, roles: [] })).toBe(
      'users.rolesAdminOnly',
    );
    // office_admin without any office is no office admin.
    expect(
      reason(user('z', ['clerk', 'office:ALM01']), null, { db: '_users', name: 'q', roles: ['office_admin'] }),
    ).toBe('users.rolesAdminOnly');
    expect(reason(user('z', ['supervisor']), null, { db: '_users', name: null, roles: ['_admin'] })).toBeNull();
    expect(reason({ _id: '_design/x' }, null, officeAdmin)).toBe('users.designAdminOnly');
  });
});
