/**
 * The service's configuration, from the environment (a systemd unit's `Environment=` lines, see
 * docs/central-couchdb.md):
 *
 *   KENSE_COUCH_URL            CouchDB as the service reaches it (default http://127.0.0.1:5984);
 *                              credentials in it are taken as the admin's
 *   KENSE_COUCH_ADMIN_USER     the server admin (default COUCHDB_USER, else admin)
 *   KENSE_COUCH_ADMIN_PASSWORD its password (default COUCHDB_PASSWORD); required
 *   KENSE_SERVICE_HOST         address to listen on (default 127.0.0.1: behind the reverse proxy)
 *   KENSE_SERVICE_PORT         port (default 5986)
 *   KENSE_SERVICE_ORIGINS      origins allowed to call from a browser, spaces or commas between
 *                              (default: app://kense and browser mode's loopback addresses)
 */
import { DEFAULT_APP_ORIGINS, parseOrigins } from '../../shared/couch';
import { CENTRAL_SERVICE_PORT } from '../../shared/staff';
import type { CouchServer } from './couch';

export interface ServiceConfig {
  couch: CouchServer;
  host: string;
  port: number;
  origins: string[];
}

/** Throws an Error naming what is missing or malformed. */
export function serviceConfig(env: Record<string, string | undefined>): ServiceConfig {
  const raw = env['KENSE_COUCH_URL'] ?? 'http://127.0.0.1:5984';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`KENSE_COUCH_URL is not an address: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('KENSE_COUCH_URL must be http(s)');
  const user = decodeURIComponent(url.username) || env['KENSE_COUCH_ADMIN_USER'] || env['COUCHDB_USER'] || 'admin';
  const password =
    decodeURIComponent(url.password) || env['KENSE_COUCH_ADMIN_PASSWORD'] || env['COUCHDB_PASSWORD'] || '';
  if (!password) throw new Error('the server admin password is missing: set KENSE_COUCH_ADMIN_PASSWORD');
  url.username = '';
  url.password = '';
  const port = Number(env['KENSE_SERVICE_PORT'] ?? CENTRAL_SERVICE_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('KENSE_SERVICE_PORT is not a port');
  return {
    couch: { url: url.toString().replace(/\/+$/, ''), user, password },
    host: env['KENSE_SERVICE_HOST'] ?? '127.0.0.1',
    port,
    origins: parseOrigins(env['KENSE_SERVICE_ORIGINS'] ?? DEFAULT_APP_ORIGINS.join(' ')),
  };
}
