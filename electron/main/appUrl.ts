import path from 'node:path';

/**
 * The app's own origin. Content is served from a custom, privileged scheme instead of file://
 * (file:// pages share an origin with every local file and weaken the CSP).
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'kense';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True only for URLs of the app itself, parsed properly (a prefix test lets `app://kense.evil` through). */
export function isAppUrl(raw: string, devServerUrl?: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST) return true;
  if (devServerUrl) {
    try {
      return url.origin === new URL(devServerUrl).origin;
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * Maps an app:// request URL to a file under `root`, or null when the request is not for the app
 * or would escape `root` (path traversal, encoded or not). Routes without a file extension fall
 * back to index.html so that the router can handle them.
 */
export function resolveAppAsset(root: string, raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // A request that tries to climb is refused outright, not silently clamped to the root.
  if (pathname.includes('\0') || pathname.includes('\\') || pathname.split('/').includes('..')) return null;
  const relative = pathname === '/' || path.posix.extname(pathname) === '' ? '/index.html' : pathname;
  const base = path.resolve(root);
  const target = path.resolve(base, '.' + path.posix.normalize(relative));
  if (target !== base && !target.startsWith(base + path.sep)) return null;
  return target;
}

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function mimeType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
