import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { appResponseHeaders, contentSecurityPolicy, syncOrigins } from './csp';

describe('content security policy', () => {
  it('lets the renderer connect only to itself, loopback and the configured sync servers', () => {
    const csp = contentSecurityPolicy(syncOrigins('https://couch.example.kz, http://hub.alm01.lan:5984'));
    expect(csp).toContain(
      "connect-src 'self' http://127.0.0.1:* http://localhost:* https://couch.example.kz http://hub.alm01.lan:5984",
    );
    // WebAssembly only (the attachments' MD5): no JavaScript from text, no inline scripts.
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(csp).not.toMatch(/'unsafe-(eval|inline)'/);
  });

  it('ignores anything in the configuration that is not a plain origin', () => {
    expect(syncOrigins("* 'unsafe-eval' https: data: https://ok.kz/path javascript:alert(1) https://good.kz")).toEqual([
      'http://127.0.0.1:*',
      'http://localhost:*',
      'https://good.kz',
    ]);
  });

  it('Electron sends the policy with every app:// response, the same one the page carries in browser mode', () => {
    const origins = syncOrigins(undefined);
    expect(appResponseHeaders('text/html; charset=utf-8', origins)).toEqual({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': contentSecurityPolicy(origins),
      'x-content-type-options': 'nosniff',
    });
    // The built page (when there is one) carries the same policy in its <meta> tag.
    const built = 'out/renderer/index.html';
    if (existsSync(built) && !process.env['KENSE_SYNC_ORIGINS']) {
      const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(readFileSync(built, 'utf8'));
      expect(meta?.[1]).toBe(contentSecurityPolicy(origins));
    }
  });
});
