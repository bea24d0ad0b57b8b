import { parse } from 'acorn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, loadEngines, reasonOf, type CouchEngine, type EngineName } from '../../tests/support/couchEngines';
import { seedDocs } from '../catalogue/seed';
import { contentDigest, contentEventId, legacyEventId } from '../events';
import {
  HUB_ROLE,
  catalogDesignDocument,
  officeDesignDocument,
  officeSecurity,
  validateCatalogDocSource,
  validateDocUpdateSource,
} from './design';
import type { UserCtx, ValidationRules } from './validateDocUpdate';

const rules: ValidationRules = { kinds: { registered: ['clerk'], resolution: ['head'], signed: ['head'] } };
// Exactly the text CouchDB gets: the deployed design document's source.
const source = officeDesignDocument(rules, 'test').validate_doc_update;
const catalogSource = catalogDesignDocument('test').validate_doc_update;

/** An event whose id carries the digest of its content (unless the test gives another id). */
const event = (over: Record<string, unknown> = {}): Record<string, unknown> => {
  const doc: Record<string, unknown> = {
    type: 'event',
    v: 1,
    appId: 'A1',
    hlc: '000000000000001-0000',
    device: 'D1',
    kind: 'registered',
    office: 'ALM01',
    at: '2026-03-09T15:05:00+05:00',
    actor: { login: 'aigerim', role: 'clerk' },
    payload: {},
    ...over,
  };
  return { _id: contentEventId(doc as Parameters<typeof contentEventId>[0]), ...doc, ...over };
};
const clerk: UserCtx = { db: 'office_alm01', name: 'aigerim', roles: ['clerk', 'office:ALM01'] };
const head: UserCtx = { db: 'office_alm01', name: 'bolat', roles: ['head', 'office:ALM01'] };
const admin: UserCtx = { db: 'office_alm01', name: null, roles: ['_admin'] };
const staffEntry = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  _id: 'staff:dana',
  type: 'staff',
  v: 1,
  office: 'ALM01',
  login: 'dana',
  fullName: 'Дана Омарова',
  roles: ['executor'],
  active: true,
  updatedAt: '2026-03-09T10:00:00.000Z',
  ...over,
});
const escrow = (over: Record<string, unknown> = {}): Record<string, unknown> => {
  const doc: Record<string, unknown> = {
    type: 'desk_key',
    v: 1,
    office: 'ALM01',
    desk: 'D01',
    secret: 'A'.repeat(43),
    by: 'aigerim',
    at: '2026-03-09T10:00:00.000Z',
    ...over,
  };
  return { _id: `deskkey:D01:${contentDigest(doc)}`, ...doc };
};

let engines: CouchEngine[] = [];
beforeAll(async () => {
  engines = await loadEngines();
});
afterAll(() => engines.forEach((e) => e.dispose()));
const engine = (name: EngineName): CouchEngine => engines.find((e) => e.name === name) as CouchEngine;

describe('validate_doc_update source', () => {
  it('is plain ES5, as older CouchDB engines require', () => {
    expect(() => parse(`(${validateDocUpdateSource(rules)})`, { ecmaVersion: 5 })).not.toThrow();
    expect(() => parse(`(${validateCatalogDocSource()})`, { ecmaVersion: 5 })).not.toThrow();
    // Nothing that differs between realms or that CouchDB's QuickJS sandbox lacks.
    expect(source).not.toMatch(/instanceof|Uint32Array|Int32Array|DataView|TextEncoder|crypto|JSON\.stringify/);
  });
});

