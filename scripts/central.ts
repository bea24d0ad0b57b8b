/**
 * `npm run central`: the development central (server/dev/central.ts) on 127.0.0.1, provisioned,
 * with each office's hub account and, with `--demo` or `--staff`, staff accounts, their staff
 * directory entries and (`--demo`) the demo offices' profiles; with `--service-port` (or `--demo`)
 * the Kense central service (server/central) beside it, as its own process.
 *
 *   npm run central -- --port 5984 --dir .central --offices ALM01,KZO01
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DEMO_PASSWORD,
  DEMO_PROFILES,
  DEMO_STAFF,
  DEV_ADMIN,
  DEV_HUB_PASSWORD,
  devHubLogin,
  startCentral,
} from '../server/dev/central';
import { launchWithNode, waitUntilUp } from '../server/process';
import {
  parseStaffList,
  putHubUser,
  putOfficeProfile,
  putStaffDirectoryEntry,
  putStaffUser,
} from '../server/provision';
import { CENTRAL_SERVICE_PORT } from '../shared/staff';

/**
 * `npm run central-service` against the dev central, as its own Node process (development only:
 * any origin may call it), answering once it listens.
 */
async function startServiceProcess(
  couchUrl: string,
  port: number,
  track: (stop: () => Promise<void>) => void,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const proc = launchWithNode(fileURLToPath(new URL('./central-service.ts', import.meta.url)), [], {
    quiet: false,
    env: {
      KENSE_COUCH_URL: couchUrl,
      KENSE_COUCH_ADMIN_USER: DEV_ADMIN.user,
      KENSE_COUCH_ADMIN_PASSWORD: DEV_ADMIN.password,
      KENSE_SERVICE_HOST: '127.0.0.1',
      KENSE_SERVICE_PORT: String(port),
      KENSE_SERVICE_ORIGINS: '*',
    },
  });
  track(proc.stop);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(url, proc);
  return { url, stop: proc.stop };
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5984' },
    dir: { type: 'string', default: '.central' },
    offices: { type: 'string', default: 'ALM01,KZO01' },
    // Development staff accounts, e.g. aigerim:secret:clerk:ALM01,bolat:secret:head:ALM01
    staff: { type: 'string', default: '' },
    // The demo office ALM01 with one person per role, password kense-demo (see DEMO_STAFF).
    demo: { type: 'boolean', default: false },
    // The Kense central service beside it (server/central), on this port; with --demo, 5986 by default.
    'service-port': { type: 'string' },
  },
});
const offices = values.offices
  .split(',')
  .map((s) => s.trim().toUpperCase())
  .filter(Boolean);
const central = await startCentral({ port: Number(values.port), dir: values.dir, offices, reports: true });
// Stopped from here on, whatever is still starting (npm start may stop us as soon as the demo
// staff are in): the service first, then the server; none of them left running on its own.
const stoppers: (() => Promise<void>)[] = [() => central.stop()];
let stopping: Promise<void> | null = null;
const shutdown = (): void => {
  stopping ??= (async () => {
    for (const stop of [...stoppers].reverse()) await stop();
    process.exit(0);
  })();
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
const admin = { url: central.url, user: DEV_ADMIN.user, password: DEV_ADMIN.password };
for (const office of offices) {
  const hub = { login: devHubLogin(office), password: DEV_HUB_PASSWORD, office };
  await putHubUser(admin, hub);
  console.warn(`[central] hub account ${hub.login}/${hub.password} (${office}) for npm run hub`);
}
for (const profile of values.demo ? DEMO_PROFILES.filter((p) => offices.includes(p.code)) : []) {
  await putOfficeProfile(admin, profile);
  console.warn(`[central] office profile ${profile.code}: ${profile.providers.join(', ')}`);
}
for (const staff of [...(values.demo ? DEMO_STAFF : []), ...parseStaffList(values.staff)]) {
  await putStaffUser(admin, staff);
  // What the Kense central service would write for them: desks route applications by it.
  await putStaffDirectoryEntry(admin, staff);
  console.warn(`[central] staff ${staff.login} (${[staff.role].flat().join('+')}, ${staff.office})`);
}
const servicePort = values['service-port'] ?? (values.demo ? String(CENTRAL_SERVICE_PORT) : undefined);
// Its own process, as beside a real CouchDB (and so that nothing the desktop app bundles imports it).
const service = servicePort
  ? await startServiceProcess(central.url, Number(servicePort), (stop) => stoppers.push(stop))
  : null;
if (service) console.warn(`[central] the Kense central service (staff administration) at ${service.url}`);
console.warn(`[central] ready at ${central.url} (admin: ${DEV_ADMIN.user}/${DEV_ADMIN.password}); Ctrl+C stops it`);
if (values.demo)
  console.warn(
    `[central] demo: set the desk up with office ALM01, any desk code (D01) and server ${central.url}; ` +
      `sign in as ${DEMO_STAFF.map((s) => `${s.login} (${[s.role].flat().join('+')})`).join(', ')}, password ${DEMO_PASSWORD}`,
  );
