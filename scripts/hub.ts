/**
 * `npm run hub`: the office hub, headless (the same module the desktop app runs when the hub is
 * enabled in its settings: server/hub/officeHub.ts).
 *
 *   npm run hub -- --office ALM01 --central http://127.0.0.1:5984 --port 5985 --host 0.0.0.0
 *
 * Central's credentials come from KENSE_CENTRAL_USER / KENSE_CENTRAL_PASSWORD: the office's hub
 * account (`npm run provision -- --offices ALM01 --hub-user hub-alm01` on central; the dev central
 * makes hub-<office>/kense-dev-hub). The office's staff accounts are copied, with that same hub
 * account, from the Kense central service (`--service URL`, default: beside central, see
 * defaultCentralServiceUrl; `--service none` copies nothing: then create the staff accounts on the
 * hub). With no KENSE_CENTRAL_USER, the dev central's hub account is used.
 */
import { parseArgs } from 'node:util';
import { defaultCentralServiceUrl } from '../shared/staff';
import { DEV_HUB_PASSWORD, devHubLogin } from '../server/dev/central';
import { startHub } from '../server/hub/officeHub';

export { startHub, type Hub, type HubOptions, type HubStatus } from '../server/hub/officeHub';

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      office: { type: 'string' },
      central: { type: 'string', default: 'http://127.0.0.1:5984' },
      port: { type: 'string', default: '5985' },
      host: { type: 'string', default: '127.0.0.1' },
      dir: { type: 'string', default: '.hub' },
      // The Kense central service (staff accounts for the hub); `none` for no copy.
      service: { type: 'string' },
      // How long, at most, between attempts to reach central again (ms).
      'max-backoff-ms': { type: 'string', default: '30000' },
    },
  });
  if (!values.office) {
    console.error(
      'usage: npm run hub -- --office CODE [--central URL] [--service URL|none] [--port 5985] [--host 0.0.0.0] [--dir .hub]',
    );
    process.exit(2);
  }
  const office = values.office.toUpperCase();
  const env = process.env;
  // Development defaults (the dev central's accounts) only when no central account is given at
  // all; a deployment's central never gets the sources' passwords.
  const dev = env['KENSE_CENTRAL_USER'] === undefined;
  const central = {
    url: values.central,
    user: env['KENSE_CENTRAL_USER'] ?? devHubLogin(office),
    password: env['KENSE_CENTRAL_PASSWORD'] ?? (dev ? DEV_HUB_PASSWORD : ''),
  };
  const serviceUrl = values.service === 'none' ? null : (values.service ?? defaultCentralServiceUrl(central.url));
  const hub = await startHub({
    office,
    port: Number(values.port),
    host: values.host,
    dir: values.dir,
    maxBackoffMs: Number(values['max-backoff-ms']),
    central,
    ...(serviceUrl ? { service: { url: serviceUrl } } : {}),
  });
  const shutdown = (): void => void hub.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
