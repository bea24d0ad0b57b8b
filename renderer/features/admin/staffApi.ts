import { GRANTABLE_ROLES } from '@shared/couch';
import { LOGIN_PATTERN, officesOf, staffRolesOf } from '@shared/auth';
import type { StaffRole } from '@shared/events';
import { base, basicAuth } from '../../data/serverAuth';

/** A staff account as the office admin screen shows it (never the password hash). */
export interface StaffAccount {
  login: string;
  fullName: string;
  roles: StaffRole[];
  offices: string[];
}

export type GrantableRole = (typeof GRANTABLE_ROLES)[number];

/** The server's refusal, as a translatable code (`users.*` from the validator, or HTTP). */
export class StaffApiError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

interface Auth {
  server: string;
  login: string;
  password: string;
}

async function call(auth: Auth, method: string, path: string, body?: unknown): Promise<Response> {
  try {
    return await fetch(`${base(auth.server)}/${path}`, {
      method,
      headers: {
        authorization: basicAuth(auth.login, auth.password),
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new StaffApiError('unreachable');
  }
}

async function refusal(r: Response): Promise<StaffApiError> {
  const body = (await r.json().catch(() => null)) as { reason?: unknown } | null;
  const reason = typeof body?.reason === 'string' ? body.reason : '';
  if (/^users\.[a-zA-Z]+$/.test(reason)) return new StaffApiError(reason);
  if (/system roles/i.test(reason)) return new StaffApiError('users.systemRole');
  if (r.status === 401 || r.status === 403) return new StaffApiError('forbidden');
  if (r.status === 409) return new StaffApiError('conflict');
  return new StaffApiError('failed');
}

const userId = (login: string): string => `_users/${encodeURIComponent(`org.couchdb.user:${login}`)}`;

/** The office's staff: `_find` on `_users` (the dev stand-in cannot list `_all_docs` for db admins). */
export async function listStaff(auth: Auth, office: string): Promise<StaffAccount[]> {
  const r = await call(auth, 'POST', '_users/_find', {
    selector: { type: 'user', roles: { $all: [`office:${office}`] } },
    fields: ['name', 'roles', 'full_name'],
    limit: 1000,
  });
  if (!r.ok) throw await refusal(r);
  const { docs } = (await r.json()) as { docs: { name?: unknown; roles?: unknown; full_name?: unknown }[] };
  return docs
    .filter((d) => typeof d.name === 'string')
    .map((d) => {
      const roles = Array.isArray(d.roles) ? d.roles.filter((x): x is string => typeof x === 'string') : [];
      return {
        login: d.name as string,
        fullName: typeof d.full_name === 'string' ? d.full_name : '',
        roles: staffRolesOf(roles),
        offices: officesOf(roles),
      };
    })
    .sort((a, b) => a.login.localeCompare(b.login));
}

/**
 * Creates a staff account of `office` or changes an existing one's grantable roles (keeping any
 * role the admin may not grant, which the server would refuse to touch anyway).
 */
export async function saveStaff(
  auth: Auth,
  office: string,
  staff: { login: string; fullName: string; roles: GrantableRole[]; password?: string },
): Promise<void> {
  if (!LOGIN_PATTERN.test(staff.login)) throw new StaffApiError('badLogin');
  if (staff.roles.length === 0) throw new StaffApiError('noRole');
  // Read through `_find`, not GET: the dev stand-in answers a database admin's GET of another
  // user's document with HTTP 500 (CouchDB 3 serves both).
  const found = await call(auth, 'POST', '_users/_find', {
    selector: { _id: `org.couchdb.user:${staff.login}` },
    limit: 1,
  });
  if (!found.ok) throw await refusal(found);
  const existing = ((await found.json()) as { docs: Record<string, unknown>[] }).docs[0] ?? null;
  if (!existing && !staff.password) throw new StaffApiError('passwordRequired');
  const oldRoles = Array.isArray(existing?.['roles']) ? (existing['roles'] as string[]) : [];
  const kept = oldRoles.filter((r) => !(GRANTABLE_ROLES as readonly string[]).includes(r) && !r.startsWith('office:'));
  const doc = {
    ...(existing ?? {}),
    _id: `org.couchdb.user:${staff.login}`,
    name: staff.login,
    type: 'user',
    roles: [...staff.roles, ...kept, `office:${office}`],
    full_name: staff.fullName.trim(),
    ...(staff.password ? { password: staff.password } : {}),
  };
  const r = await call(auth, 'PUT', userId(staff.login), doc);
  if (!r.ok) throw await refusal(r);
}
