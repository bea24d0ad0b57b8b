import type { Event, HandlerDetails, Session, WebContents, WindowOpenHandlerResponse } from 'electron';
import { APP_HOST, APP_SCHEME, isAppUrl } from './appUrl';

/**
 * Electron's security checklist as small functions, so that each rule is unit-tested with fake
 * web contents and sessions; index.ts only wires them up.
 */

/** Navigation (and redirects) may stay inside the app; anything else is refused. */
export function isNavigationAllowed(url: string, devServerUrl?: string): boolean {
  return isAppUrl(url, devServerUrl);
}

/**
 * Whether a URL matches a CSP source expression of the kind csp.ts produces
 * (`http://127.0.0.1:*`, `https://couch.example.kz`, `https://*.example.kz:6984`).
 */
export function matchesSource(raw: string, source: string): boolean {
  const m = /^(https?):\/\/(\*\.)?([a-z0-9.-]+)(?::(\d{1,5}|\*))?$/i.exec(source);
  if (!m) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  const [, scheme, wildcard, host, port] = m;
  if (url.protocol !== `${scheme?.toLowerCase()}:`) return false;
  const h = url.hostname.toLowerCase();
  const want = (host ?? '').toLowerCase();
  if (wildcard ? !h.endsWith(`.${want}`) : h !== want) return false;
  if (port === '*') return true;
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  return (url.port || defaultPort) === (port ?? defaultPort);
}

/**
 * Requests the session lets through: the app itself, devtools, data/blob URLs, the dev server in
 * `npm run dev`, and the sync servers the CSP allows (the same list: loopback and the configured ones).
 */
export function isRequestAllowed(
  url: string,
  opts: { devServerUrl?: string; connectOrigins: readonly string[] },
): boolean {
  if (url.startsWith(`${APP_SCHEME}://${APP_HOST}/`)) return true;
  if (url.startsWith('devtools:') || url.startsWith('data:') || url.startsWith('blob:')) return true;
  if (opts.devServerUrl !== undefined && isAppUrl(url, opts.devServerUrl)) return true;
  return opts.connectOrigins.some((source) => matchesSource(url, source));
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** No navigation away, no redirects away, no webviews, no new windows. */
export function hardenWebContents(contents: GuardedContents, devServerUrl?: string): void {
  const refuseAway = (event: Event, url: string): void => {
    if (!isNavigationAllowed(url, devServerUrl)) event.preventDefault();
  };
  contents.on('will-navigate', refuseAway);
  contents.on('will-redirect', refuseAway);
  contents.on('will-attach-webview', (event: Event) => event.preventDefault());
  contents.setWindowOpenHandler(denyWindowOpen);
}

export function denyWindowOpen(_details?: HandlerDetails): WindowOpenHandlerResponse {
  return { action: 'deny' };
}

type GuardedSession = {
  setPermissionRequestHandler: Session['setPermissionRequestHandler'];
  setPermissionCheckHandler: Session['setPermissionCheckHandler'];
  webRequest: { onBeforeRequest: Session['webRequest']['onBeforeRequest'] };
};

/** Every permission (camera, notifications, geolocation…) denied; requests outside the list cancelled. */
export function hardenSession(
  session: GuardedSession,
  opts: { devServerUrl?: string; connectOrigins: readonly string[] },
): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isRequestAllowed(details.url, opts) }));
}
