/**
 * The `validate_doc_update` of central's `catalog` database (and of every server that carries
 * it). Only catalogue administrators (`catalog_admin`) and server admins write; what they write
 * must be a well-formed catalogue document (shared/catalogue/docs.ts): a service version, a
 * calendar year or an office profile, filed under the id its data gives it, with its author.
 *
 * It checks the essentials — enough that nothing another desk would misread as a regulation,
 * calendar or profile is stored: the envelope, the id, the dates, the enumerations, the shape of
 * variants, steps and norms, of holidays and transfers (with the decree's reference), of an
 * office's providers and hours. The rest is zod's alone (shared/catalogue/schema.ts,
 * shared/calendar/schema.ts): unknown fields, trimmed texts, real calendar dates (2025-02-30),
 * cross-references (an extension's steps exist, ids unique, a step's channel among its
 * variant's, a commission says whether it decides, a wait what happens when it expires), the
 * working days of a transfer being weekend days. That is safe because no desk uses a document
 * before zod accepts it — a document that passed here but not there is ignored on the desks
 * (its service version stays unknown, its year "not published") and listed for the
 * administrators — and the administration runs the same zod check before it publishes.
 *
 * Deletion is allowed to the same writers: it is how a conflict is resolved (the losing revision
 * is deleted). The app never deletes a winning revision (an application may refer to it).
 *
 * Plain ES5, `Array.isArray` and never `instanceof` (CouchDB hands the validator documents from
 * another realm), no inner functions or closures over imports (a bundler may wrap them in helpers
 * the server lacks): CouchDB evaluates this function's source text with `rules` inlined as JSON.
 */
import { ACTORS, CHANNELS, NORM_UNITS, OFFICE_HOURS, REGIONS, STEP_KINDS } from '../catalogue/schema';
import type { UserCtx } from './validateDocUpdate';

export interface CatalogRules {
  actors: string[];
  stepKinds: string[];
  normUnits: string[];
  channels: string[];
  officeHours: string[];
  regions: string[];
}

/** The enumerations the validator checks against, from the catalogue schema (one source). */
export function catalogValidationRules(): CatalogRules {
  return {
    actors: [...ACTORS],
    stepKinds: [...STEP_KINDS],
    normUnits: [...NORM_UNITS],
    channels: [...CHANNELS],
    officeHours: [...OFFICE_HOURS],
    regions: [...REGIONS],
  };
}

