/**
 * The service's line to CouchDB: as the server admin (HTTP Basic), JSON in and out, a timeout on
 * every call. The admin's credentials never leave this module's closure.
 */

export interface CouchServer {
  /** CouchDB's address, without credentials. */
  url: string;
  user: string;
  password: string;
}

/** CouchDB could not be asked (down, refused the connection, timed out). */
export class CouchUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CouchUnavailable';
  }
}

export interface CouchReply<T = unknown> {
  status: number;
  ok: boolean;
  body: T;
}

export type CouchRequest = <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  o?: { timeoutMs?: number; signal?: AbortSignal },
) => Promise<CouchReply<T>>;

const TIMEOUT_MS = 15_000;

export const basicAuth = (user: string, password: string): string =>
  'Basic ' + Buffer.from(`${user}:${password}`, 'utf8').toString('base64');

export function couchAdmin(server: CouchServer, f: typeof fetch = fetch): CouchRequest {
  const base = server.url.replace(/\/+$/, '');
  const authorization = basicAuth(server.user, server.password);
  return async (method, path, body, o) => {
    let r: Response;
    try {
      r = await f(`${base}/${path}`, {
        method,
        headers: { authorization, accept: 'application/json', 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: o?.signal ?? AbortSignal.timeout(o?.timeoutMs ?? TIMEOUT_MS),
      });
    } catch (e) {
      throw new CouchUnavailable(`${method} /${path}: ${(e as Error).message}`);
    }
    if (r.status >= 500) throw new CouchUnavailable(`${method} /${path}: HTTP ${r.status}`);
    const text = await r.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: r.status, ok: r.ok, body: parsed as never };
  };
}

/** Who is calling, as CouchDB's `_session` says (null: no valid credentials). */
export interface Caller {
  name: string;
  roles: string[];
}

/**
 * Authenticates a request by handing its credentials (the `Authorization` header, or CouchDB's
 * `AuthSession` cookie) to CouchDB's `_session`: the service keeps no passwords of its own and
 * accepts exactly whom CouchDB accepts.
 */
export async function callerOf(
  couchUrl: string,
  credentials: { authorization?: string | undefined; cookie?: string | undefined },
  f: typeof fetch = fetch,
): Promise<Caller | null> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (credentials.authorization) headers['authorization'] = credentials.authorization;
  else if (credentials.cookie && /(^|;\s*)AuthSession=/.test(credentials.cookie)) {
    // Only CouchDB's own cookie travels on.
    const session = credentials.cookie.split(/;\s*/).find((c) => c.startsWith('AuthSession='));
    if (session) headers['cookie'] = session;
  }
  if (!headers['authorization'] && !headers['cookie']) return null;
  let r: Response;
  try {
    r = await f(`${couchUrl.replace(/\/+$/, '')}/_session`, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    throw new CouchUnavailable(`GET /_session: ${(e as Error).message}`);
  }
  if (r.status === 401) return null;
  if (!r.ok) throw new CouchUnavailable(`GET /_session: HTTP ${r.status}`);
  const body = (await r.json().catch(() => null)) as { userCtx?: { name?: unknown; roles?: unknown } } | null;
  const name = body?.userCtx?.name;
  if (typeof name !== 'string' || !name) return null;
  const roles = Array.isArray(body?.userCtx?.roles)
    ? body.userCtx.roles.filter((x): x is string => typeof x === 'string')
    : [];
  return { name, roles };
}
