import type { WorkCalendar } from '../../../shared/calendar';
import { buildCatalogState } from '../../../shared/catalogue/docs';
import type { Catalogue } from '../../../shared/catalogue/load';
import { CATALOG_DB } from '../../../shared/couch';

/**
 * The catalogue and working calendar the offices' desks fold with: central's `catalog` database
 * (service versions, calendar years), validated as every desk validates it (buildCatalogState).
 * The reports writer folds with it, not with the bundled seed, so that a service version or a
 * calendar year published by a catalogue administrator gives the supervisors the figures the
 * desks show. Documents the schema refuses are left out, as on a desk.
 */
export async function loadCentralCatalog(server: {
  url: string;
  user: string;
  password: string;
}): Promise<{ catalogue: Catalogue; calendar: WorkCalendar; invalid: number }> {
  const r = await fetch(`${server.url.replace(/\/+$/, '')}/${CATALOG_DB}/_all_docs?include_docs=true`, {
    headers: {
      authorization: 'Basic ' + Buffer.from(`${server.user}:${server.password}`).toString('base64'),
      accept: 'application/json',
      connection: 'close',
    },
    signal: AbortSignal.timeout(60_000),
  });
  if (!r.ok) throw new Error(`GET ${CATALOG_DB}/_all_docs: HTTP ${r.status}`);
  const body = (await r.json()) as { rows: { doc?: unknown }[] };
  const state = buildCatalogState(body.rows.flatMap((row) => (row.doc ? [row.doc] : [])));
  return { catalogue: state.catalogue, calendar: state.calendar, invalid: state.invalid.length };
}
