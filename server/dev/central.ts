/**
 * The development central: a CouchDB-protocol stand-in for Apache CouchDB 3 (pouchdb-server on
 * disk, loopback only), provisioned by the same code as production. Runs on a developer's machine
 * and in tests only (`npm run central`, scripts/central.ts); nothing that ships imports it.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { launchWithNode, localUrl, waitUntilUp } from '../process';
import { provision, type StaffUser } from '../provision';
import type { ValidationRules } from '../../shared/couch';
import { validationRules } from '../rules';

export const DEV_ADMIN = { user: 'admin', password: 'kense-dev' } as const;
/** Each office's hub account on the dev central (hub role, not an admin; see putHubUser). */
export const DEV_HUB_PASSWORD = 'kense-dev-hub';
export const devHubLogin = (office: string): string => `hub-${office.toLowerCase()}`;

/** `--demo`: an office to try Kense in, with one person per role (development only). */
export const DEMO_PASSWORD = 'kense-demo';
export const DEMO_STAFF: StaffUser[] = [
  { login: 'aigerim', role: 'clerk', fullName: 'Сейітова Айгерім' },
  { login: 'bolat', role: 'head', fullName: 'Жұмабеков Болат' },
  { login: 'dana', role: 'executor', fullName: 'Омарова Дана' },
  { login: 'ermek', role: 'commission', fullName: 'Қасымов Ермек' },
  { login: 'gulnar', role: 'office_admin', fullName: 'Әбдірова Гүлнар' },
].map((s) => ({ ...s, password: DEMO_PASSWORD, office: 'ALM01' }));

export interface Central {
  url: string;
  stop: () => Promise<void>;
}

export async function startCentral(opts: {
  port: number;
  dir: string;
  offices: string[];
  quiet?: boolean;
  rules?: ValidationRules;
  /** Loopback by default. */
  host?: string;
}): Promise<Central> {
  mkdirSync(opts.dir, { recursive: true });
  const config = path.join(opts.dir, 'config.json');
  // Admin credentials (hashed by the server when it starts); anonymous users are not admins.
  if (!existsSync(config)) writeFileSync(config, JSON.stringify({ admins: { [DEV_ADMIN.user]: DEV_ADMIN.password } }));
  // pouchdb-server, through a wrapper that keeps one of its bugs from ending it (see the file).
  const bin = createRequire(import.meta.url).resolve('./dev-central-server.mjs');
  const child = launchWithNode(
    bin,
    [
      '--host',
      opts.host ?? '127.0.0.1',
      '--port',
      String(opts.port),
      '--dir',
      path.resolve(opts.dir),
      '--config',
      path.resolve(config),
      '--no-color',
    ],
    { quiet: opts.quiet ?? false },
  );
  const url = localUrl(opts.host, opts.port);
  const stop = (): Promise<void> => child.stop();
  try {
    await waitUntilUp(url, child, 20_000);
    await provision({
      url,
      user: DEV_ADMIN.user,
      password: DEV_ADMIN.password,
      offices: opts.offices,
      rules: opts.rules ?? validationRules(),
      version: process.env['npm_package_version'] ?? 'dev',
      log: opts.quiet ? () => undefined : (l) => console.warn(`[central] ${l}`),
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, stop };
}
