import { STAFF_ROLES, type StaffRole } from '../events/event';

/**
 * What CouchDB's `_session` says about a user (`userCtx`), turned into what a desk needs: the
 * staff roles held (in the canonical order) and the offices (`office:<CODE>` roles).
 */
export interface SessionUserCtx {
  name: string | null;
  roles: readonly string[];
}

export const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;
export const OFFICE_ROLE_PREFIX = 'office:';

export function staffRolesOf(roles: readonly string[]): StaffRole[] {
  return STAFF_ROLES.filter((r) => roles.includes(r));
}

export function officesOf(roles: readonly string[]): string[] {
  return roles
    .filter((r) => r.startsWith(OFFICE_ROLE_PREFIX))
    .map((r) => r.slice(OFFICE_ROLE_PREFIX.length))
    .filter((o) => /^[A-Z0-9]{2,16}$/.test(o));
}

export type IdentityRefusal = 'anonymous' | 'noStaffRole' | 'wrongOffice';

export interface StaffIdentity {
  login: string;
  office: string;
  roles: StaffRole[];
}

/**
 * May this user work at a desk of `deskOffice`? They must be named, hold at least one staff role
 * and belong to the desk's office (`office:<CODE>`): the office database's `_security` and
 * validator would refuse them anyway, so the desk says so at sign-in instead of at the first write.
 */
export function identityFor(
  ctx: SessionUserCtx,
  deskOffice: string,
): { ok: true; identity: StaffIdentity } | { ok: false; reason: IdentityRefusal } {
  if (!ctx.name) return { ok: false, reason: 'anonymous' };
  const roles = staffRolesOf(ctx.roles);
  if (roles.length === 0) return { ok: false, reason: 'noStaffRole' };
  if (!officesOf(ctx.roles).includes(deskOffice)) return { ok: false, reason: 'wrongOffice' };
  return { ok: true, identity: { login: ctx.name, office: deskOffice, roles } };
}
