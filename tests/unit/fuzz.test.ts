import type { IpcMainInvokeEvent } from 'electron';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseService, CatalogueError } from '../../shared/catalogue/load';
import { checkOfficeDoc, validationRulesFromKinds } from '../../shared/couch';
import { KIND_ROLES, parseEvent } from '../../shared/events';
import { validateIinOrBin } from '../../shared/identity';
import { ipcRequestSchemas, type HubStatusReport, type IpcRequestChannel } from '../../shared/ipc/contract';
import { guardedHandler, isRefusal } from '../../electron/main/ipc';
import { isNavigationAllowed, isRequestAllowed, type CaptureGate } from '../../electron/main/guards';
import { ipcHandlers } from '../../electron/main/handlers';
import { createKeyStore } from '../../electron/main/keyStore';
import { syncOrigins } from '../../electron/main/csp';
import { EnvelopeError, generateDataKey, openBytes, openJson, sealJson } from '../../renderer/data/seal/envelope';
import { eligibleForPurge, purgePolicySchema } from '../../renderer/data/purge/purge';

/**
 * Random and malformed input thrown at every boundary that takes data from outside: the IPC
 * handlers, the server-side validator, the event parser, the catalogue loader, IIN/BIN. Each
 * answers with a clear refusal; none crashes; nothing is written (the handler never runs).
 */
const RUNS = 300;
const top = { url: 'app://kense/index.html', parent: null };
const event = (frame: unknown): IpcMainInvokeEvent => ({ senderFrame: frame }) as unknown as IpcMainInvokeEvent;

/** Anything JSON-ish and then some: prototypes, huge strings, deep nesting, numbers at the edges. */
const hostile = fc.oneof(
  fc.anything({ withNullPrototype: true, withBigInt: false, withDate: true, withMap: true, withSet: true }),
  fc.string({ maxLength: 5000 }),
  fc.constantFrom(NaN, Infinity, -0, Number.MAX_SAFE_INTEGER + 2, '__proto__', { __proto__: { admin: true } }),
  fc.record({ dialog: fc.anything(), copies: fc.anything(), pageSize: fc.anything(), deviceName: fc.anything() }),
  fc.record({ scope: fc.oneof(fc.string(), fc.stringMatching(/^[A-Z0-9]{1,17}[/\\.]{1,3}[A-Z0-9./]{0,20}$/)) }),
  // Hub settings near the valid ones, with and without a staff reader account (often malformed).
  fc.record(
    {
      enabled: fc.boolean(),
      office: fc.constantFrom('ALM01', 'alm01', ''),
      host: fc.constantFrom('0.0.0.0', '127.0.0.1', 'x --inspect'),
      port: fc.oneof(fc.integer({ min: 0, max: 70_000 }), fc.constant(5985)),
      central: fc.record({
        url: fc.constantFrom('https://couch.example.kz', 'file:///etc/passwd'),
        user: fc.string({ maxLength: 3 }),
        password: fc.string({ maxLength: 3 }),
      }),
      serviceUrl: fc.oneof(fc.constantFrom('https://couch.example.kz/_kense', 'file:///etc/passwd', ''), fc.anything()),
    },
    { requiredKeys: ['enabled', 'office', 'host', 'port', 'central'] },
  ),
);

