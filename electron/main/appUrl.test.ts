import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppUrl, mimeType, resolveAppAsset } from './appUrl';

const root = path.resolve('/opt/kense/renderer');

describe('resolveAppAsset', () => {
  it('maps app URLs to files under the renderer root', () => {
    expect(resolveAppAsset(root, 'app://kense/assets/index.js')).toBe(path.join(root, 'assets/index.js'));
    expect(resolveAppAsset(root, 'app://kense/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset(root, 'app://kense/reception')).toBe(path.join(root, 'index.html'));
  });

  it.each([
    'app://kense/../secret.txt',
    'app://kense/%2e%2e/%2e%2e/etc/passwd',
    'app://kense/assets/..%2f..%2f..%2fetc%2fpasswd.txt',
    'app://kense/assets/%2e%2e%5c..%5cwin.ini',
    'app://kense/a%00.js',
    'app://kense/%E0%A4%A.js',
  ])('refuses %s', (url) => {
    const file = resolveAppAsset(root, url);
    if (file !== null) expect(file.startsWith(root + path.sep)).toBe(true);
  });

  it('never resolves outside the root for decoded traversal', () => {
    expect(resolveAppAsset(root, 'app://kense/assets/..%2f..%2f..%2fetc%2fpasswd.txt')).toBeNull();
    expect(resolveAppAsset(root, 'app://kense/a%00.js')).toBeNull();
    expect(resolveAppAsset(root, 'app://kense/%E0%A4%A.js')).toBeNull();
  });

  it('refuses other schemes and hosts', () => {
    expect(resolveAppAsset(root, 'file:///etc/passwd')).toBeNull();
    expect(resolveAppAsset(root, 'app://other/index.html')).toBeNull();
    expect(resolveAppAsset(root, 'not a url')).toBeNull();
  });
});

describe('isAppUrl', () => {
  it('accepts only the app origin, with a real URL parser', () => {
    expect(isAppUrl('app://kense/index.html#/inbox')).toBe(true);
    expect(isAppUrl('app://kense.evil.com/index.html')).toBe(false);
    expect(isAppUrl('https://kense/index.html')).toBe(false);
    expect(isAppUrl('javascript:alert(1)')).toBe(false);
    expect(isAppUrl('')).toBe(false);
  });

  it('accepts the dev server origin only when one is given', () => {
    expect(isAppUrl('http://localhost:5173/#/x', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isAppUrl('http://localhost:5173/')).toBe(false);
  });
});

describe('mimeType', () => {
  it('knows the types the app serves', () => {
    expect(mimeType('a/index.html')).toMatch(/^text\/html/);
    expect(mimeType('a/x.woff2')).toBe('font/woff2');
    expect(mimeType('a/x.unknown')).toBe('application/octet-stream');
  });
});
