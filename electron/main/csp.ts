/**
 * The sync servers the renderer may talk to (connect-src only, never script-src). Loopback on any
 * port is always allowed (the development central, a hub on this machine); a deployment adds its
 * central server and office hubs at build time: KENSE_SYNC_ORIGINS="https://couch.example.kz http://hub.alm01.lan:5984".
 */
export const LOOPBACK_ORIGINS = ['http://127.0.0.1:*', 'http://localhost:*'] as const;

export function syncOrigins(configured: string | undefined): string[] {
  const extra = (configured ?? '')
    .split(/[\s,]+/)
    .map((o) => o.trim())
    // Only scheme://host[:port] source expressions: nothing that could widen the policy by accident.
    .filter((o) => /^https?:\/\/(\*\.)?[a-z0-9.-]+(:(\d{1,5}|\*))?$/i.test(o));
  return [...LOOPBACK_ORIGINS, ...extra];
}

/**
 * The one Content-Security-Policy of the app (Electron and browser mode alike).
 * No 'unsafe-eval', no inline scripts, no remote scripts, styles or images: everything the UI
 * needs is bundled. Network connections go only to the app itself and the sync servers.
 */
export function contentSecurityPolicy(connectOrigins: readonly string[] = []): string {
  const connect = ["'self'", ...connectOrigins].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "worker-src 'self' blob:",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * Whether a request from the renderer goes to one of the sync servers the CSP names (the main
 * process's request filter must agree with connect-src, or sync never leaves the window).
 * Source expressions: scheme://host[:port|:*], host may start with `*.`; no port = the default one.
 */
export function isSyncRequest(url: string, origins: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return origins.some((o) => {
    const m = /^(https?:)\/\/(\*\.)?([a-z0-9.-]+)(?::(\d{1,5}|\*))?$/i.exec(o);
    if (!m || m[1] !== u.protocol) return false;
    const host = (m[3] ?? '').toLowerCase();
    const hostOk = m[2] ? u.hostname.endsWith(`.${host}`) : u.hostname === host;
    const wantPort = m[4] ?? (u.protocol === 'https:' ? '443' : '80');
    return hostOk && (wantPort === '*' || wantPort === port);
  });
}
