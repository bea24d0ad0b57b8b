/** A server address without trailing slashes, ready for a path. */
export const base = (server: string): string => server.replace(/\/+$/, '');

/** HTTP Basic credentials, UTF-8 (a password may hold Kazakh letters). */
export function basicAuth(login: string, password: string): string {
  return `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${login}:${password}`)))}`;
}

export type Online =
  | { kind: 'accepted'; name: string | null; roles: string[] }
  | { kind: 'refused' }
  | { kind: 'unreachable' }
  | { kind: 'error'; status: number };

/** POST /_session: the server checks the password; no cookie is kept (requests carry Basic auth). */
export async function checkWithServer(server: string, login: string, password: string): Promise<Online> {
  let r: Response;
  try {
    r = await fetch(`${base(server)}/_session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ name: login, password }),
      credentials: 'omit',
      signal: AbortSignal.timeout(8000),
    });
  } catch {
    return { kind: 'unreachable' };
  }
  if (r.status === 401) return { kind: 'refused' };
  if (!r.ok) return r.status >= 500 ? { kind: 'unreachable' } : { kind: 'error', status: r.status };
  const body = (await r.json().catch(() => null)) as { name?: unknown; roles?: unknown } | null;
  const roles = Array.isArray(body?.roles) ? body.roles.filter((x): x is string => typeof x === 'string') : [];
  return { kind: 'accepted', name: typeof body?.name === 'string' ? body.name : null, roles };
}

/**
 * The full name on the person's own user document (a Kense field, readable by its owner: `_users`
 * admits the staff roles as members); the login when it cannot be read.
 */
export async function fullNameOf(server: string, login: string, password: string): Promise<string> {
  try {
    const r = await fetch(`${base(server)}/_users/${encodeURIComponent(`org.couchdb.user:${login}`)}`, {
      headers: { authorization: basicAuth(login, password) },
      credentials: 'omit',
      signal: AbortSignal.timeout(8000),
    });
    if (!r.ok) return login;
    const doc = (await r.json()) as { full_name?: unknown };
    return typeof doc.full_name === 'string' && doc.full_name.trim() ? doc.full_name.trim() : login;
  } catch {
    return login;
  }
}
