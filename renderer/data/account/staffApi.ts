import {
  serviceErrorSchema,
  staffChangeSchema,
  staffListSchema,
  type CreateStaff,
  type StaffChange,
  type StaffList,
  type UpdateStaff,
} from '@shared/staff';
import { base, basicAuth } from '../remote/serverAuth';

export type { StaffAccount } from '@shared/staff';

/**
 * The office admin's staff administration, through the Kense central service (server/central):
 * office admins hold no rights in CouchDB's `_users` (issue 12); the service checks their session
 * and office with the `_users` validator's rules and writes as the server admin.
 */

/** Why the service refused or could not be asked, as a translatable code (`auth:admin.error.*`). */
export class StaffApiError extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'StaffApiError';
  }
}

export interface ServiceAuth {
  /** The central service's address. */
  service: string;
  login: string;
  password: string;
}

const TIMEOUT_MS = 15_000;

async function call<T>(
  auth: ServiceAuth,
  method: string,
  path: string,
  parse: (body: unknown) => T,
  body?: unknown,
): Promise<T> {
  let r: Response;
  try {
    r = await fetch(`${base(auth.service)}/v1/${path}`, {
      method,
      headers: {
        authorization: basicAuth(auth.login, auth.password),
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      credentials: 'omit',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    throw new StaffApiError('unreachable');
  }
  const json = (await r.json().catch(() => null)) as unknown;
  if (!r.ok) {
    const refusal = serviceErrorSchema.safeParse(json);
    // The validator's own reasons (users.*) and the service's codes; anything else is a failure.
    const code = refusal.success && /^(users\.)?[a-zA-Z]+$/.test(refusal.data.error) ? refusal.data.error : 'failed';
    throw new StaffApiError(code.replace(/^users\./, ''));
  }
  try {
    return parse(json);
  } catch {
    // Something answered that is not the service (a wrong address): say so, not "saved".
    throw new StaffApiError('notService');
  }
}

const seg = (login: string): string => encodeURIComponent(login);

export const listStaff = (auth: ServiceAuth, office: string): Promise<StaffList> =>
  call(auth, 'GET', `staff?office=${encodeURIComponent(office)}`, (b) => staffListSchema.parse(b));

export const addStaff = (auth: ServiceAuth, office: string, body: CreateStaff): Promise<StaffChange> =>
  call(auth, 'POST', `staff?office=${encodeURIComponent(office)}`, (b) => staffChangeSchema.parse(b), body);

export const updateStaff = (auth: ServiceAuth, login: string, body: UpdateStaff): Promise<StaffChange> =>
  call(auth, 'PATCH', `staff/${seg(login)}`, (b) => staffChangeSchema.parse(b), body);

export const setStaffActive = (auth: ServiceAuth, login: string, active: boolean): Promise<StaffChange> =>
  call(auth, 'POST', `staff/${seg(login)}/${active ? 'activate' : 'deactivate'}`, (b) => staffChangeSchema.parse(b));

/** A new password for `login`: the one given, or one the service makes (answered once). */
export const resetStaffPassword = (auth: ServiceAuth, login: string, password?: string): Promise<StaffChange> =>
  call(auth, 'POST', `staff/${seg(login)}/password`, (b) => staffChangeSchema.parse(b), password ? { password } : {});
