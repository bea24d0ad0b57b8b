import { z } from 'zod';

/** The window's last size and position, remembered between runs. */
export const windowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(200).max(20000),
  height: z.number().int().min(200).max(20000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof windowStateSchema>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Usable at 1366×768, the most common office laptop screen. */
export const DEFAULT_WINDOW_STATE: WindowState = { width: 1366, height: 768, maximized: false };
export const MIN_WINDOW = { width: 1024, height: 640 } as const;

/** Parses a stored state; anything malformed gives the defaults (never a crash at start-up). */
export function parseWindowState(raw: unknown): WindowState {
  const parsed = windowStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : DEFAULT_WINDOW_STATE;
}

/**
 * Keeps a remembered window on a screen that still exists (a laptop undocked from its second
 * monitor must not open its window off-screen): the position is dropped unless the window's
 * title bar area overlaps one of the displays' work areas, and the size is clamped to fit.
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  const largest = workAreas.reduce<Rect | null>(
    (best, a) => (best === null || a.width * a.height > best.width * best.height ? a : best),
    null,
  );
  const width = Math.max(MIN_WINDOW.width, Math.min(state.width, largest?.width ?? state.width));
  const height = Math.max(MIN_WINDOW.height, Math.min(state.height, largest?.height ?? state.height));
  const result: WindowState = { width, height, maximized: state.maximized };
  if (state.x === undefined || state.y === undefined) return result;
  const titleBar: Rect = { x: state.x, y: state.y, width, height: 40 };
  const visible = workAreas.some((a) => overlapArea(titleBar, a) >= 40 * 40);
  return visible ? { ...result, x: state.x, y: state.y } : result;
}

function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}
