import { create } from 'zustand';
import type { FieldState } from './field';

/**
 * A field laptop's state as the screen and the sync see it: the last scope decided (or read) and
 * a counter the sync controller follows, so that a change of the setting restarts the sync.
 */
export interface FieldStatus {
  state: FieldState | null;
  version: number;
}

export const useFieldStatus = create<FieldStatus>()(() => ({ state: null, version: 0 }));
