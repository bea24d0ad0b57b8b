/**
 * The reports database's view, as the source text CouchDB evaluates (plain ES5: `var`, no arrow
 * functions, no template literals, `Array.isArray` and never `instanceof`, no closures over
 * imports), kept apart so that any harness can evaluate exactly what is deployed.
 *
 * It runs in each office's reports database (`reports_<code>`), over the report facts the central
 * reports writer keeps there (server/central/reports: one `fact:<appId>` document per application,
 * no personal data; shared/reports/regional.ts `regionalFactDoc`). It is map-only: the writer asks
 * it which facts touch a day, to recompute that day's totals (shared/reports/totals.ts), and the
 * supervisors read the totals documents, not a view.
 */

/** Every day a fact's figures fall on (a superset of shared/reports/totals.ts `factDays`): key the day, no value. */
export const BY_DAY_MAP = `function (doc) {
  if (!doc || doc.type !== 'report_fact' || doc.v !== 1) return;
  var days = {};
  if (doc.intake === 'registered' && typeof doc.registeredDay === 'string') days[doc.registeredDay] = true;
  if (typeof doc.closedDay === 'string') days[doc.closedDay] = true;
  if (Array.isArray(doc.steps))
    for (var i = 0; i < doc.steps.length; i++)
      if (doc.steps[i] && typeof doc.steps[i].doneDay === 'string') days[doc.steps[i].doneDay] = true;
  for (var day in days) if (Object.prototype.hasOwnProperty.call(days, day)) emit(day, null);
}`;

/** The reports database's views. */
export const REPORT_VIEWS = {
  by_day: { map: BY_DAY_MAP },
} as const;

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
