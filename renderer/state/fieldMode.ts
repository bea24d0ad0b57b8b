import { create } from 'zustand';
import { FIELD_OFF, fieldSettingsSchema, type FieldSettings } from '@shared/couch';

/**
 * Whether this computer is a field laptop (renderer/data/sync/field.ts), kept on the computer like the
 * desk's set-up, so that the office's IT person sets it before anyone signs in and the first
 * download is already the field laptop's.
 */
export const FIELD_MODE_KEY = 'kense.field';

function stored(): FieldSettings {
  try {
    const parsed = fieldSettingsSchema.safeParse(JSON.parse(localStorage.getItem(FIELD_MODE_KEY) ?? 'null'));
    return parsed.success ? parsed.data : FIELD_OFF;
  } catch {
    return FIELD_OFF;
  }
}

export interface FieldMode {
  settings: FieldSettings;
  set: (settings: FieldSettings) => void;
}

export const useFieldMode = create<FieldMode>()((set) => ({
  settings: stored(),
  set: (settings) => {
    const valid = fieldSettingsSchema.parse(settings);
    localStorage.setItem(FIELD_MODE_KEY, JSON.stringify(valid));
    set({ settings: valid });
  },
}));
