/** CLI for the provisioning script: see scripts/provision.ts. */
import { parseArgs } from 'node:util';
import { provision, provisionReplication } from './provision';
import { validationRules } from './rules';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    user: { type: 'string', default: process.env['COUCHDB_USER'] ?? 'admin' },
    password: { type: 'string', default: process.env['COUCHDB_PASSWORD'] },
    offices: { type: 'string', default: '' },
    // An office server (Apache CouchDB on an office PC): continuous _replicator jobs to central.
    'replicate-to': { type: 'string' },
    'replicate-user': { type: 'string' },
    'replicate-password': { type: 'string', default: process.env['KENSE_REPLICATE_PASSWORD'] },
    // How CouchDB reaches itself, when not as --url (e.g. http://127.0.0.1:5984).
    'local-url': { type: 'string' },
  },
});
if (!values.url || !values.password) {
  console.error('usage: npm run provision -- --url URL --user ADMIN --password PASSWORD --offices CODE[,CODE…]');
  console.error('       (the password may also come from COUCHDB_PASSWORD)');
  console.error('       an office server: add --replicate-to CENTRAL_URL --replicate-user USER --replicate-password …');
  console.error('       (or KENSE_REPLICATE_PASSWORD) [--local-url URL as CouchDB reaches itself]');
  process.exit(2);
}
const offices = values.offices
  .split(',')
  .map((s) => s.trim().toUpperCase())
  .filter(Boolean);
await provision({
  url: values.url,
  user: values.user,
  password: values.password,
  offices,
  rules: validationRules(),
  version: process.env['npm_package_version'] ?? 'dev',
});
if (values['replicate-to']) {
  if (!values['replicate-user'] || !values['replicate-password']) {
    console.error('--replicate-to needs --replicate-user and --replicate-password (or KENSE_REPLICATE_PASSWORD)');
    process.exit(2);
  }
  await provisionReplication(
    { url: values.url, user: values.user, password: values.password, offices },
    {
      central: values['replicate-to'],
      user: values['replicate-user'],
      password: values['replicate-password'],
      ...(values['local-url']
        ? { local: { url: values['local-url'], user: values.user, password: values.password } }
        : {}),
    },
  );
}
console.warn('provisioned');
