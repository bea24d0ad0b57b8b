import type { IpcMainInvokeEvent } from 'electron';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseService, CatalogueError } from '../../shared/catalogue/load';
import { validateOfficeDoc, validationRulesFromKinds } from '../../shared/couch';
import { KIND_ROLES, parseEvent } from '../../shared/events';
import { validateIinOrBin } from '../../shared/identity';
import { ipcRequestSchemas, type IpcRequestChannel } from '../../shared/ipc/contract';
import { guardedHandler, isRefusal } from '../../electron/main/ipc';

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
            validateOfficeDoc(d, null, { db: 'office_alm01', name: 'x', roles }, null, rules);
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
