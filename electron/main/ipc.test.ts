import type { IpcMainInvokeEvent } from 'electron';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IPC } from '@shared/ipc/contract';
import { guardedHandler, isRefusal, isTrustedSender } from './ipc';

type Frame = { url: string; parent: Frame | null };
const event = (frame: Frame | null): IpcMainInvokeEvent => ({ senderFrame: frame }) as unknown as IpcMainInvokeEvent;
const top: Frame = { url: 'app://kense/index.html#/settings', parent: null };

describe('IPC guard', () => {
  it('trusts only the top frame of the app origin', () => {
    expect(isTrustedSender(event(top))).toBe(true);
    expect(isTrustedSender(event(null))).toBe(false);
    expect(isTrustedSender(event({ url: 'https://evil.example/', parent: null }))).toBe(false);
    expect(isTrustedSender(event({ url: 'app://kense/frame.html', parent: top }))).toBe(false);
    expect(isTrustedSender(event({ url: 'app://kense.evil/', parent: null }))).toBe(false);
  });

  it('runs the handler with a valid payload from the app', async () => {
    const seen: string[] = [];
    const h = guardedHandler(IPC.setUiLanguage, (lang) => {
      seen.push(lang);
      return 'done';
    });
    await expect(h(event(top), 'ru')).resolves.toBe('done');
    expect(seen).toEqual(['ru']);
  });

  it('refuses unknown senders without running the handler', async () => {
    let ran = false;
    const h = guardedHandler(IPC.setUiLanguage, () => {
      ran = true;
    });
    await expect(h(event({ url: 'https://evil.example/', parent: null }), 'kk')).resolves.toEqual({
      refused: true,
      code: 'ipc.unknownSender',
    });
    expect(ran).toBe(false);
  });

  it('refuses every malformed payload on every channel, never throwing and never running the handler', async () => {
    const channels = [IPC.getAppInfo, IPC.setUiLanguage, IPC.print] as const;
    for (const channel of channels) {
      let ran = 0;
      const h = guardedHandler(channel, () => {
        ran++;
        return 'ok';
      });
      await fc.assert(
        fc.asyncProperty(fc.anything(), async (payload) => {
          const validByShape =
            (channel === IPC.getAppInfo && payload === undefined) ||
            (channel === IPC.setUiLanguage && (payload === 'kk' || payload === 'ru'));
          if (validByShape) return;
          const before = ran;
          const r = await h(event(top), payload);
          if (isRefusal(r)) {
            expect(r.code).toBe('ipc.invalidPayload');
            expect(ran).toBe(before);
          } else {
            // Only a print request that really matches the schema may get through.
            expect(channel).toBe(IPC.print);
          }
        }),
        { numRuns: 300 },
      );
    }
  });

  it('validates print requests strictly', async () => {
    const h = guardedHandler(IPC.print, (req) => req);
    await expect(h(event(top), { dialog: true })).resolves.toEqual({ dialog: true, copies: 1 });
    await expect(h(event(top), { dialog: false, deviceName: 'POS-80', copies: 2 })).resolves.toEqual({
      dialog: false,
      deviceName: 'POS-80',
      copies: 2,
    });
    for (const bad of [
      {},
      { dialog: 'yes' },
      { dialog: true, copies: 0 },
      { dialog: true, copies: 99 },
      { dialog: true, extra: 1 },
    ]) {
      await expect(h(event(top), bad)).resolves.toEqual({ refused: true, code: 'ipc.invalidPayload' });
    }
  });
});
