/** CLI for the provisioning script: see scripts/provision.ts. */
import { parseArgs } from 'node:util';
import { provision } from './provision';
import { validationRules } from './rules';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    user: { type: 'string', default: process.env['COUCHDB_USER'] ?? 'admin' },
    password: { type: 'string', default: process.env['COUCHDB_PASSWORD'] },
    offices: { type: 'string', default: '' },
  },
});
if (!values.url || !values.password) {
  console.error('usage: npm run provision -- --url URL --user ADMIN --password PASSWORD --offices CODE[,CODE…]');
  console.error('       (the password may also come from COUCHDB_PASSWORD)');
  process.exit(2);
}
await provision({
  url: values.url,
  user: values.user,
  password: values.password,
  offices: values.offices
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean),
  rules: validationRules(),
  version: process.env['npm_package_version'] ?? 'dev',
});
console.warn('provisioned');
