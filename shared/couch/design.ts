import { validateOfficeDoc, type ValidationRules } from './validateDocUpdate';

/** CouchDB role naming: staff roles as they are, office membership as `office:<CODE>`. */
export const officeRole = (office: string): string => `office:${office}`;
export const officeDbName = (office: string): string => `office_${office.toLowerCase()}`;
export const CATALOG_DB = 'catalog';
export const DESIGN_DOC_ID = '_design/kense';
export const STAFF_ROLES = [
  'clerk',
  'head',
  'executor',
  'commission',
  'office_admin',
  'catalog_admin',
  'supervisor',
] as const;

export interface SecurityObject {
  admins: { names: string[]; roles: string[] };
  members: { names: string[]; roles: string[] };
}

/** An office database is open to that office's staff (and supervisors); nobody else, not anonymous. */
export function officeSecurity(office: string): SecurityObject {
  return {
    admins: { names: [], roles: ['_admin'] },
    members: { names: [], roles: [officeRole(office), 'supervisor'] },
  };
}

/** The catalogue is read by all staff and written by catalogue administrators (via validation). */
export function catalogSecurity(): SecurityObject {
  return {
    admins: { names: [], roles: ['_admin'] },
    members: { names: [], roles: [...STAFF_ROLES] },
  };
}

/** The source text CouchDB evaluates: the shared validator with the rules inlined as JSON. */
export function validateDocUpdateSource(rules: ValidationRules): string {
  const body = validateOfficeDoc.toString();
  // A build tool that injects helpers into the function would ship a validator that throws
  // ReferenceError on the server; refuse to produce it instead.
  if (/__name|__defProp|__require|_interop/.test(body)) {
    throw new Error('validateOfficeDoc was transformed by the build tool; its source cannot go into CouchDB as is');
  }
  return [
    'function (newDoc, oldDoc, userCtx, secObj) {',
    `  var rules = ${JSON.stringify(rules)};`,
    `  var validate = ${body};`,
    '  validate(newDoc, oldDoc, userCtx, secObj, rules);',
    '}',
  ].join('\n');
}

export const CATALOG_VALIDATE_SOURCE = [
  'function (newDoc, oldDoc, userCtx) {',
  "  if (userCtx.roles.indexOf('_admin') !== -1 || userCtx.roles.indexOf('catalog_admin') !== -1) return;",
  "  throw { forbidden: 'catalog.adminOnly' };",
  '}',
].join('\n');

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
    validate_doc_update: CATALOG_VALIDATE_SOURCE,
    kense_version: version,
  };
}