export function validateCatalogDoc(
  newDoc: Record<string, unknown>,
  oldDoc: Record<string, unknown> | null,
  userCtx: UserCtx,
  secObj: unknown,
  rules: CatalogRules,
): void {
  /* eslint-disable no-var, @typescript-eslint/only-throw-error, @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call */
  var roles = userCtx.roles;
  var isAdmin = roles.indexOf('_admin') !== -1;
  if (!isAdmin && roles.indexOf('catalog_admin') === -1) throw { forbidden: 'catalog.adminOnly' };
  var id = String(newDoc['_id']);
  if (id.indexOf('_design/') === 0) {
    if (!isAdmin) throw { forbidden: 'doc.designAdminOnly' };
    return;
  }
  // Resolving a conflict deletes the losing revision.
  if (newDoc['_deleted'] === true) return;

  var DATE = /^\d{4}-\d{2}-\d{2}$/;
  var ID = /^[a-z0-9][a-z0-9-]*$/;
  var HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
  var type = newDoc['type'];
  var data = newDoc['data'] as any;
  var updated = newDoc['updated'] as any;
  if (type !== 'service' && type !== 'calendar' && type !== 'office') throw { forbidden: 'catalog.badType' };
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw { forbidden: 'catalog.badData' };
  if (
    updated === null ||
    typeof updated !== 'object' ||
    typeof updated.by !== 'string' ||
    updated.by === '' ||
    typeof updated.at !== 'string'
  )
    throw { forbidden: 'catalog.badAuthor' };
  // The author recorded is whoever writes (a server admin, provisioning, may write the seed's).
  if (!isAdmin && updated.by !== userCtx.name) throw { forbidden: 'catalog.authorMismatch' };

  var i, j, k, v, s, n, list, t;
  var langs: string[] = ['kk', 'ru'];

  if (type === 'service') {
    if (typeof data.id !== 'string' || !ID.test(data.id) || typeof data.version !== 'string')
      throw { forbidden: 'catalog.badId' };
    if (!/^\d+(\.\d+)*$/.test(data.version) || id !== 'service:' + data.id + ':' + data.version)
      throw { forbidden: 'catalog.badId' };
    if (typeof data.validFrom !== 'string' || !DATE.test(data.validFrom))
      throw { forbidden: 'catalog.badDate@validFrom' };
    if (
      data.validTo !== null &&
      (typeof data.validTo !== 'string' || !DATE.test(data.validTo) || data.validTo < data.validFrom)
    )
      throw { forbidden: 'catalog.badDate@validTo' };
    list = ['names', 'provider', 'ministry'];
    for (i = 0; i < list.length; i++) {
      t = data[String(list[i])];
      if (t === null || typeof t !== 'object') throw { forbidden: 'catalog.badText@' + list[i] };
      for (j = 0; j < langs.length; j++)
        if (typeof t[String(langs[j])] !== 'string' || t[String(langs[j])].replace(/\s/g, '') === '')
          throw { forbidden: 'catalog.badText@' + list[i] + '.' + langs[j] };
    }
    if (typeof data.providerId !== 'string' || !ID.test(data.providerId))
      throw { forbidden: 'catalog.badField@providerId' };
    if (rules.regions.indexOf(data.region) === -1) throw { forbidden: 'catalog.badField@region' };
    if (rules.officeHours.indexOf(data.officeHours) === -1) throw { forbidden: 'catalog.badField@officeHours' };
    if (!Array.isArray(data.channels) || data.channels.length === 0) throw { forbidden: 'catalog.badField@channels' };
    for (i = 0; i < data.channels.length; i++)
      if (rules.channels.indexOf(data.channels[i]) === -1) throw { forbidden: 'catalog.badField@channels' };
    if (!Array.isArray(data.recipients) || data.recipients.length === 0)
      throw { forbidden: 'catalog.badField@recipients' };
    if (data.documents === null || typeof data.documents !== 'object' || !Array.isArray(data.documents.items))
      throw { forbidden: 'catalog.badField@documents' };
    if (!Array.isArray(data.results) || data.results.length === 0) throw { forbidden: 'catalog.badField@results' };
    if (!Array.isArray(data.variants) || data.variants.length === 0) throw { forbidden: 'catalog.badVariant@variants' };
    for (i = 0; i < data.variants.length; i++) {
      v = data.variants[i];
      if (v === null || typeof v !== 'object' || typeof v.id !== 'string' || !ID.test(v.id))
        throw { forbidden: 'catalog.badVariant@variants.' + i };
      if (!Array.isArray(v.channels) || v.channels.length === 0)
        throw { forbidden: 'catalog.badVariant@variants.' + i };
      for (j = 0; j < v.channels.length; j++)
        if (rules.channels.indexOf(v.channels[j]) === -1) throw { forbidden: 'catalog.badVariant@variants.' + i };
      // The overall deadline: null (the regulation states none) or a norm.
      n = v.deadline;
      if (
        n !== null &&
        (n === undefined ||
          typeof n !== 'object' ||
          typeof n.value !== 'number' ||
          n.value < 0 ||
          Math.floor(n.value) !== n.value ||
          rules.normUnits.indexOf(n.unit) === -1)
      )
        throw { forbidden: 'catalog.badNorm@variants.' + i + '.deadline' };
      if (!Array.isArray(v.steps) || v.steps.length === 0)
        throw { forbidden: 'catalog.badStep@variants.' + i + '.steps' };
      for (j = 0; j < v.steps.length; j++) {
        s = v.steps[j];
        if (
          s === null ||
          typeof s !== 'object' ||
          typeof s.id !== 'string' ||
          !ID.test(s.id) ||
          rules.stepKinds.indexOf(s.kind) === -1 ||
          rules.actors.indexOf(s.actor) === -1 ||
          typeof s.role !== 'string'
        )
          throw { forbidden: 'catalog.badStep@variants.' + i + '.steps.' + j };
        n = s.norm;
        if (
          n !== null &&
          (n === undefined ||
            typeof n !== 'object' ||
            typeof n.value !== 'number' ||
            n.value < 0 ||
            Math.floor(n.value) !== n.value ||
            rules.normUnits.indexOf(n.unit) === -1)
        )
          throw { forbidden: 'catalog.badNorm@variants.' + i + '.steps.' + j + '.norm' };
      }
    }
    return;
  }

  if (type === 'calendar') {
    var year = data.year;
    if (
      typeof year !== 'number' ||
      Math.floor(year) !== year ||
      year < 2000 ||
      year > 2100 ||
      id !== 'calendar:' + year
    )
      throw { forbidden: 'catalog.badId' };
    if (!Array.isArray(data.holidays)) throw { forbidden: 'catalog.badHoliday@holidays' };
    for (i = 0; i < data.holidays.length; i++) {
      t = data.holidays[i];
      if (
        t === null ||
        typeof t !== 'object' ||
        typeof t.date !== 'string' ||
        !DATE.test(t.date) ||
        t.date.indexOf(year + '-') !== 0 ||
        typeof t.key !== 'string' ||
        typeof t.transferable !== 'boolean' ||
        t.names === null ||
        typeof t.names !== 'object' ||
        typeof t.names.kk !== 'string' ||
        typeof t.names.ru !== 'string'
      )
        throw { forbidden: 'catalog.badHoliday@holidays.' + i };
    }
    if (!Array.isArray(data.transfers)) throw { forbidden: 'catalog.badTransfer@transfers' };
    for (i = 0; i < data.transfers.length; i++) {
      t = data.transfers[i];
      if (t === null || typeof t !== 'object' || !Array.isArray(t.daysOff) || !Array.isArray(t.workingDays))
        throw { forbidden: 'catalog.badTransfer@transfers.' + i };
      // A transfer of days off is made by the government's decree: without its reference, refused.
      if (typeof t.source !== 'string' || t.source.replace(/\s/g, '') === '')
        throw { forbidden: 'catalog.transferSource@transfers.' + i };
      list = t.daysOff.concat(t.workingDays);
      for (k = 0; k < list.length; k++)
        if (typeof list[k] !== 'string' || !DATE.test(list[k]))
          throw { forbidden: 'catalog.badTransfer@transfers.' + i };
    }
    return;
  }

  // An office profile.
  if (typeof data.code !== 'string' || !/^[A-Z0-9]{2,16}$/.test(data.code) || id !== 'office:' + data.code)
    throw { forbidden: 'catalog.badId' };
  if (rules.regions.indexOf(data.region) === -1) throw { forbidden: 'catalog.badOffice@region' };
  if (!Array.isArray(data.providers) || data.providers.length === 0) throw { forbidden: 'catalog.badOffice@providers' };
  for (i = 0; i < data.providers.length; i++)
    if (typeof data.providers[i] !== 'string' || !ID.test(data.providers[i]))
      throw { forbidden: 'catalog.badOffice@providers' };
  if (!Array.isArray(data.channels) || data.channels.length === 0) throw { forbidden: 'catalog.badOffice@channels' };
  for (i = 0; i < data.channels.length; i++)
    if (rules.channels.indexOf(data.channels[i]) === -1) throw { forbidden: 'catalog.badOffice@channels' };
  t = data.hours;
  if (
    t === null ||
    typeof t !== 'object' ||
    !Array.isArray(t.days) ||
    t.days.length === 0 ||
    typeof t.open !== 'string' ||
    typeof t.close !== 'string' ||
    !HHMM.test(t.open) ||
    !HHMM.test(t.close) ||
    t.open >= t.close
  )
    throw { forbidden: 'catalog.badOffice@hours' };
  /* eslint-enable no-var, @typescript-eslint/only-throw-error, @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call */
}
