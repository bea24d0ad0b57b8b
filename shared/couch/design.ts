import { STAFF_ROLES, WORK_ROLES } from '../events/event';
import { EVENTS_BY_APP_MAP, REPORT_VIEWS, REPORTS_VALIDATE_SOURCE } from './reportViews';
import { OFFICE_VALIDATOR_LIB, validateOfficeDoc, type ValidationRules } from './validateDocUpdate';
import { validateUserDoc, type UserDocPolicy } from './validateUserDoc';
import { catalogValidationRules, validateCatalogDoc, type CatalogRules } from './validateCatalogDoc';

/** CouchDB role naming: staff roles as they are, office membership as `office:<CODE>`. */
export const officeRole = (office: string): string => `office:${office}`;
/**
 * An office hub's account on central: this role plus the office's own role (`office:<CODE>`). It
 * may write events of that office recorded by others (the hub relays them) and nothing else a
 * staff member could not; only a server admin grants it (it is not in GRANTABLE_ROLES). The
 * validator repeats the literal, as it may use no imports.
 */
export const HUB_ROLE = 'kense_hub';
export const officeDbName = (office: string): string => `office_${office.toLowerCase()}`;
export const CATALOG_DB = 'catalog';
export const DESIGN_DOC_ID = '_design/kense';

export interface SecurityObject {
  admins: { names: string[]; roles: string[] };
  members: { names: string[]; roles: string[] };
}

/**
 * An office database is open to that office's staff; nobody else, not anonymous. Not to
 * supervisors: CouchDB 3 has no per-view security, so a member could read every document, and
 * with it citizens' personal data. Supervisors read their offices' reports databases instead.
 */
export function officeSecurity(office: string): SecurityObject {
  return {
    admins: { names: [], roles: ['_admin'] },
    members: { names: [], roles: [officeRole(office)] },
  };
}

/**
 * Each office's reports database: report facts only (service, channel, dates, durations; no
 * applicant, no number), written by the central reports writer (server/central/reports) as the
 * server admin, read by supervisors of that office (`reports:<CODE>`) through its views.
 */
export const reportsDbName = (office: string): string => `reports_${office.toLowerCase()}`;
export const reportsRole = (office: string): string => `reports:${office}`;
export const REPORTS_DESIGN_DOC_ID = '_design/kense_reports';

export function reportsSecurity(office: string): SecurityObject {
  return {
    admins: { names: [], roles: ['_admin'] },
    members: { names: [], roles: [reportsRole(office)] },
  };
}

export interface ViewsDesignDocument {
  _id: string;
  language: 'javascript';
  views: Record<string, { map: string; reduce?: string }>;
  validate_doc_update?: string;
  kense_version: string;
}

/** The reports database's design document: the views and the read-only rule. */
export function reportsDesignDocument(version: string): ViewsDesignDocument {
  return {
    _id: REPORTS_DESIGN_DOC_ID,
    language: 'javascript',
    views: Object.fromEntries(Object.entries(REPORT_VIEWS).map(([name, v]) => [name, { ...v }])),
    validate_doc_update: REPORTS_VALIDATE_SOURCE,
    kense_version: version,
  };
}

/** In each office database, beside `_design/kense`: the events of an application, for the reports writer. */
export function officeReportsDesignDocument(version: string): ViewsDesignDocument {
  return {
    _id: REPORTS_DESIGN_DOC_ID,
    language: 'javascript',
    views: { by_app: { map: EVENTS_BY_APP_MAP } },
    kense_version: version,
  };
}

/** The catalogue is read by all staff and written by catalogue administrators (validateCatalogDoc.ts). */
export function catalogSecurity(): SecurityObject {
  return {
    admins: { names: [], roles: ['_admin'] },
    members: { names: [], roles: [...STAFF_ROLES] },
  };
}

