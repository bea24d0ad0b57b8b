import { canonicalJson } from '../audit/chain';
import { sha256Hex, utf8 } from '../audit/digest';
import { CALENDAR_DATA, type YearData } from '../calendar/data';
import {
  buildCatalogState,
  calendarDocId,
  serviceDocId,
  type CalendarDoc,
  type CatalogDoc,
  type CatalogState,
  type ServiceDoc,
} from './docs';
import type { ServiceDefinition } from './schema';
import { BUNDLED_SERVICES } from './services';

/**
 * The first-run seed of every desk's catalogue and of central's: the service versions and calendar
 * years shipped with the app, as catalogue documents (docs.ts). Apart from docs.ts because it
 * brings the bundled JSON with it.
 */
/** The author and time recorded on the documents the app ships (its first-run seed). */
export const SEED_AUTHOR = 'kense-seed';

/**
 * The bundled services and calendar years as catalogue documents: the first-run seed of every desk
 * and of central. Not checked against the schema here: the files are the app's own, checked by its
 * tests (docs.test.ts: every seed parses), and a desk's start parsed them twice with zod, 60 ms of
 * its first task (issue 13: no task over 200 ms). What a desk reads back from its database is
 * checked as any document is (`buildCatalogState`).
 */
export function seedDocs(): CatalogDoc[] {
  const services: ServiceDoc[] = BUNDLED_SERVICES.map((raw) => {
    const data = raw as ServiceDefinition;
    return {
      _id: serviceDocId(data.id, data.version),
      type: 'service',
      data,
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
 * The catalogue a desk shows until its database has opened: the bundled seed, taken as it is (see
 * `seedDocs`).
 */
export function seedCatalogState(): CatalogState {
  return buildCatalogState(seedDocs(), (raw) => ({ ok: true, doc: raw as CatalogDoc }));
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
