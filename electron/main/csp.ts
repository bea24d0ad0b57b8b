/**
 * The one Content-Security-Policy of the app (Electron and browser mode alike).
 * No 'unsafe-eval', no inline scripts, no remote origins: everything the UI needs is bundled.
 * Later, the sync server's origin is added to connect-src only (never to script-src).
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