describe('fuzz: every IPC handler refuses what its schema does not accept, and runs for nothing else', () => {
  const channels = Object.keys(ipcRequestSchemas) as IpcRequestChannel[];
  it.each(channels)('%s', async (channel) => {
    await fc.assert(
      fc.asyncProperty(hostile, fc.boolean(), async (payload, trusted) => {
        let ran = 0;
        const h = guardedHandler(channel, () => {
          ran++;
          return 'ran';
        });
        const frame = trusted ? top : { url: 'https://evil.example/', parent: null };
        const result = await h(event(frame), payload);
        const valid = ipcRequestSchemas[channel].safeParse(payload).success;
        if (trusted && valid) {
          expect(result).toBe('ran');
          expect(ran).toBe(1);
        } else {
          expect(isRefusal(result)).toBe(true);
          expect(ran).toBe(0);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

/** The embedded hub's report while it is off (the fake shell's hub never starts). */
const HUB_OFF: HubStatusReport = {
  available: true,
  state: 'off',
  url: null,
  uplink: null,
  lastSyncAt: null,
  staff: null,
  health: null,
  error: null,
  config: null,
};

describe('fuzz: the real IPC handler table, with a fake shell that records every effect', () => {
  const frames = fc.oneof(
    fc.constant(top),
    fc.constant(null),
    fc.record({ url: fc.webUrl(), parent: fc.constant(null) }),
    fc.record({ url: fc.string(), parent: fc.constant(null) }),
    fc.record({ url: fc.constant('app://kense/index.html'), parent: fc.constant(top) }),
  );
  const channels = Object.keys(ipcRequestSchemas) as IpcRequestChannel[];

  it('no crash; a refusal unless the sender is the app and the payload is valid; refused calls have no effect', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...channels), hostile, frames, async (channel, payload, frame) => {
        const effects: string[] = [];
        const handlers = ipcHandlers({
          appInfo: () => {
            effects.push('appInfo');
            return {
              name: 'K',
              version: '0',
              platform: 'electron',
              os: 'x',
              electronVersion: null,
              chromeVersion: null,
            };
          },
          setLanguage: () => {
            effects.push('language');
            return Promise.resolve();
          },
          hub: {
            status: () => {
              effects.push('hub status');
              return Promise.resolve(HUB_OFF);
            },
            configure: () => {
              effects.push('hub configured');
              return Promise.resolve(HUB_OFF);
            },
          },
          keyStore: createKeyStore({
            safeStorage: {
              isEncryptionAvailable: () => true,
              encryptString: (x) => Buffer.from(x),
              decryptString: (b) => b.toString(),
            },
            files: {
              read: () => Promise.resolve(null),
              write: () => {
                effects.push('key written');
                return Promise.resolve();
              },
            },
            randomBytes: (n) => new Uint8Array(n),
            platform: 'win32',
          }),
          capture: {
            set: () => effects.push('capture'),
          } as unknown as CaptureGate,
        });
        const sender = {
          id: 7,
          print: (_o: unknown, cb: (ok: boolean, r: string) => void) => {
            effects.push('print');
            cb(true, '');
          },
          printToPDF: () => {
            effects.push('pdf');
            return Promise.resolve(new Uint8Array([37, 80, 68, 70, 45]));
          },
          getPrintersAsync: () => {
            effects.push('printers');
            return Promise.resolve([]);
          },
        };
        const result = await handlers[channel](
          { senderFrame: frame, sender } as unknown as IpcMainInvokeEvent,
          payload,
        );
        const accepted = frame === top && ipcRequestSchemas[channel].safeParse(payload).success;
        if (accepted) expect(isRefusal(result)).toBe(false);
        else {
          expect(isRefusal(result)).toBe(true);
          expect(effects).toEqual([]);
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('navigation and request guards answer for any URL, and allow only the app and the sync servers', () => {
    const connectOrigins = syncOrigins('https://couch.example.kz');
    fc.assert(
      fc.property(fc.oneof(fc.webUrl(), fc.string(), fc.constantFrom('app://kense/x', 'app://kense.evil/')), (url) => {
        const nav = isNavigationAllowed(url);
        const req = isRequestAllowed(url, { connectOrigins });
        if (nav) expect(url.startsWith('app://kense/')).toBe(true);
        if (req)
          expect(
            /^(app:\/\/kense\/|data:|blob:|devtools:|http:\/\/(127\.0\.0\.1|localhost)[:/]|https:\/\/couch\.example\.kz[/:]?)/i.test(
              url,
            ),
          ).toBe(true);
      }),
      { numRuns: RUNS * 3 },
    );
  });
});

describe('fuzz: encryption envelope and purge setting', () => {
  it('opening random text or bytes never crashes and never yields a value: always an EnvelopeError', async () => {
    const key = await generateDataKey();
    const real = await sealJson(key, { iin: '900101300017' });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.string().map((x) => `kenc1.${x}`),
          fc.nat({ max: real.length - 1 }).map((i) => real.slice(0, i)),
          fc
            .tuple(fc.nat({ max: real.length - 1 }), fc.constantFrom('A', '-', '_', 'z'))
            .map(([i, c]) => real.slice(0, i) + c + real.slice(i + 1)),
        ),
        fc.uint8Array({ maxLength: 200 }),
        async (text, bytes) => {
          for (const attempt of [() => openJson(key, text), () => openBytes(key, bytes)]) {
            try {
              const v = await attempt();
              // Only the untouched sealed text opens (a replaced character may equal the original).
              expect(text).toBe(real);
              expect(v).toEqual({ iin: '900101300017' });
            } catch (e) {
              expect(e).toBeInstanceOf(EnvelopeError);
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the purge setting and the eligibility rule refuse or ignore nonsense, never crash', () => {
    fc.assert(
      fc.property(
        hostile,
        fc.array(
          fc.record({
            appId: fc.string(),
            status: fc.oneof(fc.string(), fc.constantFrom('closed', 'in_progress', 'withdrawn')),
            closedAt: fc.oneof(fc.constant(null), fc.integer(), fc.double()),
          }),
          { maxLength: 20 },
        ),
        fc.integer({ min: 1, max: 3650 }),
        (policy, rows, days) => {
          const parsed = purgePolicySchema.safeParse(policy);
          if (parsed.success) expect(['never', 'afterDays']).toContain(parsed.data.mode);
          const now = Date.UTC(2026, 10, 23);
          const out = eligibleForPurge(rows, { mode: 'afterDays', days }, now);
          for (const id of out) {
            const ok = rows.some(
              (r) =>
                r.appId === id &&
                r.closedAt !== null &&
                r.closedAt <= now - days * 86_400_000 &&
                !['in_progress', 'waiting_applicant'].includes(r.status),
            );
            expect(ok).toBe(true);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('fuzz: validators answer with a reason, never a crash', () => {
  const rules = validationRulesFromKinds(KIND_ROLES);

  it('validate_doc_update refuses malformed documents with a { forbidden } code', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          hostile,
          fc.record({ _id: fc.string(), type: fc.constant('event'), v: fc.constant(1), kind: fc.string() }),
        ),
        fc.array(fc.string(), { maxLength: 4 }),
        (doc, roles) => {
          const d = (doc !== null && typeof doc === 'object' ? doc : { value: doc }) as Record<string, unknown>;
          try {
            checkOfficeDoc(d, null, { db: 'office_alm01', name: 'x', roles }, null, rules);
            // Accepted: only an event of a known kind, by a role allowed for it, gets here.
            expect(d['type']).toBe('event');
            expect(Object.keys(KIND_ROLES)).toContain(d['kind']);
          } catch (e) {
            expect(typeof (e as { forbidden?: unknown }).forbidden).toBe('string');
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the event parser and the catalogue loader refuse with a code', () => {
    fc.assert(
      fc.property(hostile, (doc) => {
        const r = parseEvent(doc);
        if (!r.ok) expect(r.problem).toMatch(/^event\./);
        expect(() => {
          try {
            parseService(doc);
          } catch (e) {
            if (e instanceof CatalogueError) return;
            throw e;
          }
        }).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });

  it('IIN/BIN validation answers ok or a translatable error for any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.stringMatching(/^\d{12}$/)), (text) => {
        const r = validateIinOrBin(text);
        if (!r.ok) expect(r.error).toMatch(/^id\./);
        else expect(r.value).toMatch(/^\d{12}$/);
      }),
      { numRuns: RUNS },
    );
  });
});
