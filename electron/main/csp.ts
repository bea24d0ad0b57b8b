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
 * 'wasm-unsafe-eval' lets the app's own scripts compile WebAssembly (the attachments' MD5,
 * renderer/data/store/md5.ts), never JavaScript from text: eval, new Function and string timers
 * stay refused (tests/e2e/hardening.spec.ts).
 */
export function contentSecurityPolicy(connectOrigins: readonly string[] = []): string {
  const connect = ["'self'", ...connectOrigins].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
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
 * The headers of every app:// response in Electron: the same policy the built page carries in its
 * <meta> tag (browser mode), sent as a header as well, so it is in force before the page parses.
 */
export function appResponseHeaders(contentType: string, connectOrigins: readonly string[]): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': contentSecurityPolicy(connectOrigins),
    'x-content-type-options': 'nosniff',
  };
}
