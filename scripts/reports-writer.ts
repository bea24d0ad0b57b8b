/**
 * `npm run reports-writer`: the central reports writer (server/central/reports/writer.ts) on its
 * own, beside Apache CouchDB 3, until the Kense central service runs it. It holds the server
 * admin's credentials, like the staff service.
 *
 *   COUCHDB_PASSWORD=… npm run reports-writer -- --url https://couch.example.kz --user admin --offices ALM01,KZO01
 */
import { parseArgs } from 'node:util';
import { loadCentralCatalog } from '../server/central/reports/catalog';
import { ReportsWriter } from '../server/central/reports/writer';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    user: { type: 'string', default: process.env['COUCHDB_USER'] ?? 'admin' },
    password: { type: 'string', default: process.env['COUCHDB_PASSWORD'] },
    offices: { type: 'string', default: '' },
  },
});
const offices = values.offices
  .split(',')
  .map((s) => s.trim().toUpperCase())
  .filter(Boolean);
if (!values.url || !values.password || offices.length === 0) {
  console.error('usage: npm run reports-writer -- --url URL --user ADMIN --password PASSWORD --offices CODE[,CODE…]');
  console.error('       (the password may also come from COUCHDB_PASSWORD)');
  process.exit(2);
}
// The catalogue the desks use (central's `catalog` database); restart the writer after publishing
// a service version or calendar year so that it folds with them too.
const server = { url: values.url, user: values.user, password: values.password };
const { catalogue, calendar, invalid } = await loadCentralCatalog(server);
if (invalid > 0) console.warn(`[reports] ${invalid} catalogue documents refused by the schema are left out`);
const writer = new ReportsWriter({
  ...server,
  offices,
  catalogue,
  calendar,
  log: (line) => console.warn(line),
});
writer.start();
console.warn(`[reports] writing report facts of ${offices.join(', ')} from ${values.url}; Ctrl+C stops`);
const stop = (): void => void writer.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
