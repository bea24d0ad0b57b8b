import { useLiveQuery } from 'dexie-react-hooks';
import { parseEventId, parseOutgoingNumber, parseRegNumber } from '@shared/events';
import type { Desk } from '../desk';

/**
 * Which desk (D01, D02 …) each device is, for people reading the audit trail: a device id
 * (`804D4C7DAB9F`) means nothing to them. This desk knows its own; another desk's code is in the
 * numbers it gave out (registration and outgoing numbers carry the desk code), found in the
 * journal rows, whose ids are the events' ids and so name the device.
 */
export async function deviceDesks(desk: Pick<Desk, 'deviceId' | 'config' | 'model'>): Promise<Map<string, string>> {
  const out = new Map<string, string>([[desk.deviceId, desk.config.desk]]);
  await desk.model.journal.each((row) => {
    const device = parseEventId(row.id)?.device;
    if (!device || out.has(device) || !row.number) return;
    const code = (parseRegNumber(row.number) ?? parseOutgoingNumber(row.number))?.desk;
    // A letter's outgoing number is the desk that sent it; a registration's is the desk that registered it.
    if (code) out.set(device, code);
  });
  return out;
}

/** The desk code of a device as this desk knows it (the device id itself for a desk that gave out no number). */
export function useDeviceDesks(desk: Desk): (device: string) => string {
  const map = useLiveQuery(() => deviceDesks(desk), [desk]);
  return (device) => map?.get(device) ?? device;
}
