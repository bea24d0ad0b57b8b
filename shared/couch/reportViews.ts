/**
 * The regional reports' CouchDB views, as the source text CouchDB evaluates (plain ES5: `var`, no
 * arrow functions, no template literals, `Array.isArray` and never `instanceof`, no closures over
 * imports), kept apart so that any harness can evaluate exactly what is deployed.
 *
 * They run in each office's reports database (`reports_<code>`), over the report facts the
 * central reports writer keeps there (server/central/reports: one `fact:<appId>` document per
 * application, no personal data; shared/reports/regional.ts `regionalFactDoc`). Only CouchDB's
 * built-in reduces are used: `_count` and `_stats` merge correctly across a cluster's shards
 * (a custom reduce would have to be re-reduce safe, and percentiles cannot be). Every key starts
 * with its grain, 'd' (a local date 'YYYY-MM-DD') or 'm' (a month 'YYYY-MM'), so that a year is
 * read as twelve month buckets instead of 365 days.
 */

/**
 * Counts: key [grain, bucket, service, variant, channel, measure], value 1, reduce `_count`.
 * Measures: registered and open (by registration date); approved, refused, withdrawn,
 * notSupplied, refusedAtIntake (by closure date); for results handed over: onTime, late,
 * noDeadline, and returned / extended among them (by closure date).
 */
export const VOLUME_MAP = `function (doc) {
  if (!doc || doc.type !== 'report_fact' || doc.v !== 1) return;
  var emitBoth = [];
  var s = doc.serviceId, v = doc.variantId, c = doc.channel;
  if (doc.intake === 'registered' && typeof doc.registeredDay === 'string') {
    emitBoth.push([doc.registeredDay, 'registered']);
    if (doc.status === 'in_progress' || doc.status === 'waiting_applicant') emitBoth.push([doc.registeredDay, 'open']);
  }
  if (typeof doc.closedDay === 'string') {
    var closure = null;
    if (doc.status === 'closed') closure = doc.outcome === 'refused' ? 'refused' : 'approved';
    else if (doc.status === 'withdrawn') closure = 'withdrawn';
    else if (doc.status === 'not_supplied') closure = 'notSupplied';
    else if (doc.status === 'refused_at_intake') closure = 'refusedAtIntake';
    if (closure !== null) emitBoth.push([doc.closedDay, closure]);
    if (doc.status === 'closed') {
      emitBoth.push([doc.closedDay, doc.late === true ? 'late' : doc.late === false ? 'onTime' : 'noDeadline']);
      if (doc.returned > 0) emitBoth.push([doc.closedDay, 'returned']);
      if (doc.extended > 0) emitBoth.push([doc.closedDay, 'extended']);
    }
  }
  for (var i = 0; i < emitBoth.length; i++) {
    var day = emitBoth[i][0];
    emit(['d', day, s, v, c, emitBoth[i][1]], 1);
    emit(['m', day.substring(0, 7), s, v, c, emitBoth[i][1]], 1);
  }
}`;

/** Registration to result for results handed over: key [grain, bucket, service, variant], value working minutes, reduce `_stats`. */
export const DURATION_MAP = `function (doc) {
  if (!doc || doc.type !== 'report_fact' || doc.v !== 1) return;
  if (doc.status !== 'closed' || typeof doc.closedDay !== 'string' || typeof doc.minutes !== 'number') return;
  emit(['d', doc.closedDay, doc.serviceId, doc.variantId], doc.minutes);
  emit(['m', doc.closedDay.substring(0, 7), doc.serviceId, doc.variantId], doc.minutes);
}`;

/**
 * Step passes with a measured duration: key [grain, bucket, service, version, variant, step,
 * late 0/1, returned 0/1], value working minutes, reduce `_stats` (count, sum, min, max).
 */
export const STEPS_MAP = `function (doc) {
  if (!doc || doc.type !== 'report_fact' || doc.v !== 1 || !Array.isArray(doc.steps)) return;
  for (var i = 0; i < doc.steps.length; i++) {
    var p = doc.steps[i];
    if (!p || typeof p.doneDay !== 'string' || typeof p.minutes !== 'number') continue;
    var late = p.late === true ? 1 : 0;
    var returned = p.returned === true ? 1 : 0;
    emit(['d', p.doneDay, doc.serviceId, doc.serviceVersion, doc.variantId, p.stepId, late, returned], p.minutes);
    emit(['m', p.doneDay.substring(0, 7), doc.serviceId, doc.serviceVersion, doc.variantId, p.stepId, late, returned], p.minutes);
  }
}`;

/** The reports database's views. */
export const REPORT_VIEWS = {
  volume: { map: VOLUME_MAP, reduce: '_count' },
  durations: { map: DURATION_MAP, reduce: '_stats' },
  steps: { map: STEPS_MAP, reduce: '_stats' },
} as const;

/** Key lengths, for `group_level`. */
export const REPORT_VIEW_KEY_LENGTH = { volume: 6, durations: 4, steps: 8 } as const;
export type ReportView = keyof typeof REPORT_VIEWS;

/**
 * In the office database (read by the reports writer as the server admin, never by supervisors):
 * an application's events by its id, whatever form event ids take.
 */
export const EVENTS_BY_APP_MAP = `function (doc) {
  if (doc && doc.type === 'event' && typeof doc.appId === 'string') emit(doc.appId, null);
}`;

/** Only the server's admins (the reports writer) write a reports database; its members only read. */
export const REPORTS_VALIDATE_SOURCE = `function (newDoc, oldDoc, userCtx) {
  if (userCtx.roles.indexOf('_admin') !== -1) return;
  throw { forbidden: 'reports.readOnly' };
}`;
