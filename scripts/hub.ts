/**
 * `npm run hub`: the office hub, headless (the same module the desktop app runs when the hub is
 * enabled in its settings: electron/main/hub/officeHub.ts).
 *
 *   npm run hub -- --office ALM01 --central http://127.0.0.1:5984 --port 5985 --host 0.0.0.0
 *
 * Central's credentials come from KENSE_CENTRAL_USER / KENSE_CENTRAL_PASSWORD: an account central
 * accepts every colleague's events from (a server admin today), that may also read `_users`.
 */
import { parseArgs } from 'node:util';
import { DEV_ADMIN } from './central';
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
  const hub = await startHub({
    office: values.office.toUpperCase(),
    port: Number(values.port),
    host: values.host,
    dir: values.dir,
    maxBackoffMs: Number(values['max-backoff-ms']),
    central: {
      url: values.central,
      user: process.env['KENSE_CENTRAL_USER'] ?? DEV_ADMIN.user,
      password: process.env['KENSE_CENTRAL_PASSWORD'] ?? DEV_ADMIN.password,
    },
  });
  const shutdown = (): void => void hub.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
