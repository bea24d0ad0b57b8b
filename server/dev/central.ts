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
import { PROVIDER_HOURS } from '../../shared/calendar';
import type { OfficeProfile } from '../../shared/catalogue/office';
import { parseOrigins, type ValidationRules } from '../../shared/couch';
import type { ReportsWriter } from '../central/reports/writer';
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

/**
 * `--demo`: the demo offices' profiles. ALM01 is an Almaty district department: it acts for the
 * city's employment and social programmes department and its district departments, and takes
 * applications at its own desk, from the ЦОН, the portal and home visits; KZO01 is Kyzylorda's.
 */
export const DEMO_PROFILES: OfficeProfile[] = [
  {
    code: 'ALM01',
    names: {
      kk: 'Алматы қаласы Жұмыспен қамту және әлеуметтік бағдарламалар басқармасының аудандық бөлімі',
      ru: 'Районный отдел Управления занятости и социальных программ города Алматы',
    },
    region: 'almaty_city',
    providers: ['almaty-uzsp', 'almaty-uzsp-district'],
    channels: ['provider_office', 'con', 'portal', 'home_visit', 'mail'],
    hours: PROVIDER_HOURS,
  },
  {
    code: 'KZO01',
    names: {
      kk: 'Қызылорда облысының жұмыспен қамтуды үйлестіру және әлеуметтік бағдарламалар басқармасы',
      ru: 'Управление координации занятости и социальных программ Кызылординской области',
    },
    region: 'kyzylorda',
    providers: ['kyzylorda-ukzsp'],
    channels: ['provider_office', 'portal'],
    hours: PROVIDER_HOURS,
  },
];

export interface Central {
  url: string;
  stop: () => Promise<void>;
  /** The server's process id, if known (the bench reads its memory and CPU time). */
  pid?: number | null;
}

export async function startCentral(opts: {
  port: number;
  dir: string;
  offices: string[];
  quiet?: boolean;
  rules?: ValidationRules;
  /** Loopback by default. */
  host?: string;
  /**
   * Run the reports writer of the Kense central service beside the server (server/central/reports):
   * report facts for supervisors, kept from the office databases. The CLI does.
   */
  reports?: boolean;
  /**
   * The origins browsers may call it from (CORS, written by provisioning as on CouchDB 3). Default:
   * any (`*`; loopback only) or KENSE_CORS_ORIGINS.
   */
  corsOrigins?: string[];
  /** Whose `_users` this is (provision.ts): central's by default; an office hub's copy is closed to staff. */
  usersOf?: 'central' | 'hub';
}): Promise<Central> {
  mkdirSync(opts.dir, { recursive: true });
  const config = path.join(opts.dir, 'config.json');
  // Admin credentials (hashed by the server when it starts); anonymous users are not admins.
  if (!existsSync(config)) writeFileSync(config, JSON.stringify({ admins: { [DEV_ADMIN.user]: DEV_ADMIN.password } }));
  // pouchdb-server, through a wrapper that contains some of its bugs (see the file).
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
    // tsx: the wrapper loads the hub's view engine from its TypeScript source (see the file).
    { quiet: opts.quiet ?? false, execArgv: ['--import', 'tsx'] },
  );
  const url = localUrl(opts.host, opts.port);
  let writer: ReportsWriter | null = null;
  const stop = async (): Promise<void> => {
    await writer?.stop();
    await child.stop();
  };
  try {
    await waitUntilUp(url, child);
    await provision({
      url,
      user: DEV_ADMIN.user,
      password: DEV_ADMIN.password,
      offices: opts.offices,
      rules: opts.rules ?? validationRules(),
      version: process.env['npm_package_version'] ?? 'dev',
      log: opts.quiet ? () => undefined : (l) => console.warn(`[central] ${l}`),
      corsOrigins: opts.corsOrigins ?? parseOrigins(process.env['KENSE_CORS_ORIGINS'] ?? '*'),
      usersOf: opts.usersOf ?? 'central',
    });
    if (opts.reports) {
      // Loaded only here: the bundled catalogue's JSON modules need a loader that takes them (tsx),
      // and the e2e tests import this file for its constants.
      const [{ ReportsWriter }, { loadCentralCatalog }] = await Promise.all([
        import('../central/reports/writer'),
        import('../central/reports/catalog'),
      ]);
      // The catalogue provisioning seeded into `catalog`, as the desks have it.
      const admin = { user: DEV_ADMIN.user, password: DEV_ADMIN.password };
      const { catalogue, calendar } = await loadCentralCatalog({ url, ...admin });
      writer = new ReportsWriter({
        url,
        ...admin,
        offices: opts.offices,
        catalogue,
        calendar,
        log: opts.quiet ? undefined : (l) => console.warn(`[central] ${l}`),
      });
      writer.start();
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, stop, pid: child.pid };
}
