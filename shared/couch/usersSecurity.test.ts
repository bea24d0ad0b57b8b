import { describe, expect, it } from 'vitest';
import { GRANTABLE_ROLES, HUB_ROLE, usersSecurity } from './design';

/**
 * `_users`' security object as CouchDB 3 reads it (issue 12, findings 3 and 4): a database admin of
 * `_users` reads every user's document with its password hash and may rewrite the design documents,
 * so nobody but the server admin may be one; and a member list of `_admin` alone shuts every staff
 * member out of their own document (CouchDB checks `_security` members before it lets a non-admin
 * read or update their own user document).
 */
describe('_users security', () => {
  const sec = usersSecurity();

  it('makes no role a database admin of _users: office admins included (finding 3)', () => {
    expect(sec.admins).toEqual({ names: [], roles: [] });
  });

  it('lets every staff role and the hub account in as members, so each reads and updates their own document (finding 4)', () => {
    expect(sec.members.roles).not.toContain('_admin');
    for (const role of [...GRANTABLE_ROLES, 'office_admin', 'catalog_admin', 'supervisor', HUB_ROLE])
      expect(sec.members.roles).toContain(role);
    // Not empty: an empty member list would open _users to anonymous self-registration.
    expect(sec.members.roles.length + sec.members.names.length).toBeGreaterThan(0);
  });
});
