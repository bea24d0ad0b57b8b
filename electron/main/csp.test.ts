import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, syncOrigins } from './csp';

describe('content security policy', () => {
  it('lets the renderer connect only to itself, loopback and the configured sync servers', () => {
    const csp = contentSecurityPolicy(syncOrigins('https://couch.example.kz, http://hub.alm01.lan:5984'));
    expect(csp).toContain(
      "connect-src 'self' http://127.0.0.1:* http://localhost:* https://couch.example.kz http://hub.alm01.lan:5984",
    );
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/unsafe-(eval|inline)/);
  });

  it('ignores anything in the configuration that is not a plain origin', () => {
    expect(syncOrigins("* 'unsafe-eval' https: data: https://ok.kz/path javascript:alert(1) https://good.kz")).toEqual([
      'http://127.0.0.1:*',
      'http://localhost:*',
      'https://good.kz',
    ]);
  });
});
