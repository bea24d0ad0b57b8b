/** CLI for the provisioning script: see server/provision.ts. */
import { parseArgs } from 'node:util';
import { DEFAULT_APP_ORIGINS, parseOrigins } from '../shared/couch';
import { provision, provisionReplication, putHubUser, splitCredentials } from '../server/provision';
import { validationRules } from '../server/rules';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    user: { type: 'string', default: process.env['COUCHDB_USER'] ?? 'admin' },
    password: { type: 'string', default: process.env['COUCHDB_PASSWORD'] },
    offices: { type: 'string', default: '' },
    // On central: the office hub's account (hub role + office role), for the one office given.
    'hub-user': { type: 'string' },
    'hub-password': { type: 'string', default: process.env['KENSE_HUB_PASSWORD'] },
    // An office server (Apache CouchDB on an office PC): continuous _replicator jobs to central.
    'replicate-to': { type: 'string' },
    'replicate-user': { type: 'string' },
    'replicate-password': { type: 'string', default: process.env['KENSE_REPLICATE_PASSWORD'] },
    // How CouchDB reaches itself, when not as --url (e.g. http://127.0.0.1:5984).
    'local-url': { type: 'string' },
    // The origins the app runs at (CORS, with credentials), space- or comma-separated.
    'cors-origins': { type: 'string', default: process.env['KENSE_CORS_ORIGINS'] ?? DEFAULT_APP_ORIGINS.join(' ') },
  },
});
// Credentials may come in the URL (http://admin:secret@host:5984): taken out of it, sent as a header.
let server: ReturnType<typeof splitCredentials> | null = null;
try {
  server = values.url ? splitCredentials(values.url, { user: values.user, password: values.password ?? '' }) : null;
} catch {
  console.error(`--url is not an address: ${values.url ?? ''}`);
  process.exit(2);
}
if (!server || !server.password) {
  console.error('usage: npm run provision -- --url URL --user ADMIN --password PASSWORD --offices CODE[,CODE…]');
  console.error('       (the password may also come from COUCHDB_PASSWORD, or the URL: http://admin:…@host:5984)');
  console.error('       [--cors-origins "app://kense https://desk.example.kz"] (or KENSE_CORS_ORIGINS)');
  console.error('       an office server: add --replicate-to CENTRAL_URL --replicate-user USER --replicate-password …');
  console.error('       (or KENSE_REPLICATE_PASSWORD) [--local-url URL as CouchDB reaches itself]');
  console.error("       on central, an office hub's account: --offices CODE --hub-user LOGIN --hub-password …");
  console.error('       (or KENSE_HUB_PASSWORD)');
  process.exit(2);
}
const offices = values.offices
  .split(',')
  .map((s) => s.trim().toUpperCase())
  .filter(Boolean);
// Checked before anything is written.
const hubOffice = offices.length === 1 ? offices[0] : undefined;
if (values['hub-user'] && (!hubOffice || !values['hub-password'])) {
  console.error('--hub-user needs exactly one office (--offices CODE) and --hub-password (or KENSE_HUB_PASSWORD)');
  process.exit(2);
}
if (values['replicate-to'] && (!values['replicate-user'] || !values['replicate-password'])) {
  console.error('--replicate-to needs --replicate-user and --replicate-password (or KENSE_REPLICATE_PASSWORD)');
  process.exit(2);
}
let corsOrigins: string[];
try {
  corsOrigins = parseOrigins(values['cors-origins']);
} catch (e) {
  console.error(`--cors-origins: ${(e as Error).message}`);
  process.exit(2);
}
await provision({
  ...server,
  offices,
  rules: validationRules(),
  version: process.env['npm_package_version'] ?? 'dev',
  corsOrigins,
});
if (hubOffice && values['hub-user'] && values['hub-password']) {
  const office = hubOffice;
  await putHubUser(server, { login: values['hub-user'], password: values['hub-password'], office });
  console.warn(`hub account ${values['hub-user']} (${office})`);
}
if (values['replicate-to'] && values['replicate-user'] && values['replicate-password']) {
  await provisionReplication(
    { ...server, offices },
    {
      central: values['replicate-to'],
      user: values['replicate-user'],
      password: values['replicate-password'],
      ...(values['local-url'] ? { local: splitCredentials(values['local-url'], server) } : {}),
    },
  );
}
console.warn('provisioned');
