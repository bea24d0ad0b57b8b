/**
 * The service's HTTP face, on Node's own `http` module: a handful of JSON routes need no framework
 * (no dependency to keep up to date on a server that holds CouchDB's admin password), and every
 * request body is checked with the shared zod schemas (shared/staff/service.ts).
 *
 *   GET   /                              who answers (no credentials needed)
 *   GET   /v1/staff[?office=CODE]        the office's staff (office admin)
 *   POST  /v1/staff[?office=CODE]        add a person             {login, fullName, roles, password?}
 *   PATCH /v1/staff/<login>              roles and/or full name   {roles?, fullName?}
 *   POST  /v1/staff/<login>/deactivate   stop them signing in
 *   POST  /v1/staff/<login>/activate     let them sign in again (roles and password as before)
 *   POST  /v1/staff/<login>/password     reset the password       {password?} (absent: generated, answered once)
 *   GET   /v1/hub/staff                  the office's sign-in verifiers (the office's hub account only)
 *
 * Credentials: the caller's own, as CouchDB takes them (HTTP Basic, or CouchDB's AuthSession
 * cookie), checked by CouchDB's `_session` on every request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { z } from 'zod';
import {
  createStaffSchema,
  resetPasswordSchema,
  updateStaffSchema,
  type ServiceError as ServiceErrorBody,
} from '../../shared/staff';
import { callerOf, CouchUnavailable, type Caller } from './couch';
import { ServiceError, type StaffService } from './staff';

export interface HttpOptions {
  couchUrl: string;
  staff: StaffService;
  /** Origins allowed to call from a browser (CORS, with credentials); `*` allows any. */
  origins: readonly string[];
  version: string;
  log: (line: string) => void;
  fetch?: typeof fetch;
}

const MAX_BODY = 64 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    // Answers may carry a temporary password: never kept by a cache on the way.
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

const fail = (res: ServerResponse, status: number, error: string, reason?: string): void =>
  send(res, status, { error, ...(reason ? { reason } : {}) } satisfies ServiceErrorBody);

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let text = '';
    let size = 0;
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      size += Buffer.byteLength(c);
      if (size > MAX_BODY) {
        reject(new ServiceError(413, 'badRequest', 'body too large'));
        req.destroy();
      } else text += c;
    });
    req.on('end', () => {
      if (!text) return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new ServiceError(400, 'badRequest', 'invalid JSON'));
      }
    });
    req.on('error', reject);
  });
}

async function parsed<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const r = schema.safeParse(await readBody(req));
  if (!r.success) throw new ServiceError(400, 'badRequest', r.error.issues.map((i) => i.path.join('.')).join(', '));
  return r.data;
}

/** CORS for the app's origins: the desk (app://kense, browser mode) calls with credentials. */
function cors(req: IncomingMessage, res: ServerResponse, origins: readonly string[]): void {
  const origin = req.headers.origin;
  if (!origin || !(origins.includes('*') || origins.includes(origin))) return;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-allow-credentials', 'true');
  res.setHeader('vary', 'Origin');
}

export function createServiceServer(o: HttpOptions): Server {
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://service');
    const method = req.method ?? 'GET';
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (method === 'OPTIONS') {
      if (res.hasHeader('access-control-allow-origin')) {
        res.setHeader('access-control-allow-methods', 'GET, POST, PATCH, OPTIONS');
        res.setHeader('access-control-allow-headers', 'accept, authorization, content-type');
        res.setHeader('access-control-max-age', '600');
      }
      res.writeHead(204).end();
      return;
    }
    if (parts.length === 0 && method === 'GET') return send(res, 200, { service: 'kense-central', version: o.version });
    if (parts[0] !== 'v1') return fail(res, 404, 'notFound');

    const caller: Caller | null = await callerOf(
      o.couchUrl,
      { authorization: req.headers.authorization, cookie: req.headers.cookie },
      o.fetch,
    );
    if (!caller) {
      res.setHeader('www-authenticate', 'Basic realm="kense"');
      return fail(res, 401, 'unauthorized');
    }
    const office = url.searchParams.get('office') ?? undefined;
    const [, what, login, action] = parts;

    if (what === 'hub' && login === 'staff' && parts.length === 3 && method === 'GET')
      return send(res, 200, await o.staff.hubStaff(caller));
    if (what !== 'staff') return fail(res, 404, 'notFound');
    if (!login) {
      if (method === 'GET') return send(res, 200, await o.staff.list(caller, office));
      if (method === 'POST') {
        const change = await o.staff.create(caller, await parsed(req, createStaffSchema), office);
        o.log(`${caller.name} added ${change.account.login}`);
        return send(res, 201, change);
      }
      return fail(res, 405, 'badRequest');
    }
    if (parts.length === 3 && method === 'PATCH') {
      const change = await o.staff.update(caller, login, await parsed(req, updateStaffSchema));
      o.log(`${caller.name} changed ${login}`);
      return send(res, 200, change);
    }
    if (parts.length === 4 && method === 'POST') {
      if (action === 'deactivate' || action === 'activate') {
        const change = await o.staff.setActive(caller, login, action === 'activate');
        o.log(`${caller.name}: ${login} ${action}d`);
        return send(res, 200, change);
      }
      if (action === 'password') {
        const change = await o.staff.resetPassword(caller, login, await parsed(req, resetPasswordSchema));
        o.log(`${caller.name} reset the password of ${login}`);
        return send(res, 200, change);
      }
    }
    return fail(res, 404, 'notFound');
  };

  return createServer((req, res) => {
    cors(req, res, o.origins);
    route(req, res).catch((e: unknown) => {
      if (res.headersSent) return res.end();
      if (e instanceof ServiceError) return fail(res, e.status, e.code, e.message === e.code ? undefined : e.message);
      if (e instanceof CouchUnavailable) {
        o.log(`CouchDB unavailable: ${e.message}`);
        return fail(res, 503, 'couchUnavailable');
      }
      o.log(`error: ${(e as Error).stack ?? String(e)}`);
      return fail(res, 500, 'failed');
    });
  });
}
