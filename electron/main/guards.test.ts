import { EventEmitter } from 'node:events';
import type { Event, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { syncOrigins } from './csp';
import {
  allowMedia,
  CaptureGate,
  denyWindowOpen,
  hardenSession,
  hardenWebContents,
  isRequestAllowed,
  matchesSource,
} from './guards';

/** Fake web contents: emits Electron's events with an event object that records preventDefault. */
function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: ((d: unknown) => unknown) | null = null;
  const contents = {
    on: (name: string, listener: (...args: unknown[]) => void) => {
      emitter.on(name, listener);
      return contents;
    },
    setWindowOpenHandler: (h: (d: unknown) => unknown) => {
      openHandler = h;
    },
  };
  const fire = (name: string, url?: string): boolean => {
    let prevented = false;
    const event = { preventDefault: () => (prevented = true) } as unknown as Event;
    emitter.emit(name, event, url);
    return prevented;
  };
  return { contents: contents as unknown as WebContents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('navigation and new windows', () => {
  it('navigation and redirects stay inside the app; webviews never attach; new windows are denied', () => {
    const { contents, fire, open } = fakeContents();
    hardenWebContents(contents);
    expect(fire('will-navigate', 'app://kense/index.html#/inbox')).toBe(false);
    for (const away of [
      'https://example.com/',
      'http://127.0.0.1:5984/_utils',
      'file:///etc/passwd',
      'app://kense.evil/',
      'javascript:alert(1)',
      'data:text/html,hi',
    ]) {
      expect(fire('will-navigate', away), away).toBe(true);
      expect(fire('will-redirect', away), away).toBe(true);
    }
    expect(fire('will-attach-webview')).toBe(true);
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    expect(open('app://kense/index.html')).toEqual({ action: 'deny' });
    expect(denyWindowOpen()).toEqual({ action: 'deny' });
  });

  it('the dev server is the app only in npm run dev', () => {
    const dev = fakeContents();
    hardenWebContents(dev.contents, 'http://localhost:5173/');
    expect(dev.fire('will-navigate', 'http://localhost:5173/#/settings')).toBe(false);
    expect(dev.fire('will-navigate', 'http://localhost:5174/')).toBe(true);
  });
});

describe('requests leaving the app', () => {
  const connectOrigins = syncOrigins('https://couch.example.kz http://hub.alm01.lan:5984 https://*.akimat.kz');

  it('matches CSP source expressions as the CSP does', () => {
    expect(matchesSource('http://127.0.0.1:5984/office_alm01/_changes', 'http://127.0.0.1:*')).toBe(true);
    expect(matchesSource('https://127.0.0.1:5984/', 'http://127.0.0.1:*')).toBe(false);
    expect(matchesSource('https://couch.example.kz/db', 'https://couch.example.kz')).toBe(true);
    expect(matchesSource('https://couch.example.kz:6984/db', 'https://couch.example.kz')).toBe(false);
    expect(matchesSource('https://couch.example.kz.evil.com/', 'https://couch.example.kz')).toBe(false);
    expect(matchesSource('https://a.akimat.kz/', 'https://*.akimat.kz')).toBe(true);
    expect(matchesSource('https://akimat.kz/', 'https://*.akimat.kz')).toBe(false);
    expect(matchesSource('https://evilakimat.kz/', 'https://*.akimat.kz')).toBe(false);
    expect(matchesSource('not a url', 'https://couch.example.kz')).toBe(false);
  });

  it('lets through the app, data/blob URLs and the sync servers; cancels everything else', () => {
    const ok = (url: string): boolean => isRequestAllowed(url, { connectOrigins });
    expect(ok('app://kense/assets/index.js')).toBe(true);
    expect(ok('blob:app://kense/1234')).toBe(true);
    expect(ok('http://127.0.0.1:5984/office_alm01/_bulk_docs')).toBe(true);
    expect(ok('http://localhost:5984/_session')).toBe(true);
    expect(ok('https://couch.example.kz/office_alm01')).toBe(true);
    expect(ok('http://hub.alm01.lan:5984/office_alm01')).toBe(true);
    expect(ok('https://x.akimat.kz/')).toBe(true);
    for (const url of [
      'https://example.com/track.js',
      'http://hub.alm01.lan:8080/',
      'https://fonts.googleapis.com/css',
      'http://10.0.0.5:5984/',
      'ws://127.0.0.1:5984/',
      'file:///etc/passwd',
    ])
      expect(ok(url), url).toBe(false);
  });

  it('denies every permission and cancels requests outside the list, on the session', () => {
    type RequestHandler = (wc: unknown, permission: string, cb: (granted: boolean) => void) => void;
    type BeforeRequest = (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void;
    const got: { request?: RequestHandler; check?: () => boolean; before?: BeforeRequest } = {};
    hardenSession(
      {
        setPermissionRequestHandler: (h: RequestHandler) => (got.request = h),
        setPermissionCheckHandler: (h: () => boolean) => (got.check = h),
        webRequest: { onBeforeRequest: ((h: BeforeRequest) => (got.before = h)) as never },
      },
      { connectOrigins },
    );
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const answers: boolean[] = [];
      got.request?.(null, permission, (g) => answers.push(g));
      expect(answers, permission).toEqual([false]);
    }
    expect(got.check?.()).toBe(false);
    const cancel = (url: string): boolean | undefined => {
      const r: boolean[] = [];
      got.before?.({ url }, (x) => r.push(x.cancel));
      return r[0];
    };
    expect(cancel('https://example.com/')).toBe(true);
    expect(cancel('http://127.0.0.1:5984/office_alm01')).toBe(false);
  });
});

describe('the camera for document capture (issue 18)', () => {
  const app = 'app://kense/index.html#/applications/A1';
  const video = (over: Partial<Parameters<typeof allowMedia>[0]> = {}): Parameters<typeof allowMedia>[0] => ({
    permission: 'media',
    requestingUrl: app,
    mediaTypes: ['video'],
    contentsId: 1,
    ...over,
  });

  it('is allowed to the app’s own origin only while its capture screen is open, then denied again', () => {
    const gate = new CaptureGate();
    expect(allowMedia(video(), gate)).toBe(false);
    gate.set(1, true);
    expect(allowMedia(video(), gate)).toBe(true);
    // The check handler gets the origin alone, without media types.
    expect(allowMedia({ permission: 'media', requestingUrl: 'app://kense', contentsId: 1 }, gate)).toBe(true);
    gate.set(1, false);
    expect(allowMedia(video(), gate)).toBe(false);
  });

  it('is denied to another origin, another window, audio, and every other permission, even during capture', () => {
    const gate = new CaptureGate();
    gate.set(1, true);
    for (const url of ['https://evil.example/', 'http://127.0.0.1:5984/', 'file:///tmp/x.html', 'app://other/'])
      expect(allowMedia(video({ requestingUrl: url }), gate), url).toBe(false);
    expect(allowMedia(video({ contentsId: 2 }), gate)).toBe(false);
    expect(allowMedia(video({ contentsId: null }), gate)).toBe(false);
    expect(allowMedia(video({ mediaTypes: ['video', 'audio'] }), gate)).toBe(false);
    expect(allowMedia(video({ mediaTypes: ['audio'] }), gate)).toBe(false);
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'display-capture'])
      expect(allowMedia(video({ permission }), gate), permission).toBe(false);
  });

  it('the session’s handlers follow the gate (fake session)', () => {
    type RequestHandler = (
      wc: { id: number } | null,
      permission: string,
      cb: (granted: boolean) => void,
      details: { requestingUrl: string; mediaTypes?: string[] },
    ) => void;
    type CheckHandler = (wc: { id: number } | null, permission: string, origin: string) => boolean;
    const got: { request?: RequestHandler; check?: CheckHandler } = {};
    const capture = new CaptureGate();
    hardenSession(
      {
        setPermissionRequestHandler: (h: RequestHandler) => (got.request = h),
        setPermissionCheckHandler: (h: CheckHandler) => (got.check = h),
        webRequest: { onBeforeRequest: () => undefined },
      },
      { connectOrigins: [], capture },
    );
    const ask = (id: number, url = app, mediaTypes = ['video']): boolean[] => {
      const answers: boolean[] = [];
      got.request?.({ id }, 'media', (g) => answers.push(g), { requestingUrl: url, mediaTypes });
      return answers;
    };
    expect(ask(4)).toEqual([false]);
    capture.set(4, true);
    expect(ask(4)).toEqual([true]);
    expect(got.check?.({ id: 4 }, 'media', 'app://kense')).toBe(true);
    expect(ask(4, 'https://evil.example/')).toEqual([false]);
    expect(ask(5)).toEqual([false]);
    capture.set(4, false);
    expect(ask(4)).toEqual([false]);
    expect(got.check?.({ id: 4 }, 'media', 'app://kense')).toBe(false);
  });
});
