import { z } from 'zod';
import { LOGIN_PATTERN } from '../auth/identity';
import { CODE_PATTERN } from '../events/ids';
import { STAFF_ROLES } from '../events/event';
import { GRANTABLE_ROLES } from '../couch/design';

/**
 * The HTTP contract of the Kense central service (server/central): staff administration for office
 * admins, and the office's sign-in verifiers for its hub. Shared by the service, the desk
 * (renderer/features/admin) and the embedded hub (server/hub/staffCopy.ts), so that the
 * three agree on every shape; each side parses what it receives with these schemas.
 */

/** The service's port when it runs beside CouchDB (5984 CouchDB, 5985 an office hub). */
export const CENTRAL_SERVICE_PORT = 5986;
/**
 * Its path behind a reverse proxy that also serves CouchDB at the root: CouchDB database names
 * cannot start with `_`, and CouchDB has no `_kense` endpoint, so the two never collide.
 */
export const CENTRAL_SERVICE_PATH = '/_kense';

/**
 * Where a desk looks for the service when nobody has said: beside a CouchDB reached on an explicit
 * port, the same host on port 5986; behind a reverse proxy (the default port of http/https), the
 * same origin under /_kense. Null for an address that is not http(s).
 */
export function defaultCentralServiceUrl(centralUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(centralUrl);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (u.port)
    return `${u.protocol}//${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${CENTRAL_SERVICE_PORT}`;
  return `${u.origin}${CENTRAL_SERVICE_PATH}`;
}

/** The roles an office admin may grant through the service: the `_users` validator's list. */
const grantableRole = z.enum(GRANTABLE_ROLES);

export const MIN_PASSWORD_LENGTH = 8;
const password = z.string().min(MIN_PASSWORD_LENGTH).max(256);
const fullName = z.string().trim().min(2).max(200);

/** A staff member as an office admin sees them: never a password hash. */
export const staffAccountSchema = z
  .object({
    login: z.string().regex(LOGIN_PATTERN),
    fullName: z.string(),
    /** Staff roles held (or, while deactivated, held before and restored on re-enabling). */
    roles: z.array(z.enum(STAFF_ROLES)),
    active: z.boolean(),
    /** `hub`: the office hub's technical account (kense_hub), not a person: no roles to tick. */
    kind: z.enum(['person', 'hub']),
    /** Whether this admin may change them (their own account and other admins are not theirs to change). */
    manageable: z.boolean(),
  })
  .strict();
export type StaffAccount = z.infer<typeof staffAccountSchema>;

export const staffListSchema = z.object({ office: z.string().regex(CODE_PATTERN), staff: z.array(staffAccountSchema) });
export type StaffList = z.infer<typeof staffListSchema>;

export const createStaffSchema = z
  .object({
    login: z.string().regex(LOGIN_PATTERN),
    fullName,
    roles: z.array(grantableRole).min(1).max(GRANTABLE_ROLES.length),
    /** Absent: the service makes a temporary password and answers it once. */
    password: password.optional(),
  })
  .strict();
export type CreateStaff = z.infer<typeof createStaffSchema>;

export const updateStaffSchema = z
  .object({
    fullName: fullName.optional(),
    roles: z.array(grantableRole).min(1).max(GRANTABLE_ROLES.length).optional(),
  })
  .strict();
export type UpdateStaff = z.infer<typeof updateStaffSchema>;

export const resetPasswordSchema = z.object({ password: password.optional() }).strict();
export type ResetPassword = z.infer<typeof resetPasswordSchema>;

/** The answer to a change: the account as it is now, and a generated password, shown once. */
export const staffChangeSchema = z
  .object({ account: staffAccountSchema, temporaryPassword: z.string().optional() })
  .strict();
export type StaffChange = z.infer<typeof staffChangeSchema>;

/**
 * Why the service refused, as a translatable code: `users.*` are the `_users` validator's own
 * (shared/couch/validateUserDoc.ts), the rest the service's.
 */
export const SERVICE_ERRORS = [
  'unauthorized',
  'forbidden',
  'notFound',
  'exists',
  'inactive',
  'badRequest',
  'conflict',
  'couchUnavailable',
] as const;
export const serviceErrorSchema = z.object({ error: z.string().max(64), reason: z.string().max(500).optional() });
export type ServiceError = z.infer<typeof serviceErrorSchema>;

/**
 * One staff member's sign-in verifier as the office's hub receives it (the hub checks passwords as
 * CouchDB does): only to the hub account of that office, only active staff, only these fields.
 */
export const hubVerifierSchema = z
  .object({
    name: z.string().regex(LOGIN_PATTERN),
    roles: z.array(z.string().max(64)).max(32),
    password_scheme: z.literal('pbkdf2'),
    /** CouchDB 3.4's default is `sha256`; absent or `sha` is PBKDF2-SHA1. */
    pbkdf2_prf: z.string().max(16).optional(),
    iterations: z.number().int().positive(),
    salt: z.string().max(1024),
    derived_key: z.string().max(1024),
  })
  .strict();
export type HubVerifier = z.infer<typeof hubVerifierSchema>;
export const hubStaffSchema = z.object({
  office: z.string().regex(CODE_PATTERN),
  staff: z.array(hubVerifierSchema),
  /** Staff whose verifier is no PBKDF2 (the hub could not check it), by login. */
  unverifiable: z.array(z.string()),
});
export type HubStaff = z.infer<typeof hubStaffSchema>;
