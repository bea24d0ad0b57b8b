import { create } from 'zustand';
import type { FieldState } from './field';

/** A field laptop's scope as last decided (or read) by the sync, for the Settings screen to follow. */
export const useFieldStatus = create<{ state: FieldState | null }>()(() => ({ state: null }));
