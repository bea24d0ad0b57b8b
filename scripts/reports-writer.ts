/**
 * `npm run reports-writer`: the central reports writer (server/central/reports/writer.ts) on its
 * own, beside Apache CouchDB 3, until the Kense central service runs it. It holds the server
 * admin's credentials, like the staff service.
 *
 *   COUCHDB_PASSWORD=… npm run reports-writer -- --url https://couch.example.kz --user admin --offices ALM01,KZO01
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CALENDAR } from '../shared/calendar';
import { bundledCatalogue } from '../shared/catalogue';
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
const writer = new ReportsWriter({
  url: values.url,
  user: values.user,
  password: values.password,
  offices,
  catalogue: bundledCatalogue(),
  calendar: DEFAULT_CALENDAR,
  log: (line) => console.warn(line),
});
writer.start();
console.warn(`[reports] writing report facts of ${offices.join(', ')} from ${values.url}; Ctrl+C stops`);
const stop = (): void => void writer.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