/** A function's source as CouchDB will get it, refused if a build tool rewrote it with helpers. */
export function plainSource(fn: (...args: never[]) => unknown, name: string): string {
  const body = fn.toString();
  // A build tool that injects helpers into the function would ship a validator that throws
  // ReferenceError on the server; refuse to produce it instead.
  if (/__name|__defProp|__require|_interop|import_|\brequire\(/.test(body)) {
    throw new Error(`${name} was transformed by the build tool; its source cannot go into CouchDB as is`);
  }
  return body;
}

/**
 * A shared validator's source with its configuration inlined as JSON and its helpers (`lib`) by
 * their own source: the text CouchDB evaluates.
 */
function validatorSource(
  fn: (...args: never[]) => void,
  name: string,
  config: unknown,
  lib: Record<string, (...args: never[]) => unknown> = {},
): string {
  const helpers = Object.entries(lib).map(([key, helper]) => `    ${key}: ${plainSource(helper, key)}`);
  return [
    'function (newDoc, oldDoc, userCtx, secObj) {',
    `  var rules = ${JSON.stringify(config)};`,
    `  var lib = {\n${helpers.join(',\n')}\n  };`,
    `  var validate = ${plainSource(fn, name)};`,
    '  validate(newDoc, oldDoc, userCtx, secObj, rules, lib);',
    '}',
  ].join('\n');
}

/** The source text CouchDB evaluates: the shared validator with the rules inlined as JSON. */
export function validateDocUpdateSource(rules: ValidationRules): string {
  return validatorSource(validateOfficeDoc, 'validateOfficeDoc', rules, { ...OFFICE_VALIDATOR_LIB });
}

export const USERS_DB = '_users';
/** Next to CouchDB's own `_design/_auth`, never replacing it. */
export const USERS_DESIGN_DOC_ID = '_design/kense_staff';
/** What an office admin may grant: the work roles; the server admin grants the others. */
export const GRANTABLE_ROLES = WORK_ROLES;

export function validateUserDocSource(policy: UserDocPolicy): string {
  return validatorSource(validateUserDoc, 'validateUserDoc', policy);
}

/**
 * `_users`: administered by the server admin alone (and, for office admins, through the Kense
 * central service, which checks them and writes as the server admin: server/central). Its members
 * are every staff role and the hub role, so that each staff member reads and updates their own
 * document (CouchDB shows a non-admin only their own, and its `_auth` validator keeps roles to
 * admins): a password change from the desk, the full name at sign-in. Anonymous requests stay
 * out (no self-registration), and so does a deactivated account, which holds no role.
 */
export function usersSecurity(): SecurityObject {
  return {
    admins: { names: [], roles: [] },
    members: { names: [], roles: [...STAFF_ROLES, HUB_ROLE] },
  };
}

/**
 * An office hub's `_users`: a copy of the office's sign-in verifiers (server/hub/staffCopy.ts),
 * read and written by the hub's own admin only. Staff sign in there; they change their password on
 * central, whose copy reaches the hub at the next refresh.
 */
export function hubUsersSecurity(): SecurityObject {
  return {
    admins: { names: [], roles: [] },
    members: { names: [], roles: ['_admin'] },
  };
}

export function usersDesignDocument(reserved: string[], version: string): DesignDocument {
  return {
    _id: USERS_DESIGN_DOC_ID,
    language: 'javascript',
    validate_doc_update: validateUserDocSource({ grantable: [...GRANTABLE_ROLES], reserved }),
    kense_version: version,
  };
}

/** The catalogue's validator (validateCatalogDoc.ts) with the catalogue's enumerations inlined. */
export function validateCatalogDocSource(rules: CatalogRules = catalogValidationRules()): string {
  return validatorSource(validateCatalogDoc, 'validateCatalogDoc', rules);
}

export interface DesignDocument {
  _id: string;
  language: 'javascript';
  validate_doc_update: string;
  kense_version: string;
}

export function officeDesignDocument(rules: ValidationRules, version: string): DesignDocument {
  return {
    _id: DESIGN_DOC_ID,
    language: 'javascript',
    validate_doc_update: validateDocUpdateSource(rules),
    kense_version: version,
  };
}

export function catalogDesignDocument(version: string): DesignDocument {
  return {
    _id: DESIGN_DOC_ID,
    language: 'javascript',
    validate_doc_update: validateCatalogDocSource(),
    kense_version: version,
  };
}
