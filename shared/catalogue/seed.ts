import { canonicalJson } from '../audit/chain';
import { sha256Hex, utf8 } from '../audit/digest';
import { CALENDAR_DATA, type YearData } from '../calendar/data';
import { calendarDocId, serviceDocId, type CalendarDoc, type CatalogDoc, type ServiceDoc } from './docs';
import { serviceSchema, type ServiceDefinition } from './schema';
import { BUNDLED_SERVICES } from './services';

/**
 * The first-run seed of every desk's catalogue and of central's: the service versions and calendar
 * years shipped with the app, as catalogue documents (docs.ts). Apart from docs.ts because it
 * brings the bundled JSON with it.
 */
/** The author and time recorded on the documents the app ships (its first-run seed). */
export const SEED_AUTHOR = 'kense-seed';

/** The bundled services and calendar years as catalogue documents: the first-run seed of every desk and of central. */
export function seedDocs(): CatalogDoc[] {
  const services: ServiceDoc[] = BUNDLED_SERVICES.map((raw) => {
    const data = serviceSchema.parse(raw);
    return {
      _id: serviceDocId(data.id, data.version),
      type: 'service',
      // The file as written, not the parsed copy: zod would reorder nothing, but drops nothing either.
      data: raw as ServiceDefinition,
      updated: { by: SEED_AUTHOR, at: `${data.validFrom}T00:00:00+05:00` },
    };
  });
  const calendars: CalendarDoc[] = Object.values(CALENDAR_DATA).map((y) => ({
    _id: calendarDocId(y.year),
    type: 'calendar',
    data: JSON.parse(JSON.stringify(y)) as YearData,
    updated: { by: SEED_AUTHOR, at: `${y.year}-01-01T00:00:00+05:00` },
  }));
  return [...services, ...calendars];
}

/**
 * The revision a seed document is written with (`new_edits: false`), from its content alone: a
 * desk that seeded itself and central seeded by provisioning hold the very same revision, so the
 * first pull brings no conflict, and an administrator's edit on either side follows from it.
 * A shipped version must therefore never change: a correction is a new version.
 */
export function seedRevision(doc: CatalogDoc): string {
  const { _rev: _ignored, ...content } = doc;
  return `1-${sha256Hex(utf8(canonicalJson(content))).slice(0, 32)}`;
}
