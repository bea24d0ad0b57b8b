import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, fitToDisplays, parseWindowState } from './windowState';

const laptop = { x: 0, y: 0, width: 1366, height: 728 };
const external = { x: 1366, y: 0, width: 1920, height: 1040 };

describe('window state', () => {
  it('falls back to the defaults for malformed stored state', () => {
    expect(parseWindowState(null)).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState({ width: 'wide' })).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState({ width: 10, height: 10 })).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState({ x: 5, y: 6, width: 1200, height: 700 })).toEqual({
      x: 5,
      y: 6,
      width: 1200,
      height: 700,
      maximized: false,
    });
  });

  it('keeps a window on a display that still exists', () => {
    const s = { x: 1500, y: 100, width: 1400, height: 900, maximized: false };
    expect(fitToDisplays(s, [laptop, external])).toEqual(s);
  });

  it('drops the position of a window left on a disconnected monitor and fits its size', () => {
    const s = { x: 1500, y: 100, width: 1800, height: 1000, maximized: true };
    expect(fitToDisplays(s, [laptop])).toEqual({ width: 1366, height: 728, maximized: true });
  });

  it('never goes below the minimum usable size', () => {
    expect(fitToDisplays({ width: 300, height: 300, maximized: false }, [laptop])).toEqual({
      width: 1024,
      height: 640,
      maximized: false,
    });
  });
});
