/**
 * `npm run hub`: the office hub, headless (the same module the desktop app runs when the hub is
 * enabled in its settings: electron/main/hub/officeHub.ts).
 *
 *   npm run hub -- --office ALM01 --central http://127.0.0.1:5984 --port 5985 --host 0.0.0.0
 *
 * Central's credentials come from KENSE_CENTRAL_USER / KENSE_CENTRAL_PASSWORD: the office's hub
 * account (`npm run provision -- --offices ALM01 --hub-user hub-alm01` on central; the dev central
 * makes hub-<office>/kense-dev-hub). Staff accounts are pulled from central's `_users` with
 * KENSE_USERS_USER / KENSE_USERS_PASSWORD, an account that may read it (a server admin of central;
 * default the dev admin); without one, create the staff accounts on the hub.
 */
import { parseArgs } from 'node:util';
import { DEV_ADMIN, DEV_HUB_PASSWORD, devHubLogin } from './central';
import { startHub } from '../electron/main/hub/officeHub';

export { startHub, type Hub, type HubOptions, type HubStatus } from '../electron/main/hub/officeHub';

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      office: { type: 'string' },
      central: { type: 'string', default: 'http://127.0.0.1:5984' },
      port: { type: 'string', default: '5985' },
      host: { type: 'string', default: '127.0.0.1' },
      dir: { type: 'string', default: '.hub' },
      // How long, at most, between attempts to reach central again (ms).
      'max-backoff-ms': { type: 'string', default: '30000' },
    },
  });
  if (!values.office) {
    console.error('usage: npm run hub -- --office CODE [--central URL] [--port 5985] [--host 0.0.0.0] [--dir .hub]');
    process.exit(2);
  }
  const office = values.office.toUpperCase();
  const hub = await startHub({
    office,
    port: Number(values.port),
    host: values.host,
    dir: values.dir,
    maxBackoffMs: Number(values['max-backoff-ms']),
    central: {
      url: values.central,
      user: process.env['KENSE_CENTRAL_USER'] ?? devHubLogin(office),
      password: process.env['KENSE_CENTRAL_PASSWORD'] ?? DEV_HUB_PASSWORD,
    },
    usersAccount: {
      user: process.env['KENSE_USERS_USER'] ?? DEV_ADMIN.user,
      password: process.env['KENSE_USERS_PASSWORD'] ?? DEV_ADMIN.password,
    },
  });
  const shutdown = (): void => void hub.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
