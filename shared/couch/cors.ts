/**
 * Cross-origin access to central (CORS): the desk calls CouchDB and the central service from the
 * app's own origin, with credentials. Provisioning writes these settings into CouchDB's node
 * configuration (server/provision.ts); the central service answers the same origins itself.
 */

/** The desktop app's origin (electron/main/appUrl.ts APP_ORIGIN) and `npm run browser`'s default addresses. */
export const DEFAULT_APP_ORIGINS = ['app://kense', 'http://127.0.0.1:5741', 'http://localhost:5741'] as const;

/** scheme://host[:port], exactly as a browser sends it in `Origin` (no path, no trailing slash); or `*`. */
export const ORIGIN_PATTERN = /^(\*|[a-z][a-z0-9+.-]*:\/\/[^\s,/]+)$/i;

/** A list as an administrator writes it (spaces or commas between), checked; throws on a malformed one. */
export function parseOrigins(text: string): string[] {
  const origins = text
    .split(/[\s,]+/)
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  const bad = origins.filter((o) => !ORIGIN_PATTERN.test(o));
  if (bad.length > 0) throw new Error(`not an origin (scheme://host[:port], or *): ${bad.join(', ')}`);
  return origins;
}

/** The settings CouchDB 3 reads for CORS (chttpd_cors), as [section, key, value]. */
export function corsSettings(origins: readonly string[]): [section: string, key: string, value: string][] {
  return [
    // CouchDB 3.2+ reads [chttpd] enable_cors, falling back to [httpd]; 3.0 and 3.1 read [httpd].
    ['httpd', 'enable_cors', 'true'],
    ['chttpd', 'enable_cors', 'true'],
    // Comma-separated, each with its scheme: CouchDB compares the Origin header exactly.
    ['cors', 'origins', origins.join(', ')],
    // The desk sends HTTP Basic credentials (and CouchDB's cookie where a browser keeps one).
    ['cors', 'credentials', 'true'],
    ['cors', 'methods', 'GET, PUT, POST, HEAD, DELETE'],
    // Content-Encoding: desks gzip their larger request bodies (renderer/data/sync/syncLine.ts), which
    // CouchDB 3 takes, but a browser sends that header only where CORS allows it (not by default).
    ['cors', 'headers', 'accept, authorization, content-type, content-encoding, origin, referer'],
  ];
}