describe.each(ENGINES)('validate_doc_update, evaluated %s', (mode) => {
  const reason = (
    doc: Record<string, unknown>,
    old: Record<string, unknown> | null = null,
    user: UserCtx = clerk,
    sec: unknown = officeSecurity('ALM01'),
    src: string = source,
  ): string | null => reasonOf(engine(mode).validate(src, doc, old, user, sec));

  it('accepts a well-formed event by its own author', () => {
    expect(reason(event())).toBeNull();
  });

  it('refuses edits and deletions of events', () => {
    expect(reason(event({ payload: { x: 1 } }), event())).toBe('event.immutable');
    expect(reason({ ...event(), _deleted: true }, event())).toBe('event.deleteForbidden');
  });

  it('refuses forged actors, roles the user lacks, and other offices', () => {
    expect(reason(event({ actor: { login: 'someone', role: 'clerk' } }))).toBe('event.actorMismatch');
    expect(reason(event({ kind: 'resolution', actor: { login: 'aigerim', role: 'head' } }))).toBe('event.roleNotHeld');
    expect(reason(event({ kind: 'resolution' }))).toBe('event.roleNotAllowed');
    expect(reason(event({ office: 'KZO01' }))).toBe('event.wrongOffice');
    expect(reason(event(), null, { ...clerk, roles: ['clerk', 'office:KZO01'] })).toBe('event.notOfficeStaff');
  });

  it("checks the database's _security office with the other realm's array (finding 1)", () => {
    // The development stand-in and replicated writes give no userCtx.db: _security alone tells.
    const noDb = { ...clerk, db: undefined } as unknown as UserCtx;
    const kzo = event({ office: 'KZO01' });
    expect(reason(kzo, null, { ...noDb, roles: ['clerk', 'office:KZO01'] })).toBe('event.wrongOffice');
    expect(reason(kzo, null, { ...noDb, roles: ['clerk', 'office:KZO01'] }, officeSecurity('KZO01'))).toBeNull();
  });

  it('refuses unknown kinds, malformed ids and other document types', () => {
    expect(reason(event({ kind: 'hacked' }))).toBe('event.unknownKind');
    expect(reason({ ...event(), _id: event({ appId: 'A2' })['_id'] })).toBe('event.badId');
    expect(reason({ ...event(), _id: 'evt:A1:x' })).toBe('event.badId');
    expect(reason(event({ type: 'note' }))).toBe('doc.unknownType');
    expect(reason(event({ actor: null }))).toBe('event.badActor');
    expect(reason({ _id: '_design/x' })).toBe('doc.designAdminOnly');
  });

  it('refuses a revision whose content is not the one its id names (finding 2)', () => {
    // The head's signed event, and a clerk's document under its id sent with new_edits: false as a
    // new branch: CouchDB 3 hands the validator no oldDoc for it.
    const signed = event({ kind: 'signed', actor: { login: 'bolat', role: 'head' }, payload: { stepId: 's9' } });
    expect(reason(signed, null, head)).toBeNull();
    const forged = { ...event(), _id: signed['_id'], _revisions: { start: 1, ids: ['f'.repeat(32)] } };
    expect(reason(forged, null, clerk)).toBe('event.contentMismatch');
    // Not even a server admin or the office hub may put other content under it.
    expect(reason(forged, null, admin)).toBe('event.contentMismatch');
    expect(reason(forged, null, { ...clerk, roles: [HUB_ROLE, 'office:ALM01'] })).toBe('event.contentMismatch');
    // Any changed member, however small: the chain link, the payload, the time.
    expect(reason({ ...signed, at: '2026-03-09T15:06:00+05:00' }, null, head)).toBe('event.contentMismatch');
    expect(reason({ ...signed, payload: { stepId: 's9', note: 'x' } }, null, head)).toBe('event.contentMismatch');
    expect(reason({ ...signed, chain: { seq: 1, prev: null } }, null, head)).toBe('event.contentMismatch');
    // The same content again (a second branch of the identical event) changes nothing and passes.
    expect(reason({ ...signed, _rev: '1-' + 'e'.repeat(32) }, null, head)).toBeNull();
  });

  it('takes the legacy id form (no digest) from a server admin only', () => {
    const old = event();
    const legacy = { ...old, _id: legacyEventId('A1', '000000000000001-0000', 'D1') };
    expect(reason(legacy)).toBe('event.legacyId');
    expect(reason(legacy, null, { ...clerk, roles: [HUB_ROLE, 'office:ALM01'] })).toBe('event.legacyId');
    expect(reason(legacy, null, admin)).toBeNull();
  });

  it('lets a server admin (replication jobs, provisioning) write any valid event', () => {
    expect(reason(event({ actor: { login: 'someone', role: 'clerk' } }), null, admin)).toBeNull();
    expect(reason(event({ kind: 'resolution' }), null, admin)).toBe('event.roleNotAllowed');
  });

  it("lets an office hub's account relay its own office's events by others, and nothing more", () => {
    const hub: UserCtx = { db: 'office_alm01', name: 'hub-alm01', roles: [HUB_ROLE, 'office:ALM01'] };
    const byHead = event({ kind: 'resolution', actor: { login: 'bolat', role: 'head' } });
    expect(reason(event(), null, hub)).toBeNull();
    expect(reason(byHead, null, hub)).toBeNull();
    // Still checked: the kind, the actor's role for it, immutability, the office, the chain, design docs.
    expect(reason(event({ kind: 'hacked' }), null, hub)).toBe('event.unknownKind');
    expect(reason(event({ kind: 'resolution' }), null, hub)).toBe('event.roleNotAllowed');
    expect(reason(event({ payload: { x: 1 } }), event(), hub)).toBe('event.immutable');
    expect(reason({ ...event(), _deleted: true }, event(), hub)).toBe('event.deleteForbidden');
    expect(reason(event({ chain: { seq: 2, prev: null } }), null, hub)).toBe('event.badChain');
    expect(reason(event({ chain: [1] }), null, hub)).toBe('event.badChain');
    expect(reason(event({ office: 'KZO01' }), null, hub)).toBe('event.wrongOffice');
    expect(reason({ _id: '_design/kense' }, null, hub)).toBe('doc.designAdminOnly');
    // Another office's hub, or the role without an office, relays nothing here.
    expect(reason(event(), null, { ...hub, roles: [HUB_ROLE, 'office:KZO01'] })).toBe('event.notOfficeStaff');
    expect(reason(event(), null, { ...hub, roles: [HUB_ROLE] })).toBe('event.notOfficeStaff');
  });

  it('takes staff directory entries from server admins only, in their shape, for this office', () => {
    expect(reason(staffEntry(), null, admin)).toBeNull();
    expect(reason(staffEntry({ roles: ['executor', 'head'], active: false }), staffEntry(), admin)).toBeNull();
    expect(reason({ ...staffEntry(), _deleted: true }, staffEntry(), admin)).toBeNull();
    expect(reason(staffEntry(), null, clerk)).toBe('staff.adminOnly');
    expect(reason(staffEntry(), null, { ...clerk, roles: ['office_admin', 'office:ALM01'] })).toBe('staff.adminOnly');
    expect(reason(staffEntry(), null, { ...clerk, roles: [HUB_ROLE, 'office:ALM01'] })).toBe('staff.adminOnly');
    expect(reason({ ...staffEntry(), _deleted: true }, staffEntry(), clerk)).toBe('staff.adminOnly');
    for (const bad of [
      { type: 'event' },
      { v: 2 },
      { login: 'bolat' },
      { login: 'Dana!', _id: 'staff:Dana!' },
      { fullName: 7 },
      { fullName: 'x'.repeat(201) },
      { roles: ['office_admin'] },
      { roles: 'executor' },
      { roles: ['clerk', 'head', 'executor', 'commission', 'clerk'] },
      { active: 'yes' },
      { updatedAt: 5 },
      { password: 'x' },
      { office: 'alm01' },
    ])
      expect(reason(staffEntry(bad), null, admin), JSON.stringify(bad)).toBe('staff.badEntry');
    expect(reason(staffEntry({ office: 'KZO01' }), null, admin)).toBe('staff.wrongOffice');
  });

  it("takes a desk's key escrow once, from a colleague of the office, with content fixing its id", () => {
    expect(reason(escrow())).toBeNull();
    expect(reason(escrow(), escrow())).toBe('event.immutable');
    expect(reason({ ...escrow(), _deleted: true }, escrow())).toBe('event.deleteForbidden');
    // A colleague replacing the secret under the same id, as a new branch: refused.
    expect(reason({ ...escrow({ secret: 'B'.repeat(43) }), _id: escrow()['_id'] })).toBe('doc.contentMismatch');
    expect(reason(escrow({ by: 'bolat' }))).toBe('event.actorMismatch');
    expect(reason(escrow(), null, { ...clerk, roles: ['clerk', 'office:KZO01'] })).toBe('event.notOfficeStaff');
    expect(reason(escrow({ secret: 'short' }))).toBe('deskKey.badEntry');
    expect(reason(escrow({ extra: 1 }))).toBe('deskKey.badEntry');
    expect(reason({ ...escrow(), _id: `deskkey:D02:${contentDigest(escrow())}` })).toBe('deskKey.badEntry');
  });

  it('lets catalogue administrators alone write the catalogue', () => {
    // A real catalogue document (the first bundled service version), recorded by the writer 'c'.
    const doc = { ...seedDocs()[0]!, updated: { by: 'c', at: '2026-12-02T10:00:00+05:00' } };
    expect(reason(doc, null, { db: 'catalog', name: 'c', roles: ['catalog_admin'] }, null, catalogSource)).toBeNull();
    expect(reason(doc, null, { db: 'catalog', name: null, roles: ['_admin'] }, null, catalogSource)).toBeNull();
    expect(reason(doc, null, clerk, null, catalogSource)).toBe('catalog.adminOnly');
    expect(reason(doc, null, { db: 'catalog', name: 'c', roles: [] }, null, catalogSource)).toBe('catalog.adminOnly');
  });
});
