/**
 * The CouchDB-protocol server an integration test runs against: the development central
 * (pouchdb-server, a fresh one per suite) by default, or an external Apache CouchDB 3 when
 * KENSE_TEST_COUCH_URL names one (with its server admin's credentials in the URL):
 *
 *   KENSE_TEST_COUCH_URL=http://admin:secret@127.0.0.1:5984 npm run test:integration
 *
 * On an external server each suite starts from its own clean slate: the office databases it uses
 * are deleted and provisioned again by the production script, and the accounts it names are
 * removed first. Use a server kept for tests only. Suites then run one after another (the vitest
 * configuration turns file parallelism off), since they share the server.
 *
 * Where the two servers differ, a test asks `kind` and says what it expects of each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_APP_ORIGINS, type ValidationRules } from '@shared/couch';
import { DEV_ADMIN, startCentral } from '../../../server/dev/central';
import { provision, splitCredentials } from '../../../server/provision';
import { validationRules } from '../../../server/rules';

export const EXTERNAL_COUCH = process.env['KENSE_TEST_COUCH_URL'] || null;

export type ServerKind = 'couchdb' | 'pouchdb-server';

export interface TestCouch {
  url: string;
  admin: { user: string; password: string };
  /** What answered `GET /`: Apache CouchDB ("couchdb": "Welcome") or the development stand-in. */
  kind: ServerKind;
  version: string;
  external: boolean;
  stop: () => Promise<void>;
}

/** The server admin of the server under test. */
export function testAdmin(): { user: string; password: string } {
  if (!EXTERNAL_COUCH) return { ...DEV_ADMIN };
  const { user, password } = splitCredentials(EXTERNAL_COUCH, { user: 'admin', password: '' });
  return { user, password };
}

export const basicAuth = (user: string, password: string): string =>
  'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
export const testAdminAuth = (): string => {
  const a = testAdmin();
  return basicAuth(a.user, a.password);
};

/** Which server answers at `url`, from its welcome (`GET /`). */
export async function serverKind(url: string): Promise<{ kind: ServerKind; version: string }> {
  const body = (await (await fetch(`${url.replace(/\/+$/, '')}/`)).json()) as Record<string, unknown>;
  const version = typeof body['version'] === 'string' ? body['version'] : '?';
  // CouchDB answers {"couchdb":"Welcome","version":"3.x",…}; pouchdb-server {"express-pouchdb":"Welcome!",…}.
  return { kind: body['couchdb'] === 'Welcome' ? 'couchdb' : 'pouchdb-server', version };
}

/**
 * A provisioned server for one suite: offices, their `_security` and validators, `_users`, CORS.
 * `logins` are the accounts the suite creates (removed first from an external server).
 */
export async function startTestCouch(o: {
  port: number;
  offices: string[];
  rules?: ValidationRules;
  logins?: string[];
  /** More databases the suite creates (deleted first on an external server). */
  databases?: string[];
  /** CORS origins (default: the app's); `*` where a page is served from a port chosen at run time. */
  corsOrigins?: string[];
}): Promise<TestCouch> {
  const rules = o.rules ?? validationRules();
  const corsOrigins = o.corsOrigins ?? [...DEFAULT_APP_ORIGINS];
  if (!EXTERNAL_COUCH) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kense-couch-'));
    const central = await startCentral({
      port: o.port,
      dir,
      offices: o.offices,
      quiet: true,
      rules,
      corsOrigins,
    });
    return {
      url: central.url,
      admin: { ...DEV_ADMIN },
      ...(await serverKind(central.url)),
      external: false,
      stop: async () => {
        await central.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const { url } = splitCredentials(EXTERNAL_COUCH, { user: '', password: '' });
  const admin = testAdmin();
  const auth = basicAuth(admin.user, admin.password);
  const call = (method: string, p: string): Promise<Response> =>
    fetch(`${url}/${p}`, { method, headers: { authorization: auth, accept: 'application/json' } });
  for (const db of [...o.offices.map((c) => `office_${c.toLowerCase()}`), ...(o.databases ?? [])]) {
    const r = await call('DELETE', encodeURIComponent(db));
    if (!r.ok && r.status !== 404) throw new Error(`cannot reset ${db} on ${url}: HTTP ${r.status}`);
  }
  for (const login of o.logins ?? []) {
    const id = `_users/${encodeURIComponent(`org.couchdb.user:${login}`)}`;
    const r = await call('GET', id);
    if (r.ok) {
      const { _rev: rev } = (await r.json()) as { _rev: string };
      await call('DELETE', `${id}?rev=${encodeURIComponent(rev)}`);
    }
  }
  await provision({
    url,
    ...admin,
    offices: o.offices,
    rules,
    version: 'test',
    log: () => undefined,
    corsOrigins,
  });
  return { url, admin, ...(await serverKind(url)), external: true, stop: () => Promise.resolve() };
}
