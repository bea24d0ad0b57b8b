import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isSyncRequest, syncOrigins } from './csp';

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

  it('lets requests through to the same sync servers only (the main process filter agrees with connect-src)', () => {
    const origins = syncOrigins('https://couch.example.kz http://192.168.1.10:5984 https://*.akimat.kz');
    expect(isSyncRequest('http://127.0.0.1:5985/office_alm01/_changes', origins)).toBe(true);
    expect(isSyncRequest('https://couch.example.kz/office_alm01', origins)).toBe(true);
    expect(isSyncRequest('https://couch.example.kz:6984/office_alm01', origins)).toBe(false);
    expect(isSyncRequest('http://192.168.1.10:5984/_session', origins)).toBe(true);
    expect(isSyncRequest('http://192.168.1.11:5984/', origins)).toBe(false);
    expect(isSyncRequest('https://hub.akimat.kz/x', origins)).toBe(true);
    expect(isSyncRequest('https://akimat.kz.evil.com/x', origins)).toBe(false);
    expect(isSyncRequest('http://couch.example.kz/', origins)).toBe(false);
    expect(isSyncRequest('not a url', origins)).toBe(false);
  });
});
