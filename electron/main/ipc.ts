import type { IpcMainInvokeEvent } from 'electron';
import type { z } from 'zod';
import { ipcRequestSchemas, type IpcRequestChannel } from '@shared/ipc/contract';
import { isAppUrl } from './appUrl';

export type IpcRefusal = { refused: true; code: 'ipc.unknownSender' | 'ipc.invalidPayload' };

/**
 * Wraps an IPC handler so that it only ever runs for the app's own top frame and a payload that
 * passes the channel's schema. Anything else gets a refusal value (never a thrown stack trace,
 * never a partial effect).
 */
export function guardedHandler<C extends IpcRequestChannel, R>(
  channel: C,
  handler: (payload: z.output<(typeof ipcRequestSchemas)[C]>, event: IpcMainInvokeEvent) => Promise<R> | R,
  devServerUrl?: string,
): (event: IpcMainInvokeEvent, payload: unknown) => Promise<R | IpcRefusal> {
  const schema = ipcRequestSchemas[channel];
  return async (event, payload) => {
    if (!isTrustedSender(event, devServerUrl)) return { refused: true, code: 'ipc.unknownSender' };
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return { refused: true, code: 'ipc.invalidPayload' };
    return handler(parsed.data as z.output<(typeof ipcRequestSchemas)[C]>, event);
  };
}

/** The sender must be the main frame of one of our windows, showing our own origin. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, devServerUrl?: string): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url, devServerUrl);
}

export function isRefusal(value: unknown): value is IpcRefusal {
  return typeof value === 'object' && value !== null && (value as { refused?: unknown }).refused === true;
}
