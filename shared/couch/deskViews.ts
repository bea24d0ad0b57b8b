import { plainSource, type ViewsDesignDocument } from './design';
/**
 * What a desk asks of its office database on the server besides replication: one map/reduce view,
 * `_design/kense_desk/_view/apps`, that lets a new desk (or one far behind) download the open
 * applications first and the rest by application, without reading every event
 * (renderer/data/sync/firstDownload.ts).
 *
 * - `reduce=false`: one row per event under its application id, with the winning revision and the
 *   conflicting ones (a view sees `_conflicts`): the ids and revisions to fetch with `_bulk_get`;
 *   and the number the event gave out, if any: the numbers each desk code has used.
 * - `group=true`: per application, its latest event in the fold's order (HLC, then device: the HLC
 *   is fixed-width, so text order is time order), that event's step, the service of its
 *   registration and its number of events: enough for the desk to tell, with its catalogue, which
 *   applications are still open (`isProbablyOpen`).
 *
 * Kept apart from `_design/kense` (the validator): changing one does not rebuild the other's index.
 * Both functions are plain ES5 without `instanceof` or typed arrays: they run in whichever engine
 * the server uses (SpiderMonkey, QuickJS), as the validators do (tests/unit/deskViews.engines.test.ts).
 */
export const DESK_DESIGN_DOC_ID = '_design/kense_desk';
/** The view as PouchDB's `query` names it. */
export const APPS_VIEW = 'kense_desk/apps';

/** The value of one event's row. */
export interface AppEventValue {
  /** HLC and device: the fold's order. */
  h: string;
  k: string | null;
  /** The step the event acts on, when it names one. */
  p?: string;
  /** serviceId, serviceVersion, variantId: on a registration (or a refusal to accept). */
  s?: [string, string, string];
  /**
   * A number the event gave out: a registration number (on a registration or a refusal to accept)
   * or an outgoing number. A new desk that reuses a desk code (a replaced laptop) numbers after
   * these before the history bringing them has arrived.
   */
  g?: string;
  /** The winning revision, and the others. */
  r: string;
  c?: string[];
  /**
   * Bytes of the event's attachments (a scan or photo), when it has any: a first download fetches
   * such events a few at a time (renderer/data/sync/firstDownload.ts).
   */
  a?: number;
}

/** One application's summary (`group=true`). */
export interface AppSummary {
  h: string;
  k: string | null;
  p: string | null;
  s: [string, string, string] | null;
  /** Events under the application. */
  n: number;
}

// The server's view engine provides `emit`.
declare const emit: (key: unknown, value: unknown) => void;

/* eslint-disable no-var */
export function appsMap(doc: Record<string, unknown>): void {
  var id = doc['_id'];
  if (typeof id !== 'string' || id.indexOf('evt:') !== 0 || typeof doc['appId'] !== 'string') return;
  var payload = doc['payload'] as Record<string, unknown> | null | undefined;
  var value: Record<string, unknown> = {
    h: String(doc['hlc']) + ':' + String(doc['device']),
    k: typeof doc['kind'] === 'string' ? doc['kind'] : null,
    r: doc['_rev'],
  };
  if (payload && typeof payload === 'object') {
    if (typeof payload['stepId'] === 'string') value['p'] = payload['stepId'];
    if ((doc['kind'] === 'registered' || doc['kind'] === 'intake_refused') && typeof payload['serviceId'] === 'string')
      value['s'] = [payload['serviceId'], String(payload['serviceVersion']), String(payload['variantId'])];
    if (typeof payload['regNumber'] === 'string') value['g'] = payload['regNumber'];
    else if (typeof payload['outgoingNumber'] === 'string') value['g'] = payload['outgoingNumber'];
  }
  if (doc['_conflicts']) value['c'] = doc['_conflicts'];
  var atts = doc['_attachments'] as Record<string, { length?: unknown }> | null | undefined;
  if (atts && typeof atts === 'object') {
    var bytes = 0;
    for (var name in atts)
      if (Object.prototype.hasOwnProperty.call(atts, name)) {
        var att = atts[name];
        bytes += att && typeof att['length'] === 'number' ? att['length'] : 1;
      }
    if (bytes > 0) value['a'] = bytes;
  }
  emit(doc['appId'], value);
}

export function appsReduce(_keys: unknown, values: (AppEventValue | AppSummary)[], rereduce: boolean): AppSummary {
  var out: AppSummary = { h: '', k: null, p: null, s: null, n: 0 };
  var i: number;
  var v: AppEventValue | AppSummary;
  for (i = 0; i < values.length; i++) {
    v = values[i] as AppEventValue | AppSummary;
    out.n += rereduce ? (v as AppSummary).n : 1;
    if (v.s) out.s = v.s;
    if (v.h > out.h) {
      out.h = v.h;
      out.k = v.k;
      out.p = v.p || null;
    }
  }
  return out;
}

/**
 * `_view/people`: who each event concerns: its author (`actor.login`) and the executor it names
 * (a resolution or a reassignment), key `[login, at]`, value the application id. A field laptop
 * (shared/couch/fieldScope.ts) asks it for the applications its user acted on or was given.
 */
export function peopleMap(doc: Record<string, unknown>): void {
  var id = doc['_id'];
  var appId = doc['appId'];
  if (typeof id !== 'string' || id.indexOf('evt:') !== 0 || typeof appId !== 'string') return;
  var at = typeof doc['at'] === 'string' ? doc['at'] : '';
  var actor = doc['actor'] as Record<string, unknown> | null | undefined;
  var author = actor && typeof actor === 'object' && typeof actor['login'] === 'string' ? actor['login'] : null;
  if (author !== null) emit([author, at], appId);
  var payload = doc['payload'] as Record<string, unknown> | null | undefined;
  if (
    payload &&
    typeof payload === 'object' &&
    typeof payload['executor'] === 'string' &&
    payload['executor'] !== author
  )
    emit([payload['executor'], at], appId);
}
/* eslint-enable no-var */

/** Kinds after which an application takes no more steps. */
const CLOSING_KINDS: ReadonlySet<string> = new Set(['issued', 'intake_refused', 'withdrawn']);

/**
 * Whether an application is probably still open, from its latest event alone: what is decided on
 * it (the order of a first download, a field laptop's scope) brings an application a little
 * later or keeps one a little longer when wrong, never loses it.
 */
export function isProbablyOpen(summary: Pick<AppSummary, 'k'>): boolean {
  return summary.k === null || !CLOSING_KINDS.has(summary.k);
}

export function deskViewsDocument(version: string): ViewsDesignDocument {
  return {
    _id: DESK_DESIGN_DOC_ID,
    language: 'javascript',
    views: {
      apps: { map: plainSource(appsMap, 'appsMap'), reduce: plainSource(appsReduce, 'appsReduce') },
      people: { map: plainSource(peopleMap, 'peopleMap') },
    },
    kense_version: version,
  };
}
