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

/**
 * Which web contents have the document-capture screen open (the renderer says so over IPC when it
 * opens and closes it). The camera is allowed to these only, and only while it is open.
 */
export class CaptureGate {
  private readonly open = new Set<number>();
  set(contentsId: number, open: boolean): void {
    if (open) this.open.add(contentsId);
    else this.open.delete(contentsId);
  }
  isOpen(contentsId: number): boolean {
    return this.open.has(contentsId);
  }
}

/** What Electron tells a permission handler about a request, in the parts the decision reads. */
export interface MediaRequest {
  permission: string;
  /** The URL (request handler) or origin (check handler) asking. */
  requestingUrl: string;
  /** For `media`: what is asked, `video` and/or `audio`; absent on a check. */
  mediaTypes?: readonly string[];
  /** The web contents asking (null when Electron gives none). */
  contentsId: number | null;
}

/**
 * The camera for document capture (issue 18): the `media` permission, for video only, asked by the
 * app's own origin, from web contents whose capture screen is open now. Everything else, denied.
 */
export function allowMedia(request: MediaRequest, gate: CaptureGate, devServerUrl?: string): boolean {
  if (request.permission !== 'media' || request.contentsId === null) return false;
  if (!isAppOrigin(request.requestingUrl, devServerUrl)) return false;
  if (request.mediaTypes !== undefined && request.mediaTypes.some((t) => t !== 'video')) return false;
  return gate.isOpen(request.contentsId);
}

/** The app's own origin: a URL inside the app, or its origin alone as a check handler gives it. */
function isAppOrigin(url: string, devServerUrl?: string): boolean {
  return isAppUrl(url, devServerUrl) || isAppUrl(`${url.replace(/\/$/, '')}/`, devServerUrl);
}

type GuardedSession = {
  setPermissionRequestHandler: Session['setPermissionRequestHandler'];
  setPermissionCheckHandler: Session['setPermissionCheckHandler'];
  webRequest: { onBeforeRequest: Session['webRequest']['onBeforeRequest'] };
};

/**
 * Every permission (notifications, geolocation…) denied, the camera too except as `allowMedia`
 * says (given a capture gate); requests outside the list cancelled.
 */
export function hardenSession(
  session: GuardedSession,
  opts: { devServerUrl?: string; connectOrigins: readonly string[]; capture?: CaptureGate },
): void {
  const gate = opts.capture ?? new CaptureGate();
  session.setPermissionRequestHandler((wc, permission, callback, details) => {
    const mediaTypes = (details as { mediaTypes?: readonly string[] } | undefined)?.mediaTypes;
    callback(
      allowMedia(
        {
          permission,
          requestingUrl: (details as { requestingUrl?: string } | undefined)?.requestingUrl ?? '',
          ...(mediaTypes !== undefined ? { mediaTypes } : {}),
          contentsId: wc ? wc.id : null,
        },
        gate,
        opts.devServerUrl,
      ),
    );
  });
  session.setPermissionCheckHandler((wc, permission, requestingOrigin) =>
    allowMedia({ permission, requestingUrl: requestingOrigin, contentsId: wc ? wc.id : null }, gate, opts.devServerUrl),
  );
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isRequestAllowed(details.url, opts) }));
}
