/**
 * `npm run central`: the development central (server/dev/central.ts) on 127.0.0.1, provisioned,
 * with each office's hub account and, with `--demo` or `--staff`, staff accounts.
 *
 *   npm run central -- --port 5984 --dir .central --offices ALM01,KZO01
 */
import { parseArgs } from 'node:util';
import {
  DEMO_PASSWORD,
  DEMO_STAFF,
  DEV_ADMIN,
  DEV_HUB_PASSWORD,
  devHubLogin,
  startCentral,
} from '../server/dev/central';
import { parseStaffList, putHubUser, putStaffUser } from '../server/provision';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5984' },
    dir: { type: 'string', default: '.central' },
    offices: { type: 'string', default: 'ALM01,KZO01' },
    // Development staff accounts, e.g. aigerim:secret:clerk:ALM01,bolat:secret:head:ALM01
    staff: { type: 'string', default: '' },
    // The demo office ALM01 with one person per role, password kense-demo (see DEMO_STAFF).
    demo: { type: 'boolean', default: false },
  },
});
const offices = values.offices
  .split(',')
  .map((s) => s.trim().toUpperCase())
  .filter(Boolean);
const central = await startCentral({ port: Number(values.port), dir: values.dir, offices });
for (const office of offices) {
  const hub = { login: devHubLogin(office), password: DEV_HUB_PASSWORD, office };
  await putHubUser({ url: central.url, user: DEV_ADMIN.user, password: DEV_ADMIN.password }, hub);
  console.warn(`[central] hub account ${hub.login}/${hub.password} (${office}) for npm run hub`);
}
for (const staff of [...(values.demo ? DEMO_STAFF : []), ...parseStaffList(values.staff)]) {
  await putStaffUser({ url: central.url, user: DEV_ADMIN.user, password: DEV_ADMIN.password }, staff);
  console.warn(`[central] staff ${staff.login} (${[staff.role].flat().join('+')}, ${staff.office})`);
}
console.warn(`[central] ready at ${central.url} (admin: ${DEV_ADMIN.user}/${DEV_ADMIN.password}); Ctrl+C stops it`);
if (values.demo)
  console.warn(
    `[central] demo: set the desk up with office ALM01, any desk code (D01) and server ${central.url}; ` +
      `sign in as ${DEMO_STAFF.map((s) => `${s.login} (${[s.role].flat().join('+')})`).join(', ')}, password ${DEMO_PASSWORD}`,
  );
const shutdown = (): void => void central.stop().then(() => process.exit(0));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
