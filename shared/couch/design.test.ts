import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';
import { CATALOG_VALIDATE_SOURCE, HUB_ROLE, officeSecurity, validateDocUpdateSource } from './design';
import type { UserCtx, ValidationRules } from './validateDocUpdate';

const rules: ValidationRules = { kinds: { registered: ['clerk'], resolution: ['head'] } };
type Validate = (n: Record<string, unknown>, o: Record<string, unknown> | null, u: UserCtx, s: unknown) => void;
// Evaluate exactly the text CouchDB will get.
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const makeValidate = new Function(`return (${validateDocUpdateSource(rules)});`) as () => Validate;
const couchValidate = makeValidate();

const event = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  _id: 'evt:A1:0000000001-0000:D1',
  type: 'event',
  v: 1,
  appId: 'A1',
  hlc: '0000000001-0000',
  device: 'D1',
  kind: 'registered',
  office: 'ALM01',
  at: '2026-03-09T15:05:00+05:00',
  actor: { login: 'aigerim', role: 'clerk' },
  payload: {},
  ...over,
});
const clerk: UserCtx = { db: 'office_alm01', name: 'aigerim', roles: ['clerk', 'office:ALM01'] };

function reason(
  doc: Record<string, unknown>,
  old: Record<string, unknown> | null = null,
  user: UserCtx = clerk,
): string | null {
  try {
    couchValidate(doc, old, user, officeSecurity('ALM01'));
    return null;
  } catch (e) {
    return (e as { forbidden: string }).forbidden;
  }
}

describe('validate_doc_update', () => {
  it('is plain ES5, as older CouchDB engines require', () => {
    expect(() => parse(`(${validateDocUpdateSource(rules)})`, { ecmaVersion: 5 })).not.toThrow();
    expect(() => parse(`(${CATALOG_VALIDATE_SOURCE})`, { ecmaVersion: 5 })).not.toThrow();
  });

  it('accepts a well-formed event by its own author', () => {
    expect(reason(event())).toBeNull();
  });

  it('refuses edits and deletions of events', () => {
    expect(reason(event({ payload: { x: 1 } }), event())).toBe('event.immutable');
    expect(reason(event({ _deleted: true }), event())).toBe('event.deleteForbidden');
  });

  it('refuses forged actors, roles the user lacks, and other offices', () => {
    expect(reason(event({ actor: { login: 'someone', role: 'clerk' } }))).toBe('event.actorMismatch');
    expect(reason(event({ kind: 'resolution', actor: { login: 'aigerim', role: 'head' } }))).toBe('event.roleNotHeld');
    expect(reason(event({ kind: 'resolution' }))).toBe('event.roleNotAllowed');
    expect(reason(event({ office: 'KZO01' }))).toBe('event.wrongOffice');
    expect(reason(event(), null, { ...clerk, roles: ['clerk', 'office:KZO01'] })).toBe('event.notOfficeStaff');
  });

  it('refuses unknown kinds, malformed ids and other document types', () => {
    expect(reason(event({ kind: 'hacked' }))).toBe('event.unknownKind');
    expect(reason(event({ _id: 'evt:A2:0000000001-0000:D1' }))).toBe('event.badId');
    expect(reason(event({ type: 'note' }))).toBe('doc.unknownType');
    expect(reason(event({ actor: null }))).toBe('event.badActor');
    expect(reason({ _id: '_design/x' })).toBe('doc.designAdminOnly');
  });

  it('lets a server admin (replication jobs, provisioning) write any valid event', () => {
    const admin: UserCtx = { db: 'office_alm01', name: null, roles: ['_admin'] };
    expect(reason(event({ actor: { login: 'someone', role: 'clerk' } }), null, admin)).toBeNull();
    expect(reason(event({ kind: 'resolution' }), null, admin)).toBe('event.roleNotAllowed');
  });

  it('lets only the server admin write the staff directory', () => {
    const admin: UserCtx = { db: 'office_alm01', name: null, roles: ['_admin'] };
    const hub: UserCtx = { db: 'office_alm01', name: 'hub-alm01', roles: [HUB_ROLE, 'office:ALM01'] };
    const entry = { _id: 'staff:dana', type: 'staff', v: 1, office: 'ALM01', login: 'dana', fullName: 'Омарова Дана' };
    expect(reason(entry, null, admin)).toBeNull();
    expect(reason(entry)).toBe('staff.adminOnly');
    expect(reason(entry, null, hub)).toBe('staff.adminOnly');
    expect(reason({ ...entry, active: false }, entry, { ...clerk, roles: ['office_admin', 'office:ALM01'] })).toBe(
      'staff.adminOnly',
    );
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
    expect(reason(event({ _deleted: true }), event(), hub)).toBe('event.deleteForbidden');
    expect(reason(event({ chain: { seq: 2, prev: null } }), null, hub)).toBe('event.badChain');
    expect(reason(event({ office: 'KZO01' }), null, hub)).toBe('event.wrongOffice');
    expect(reason({ _id: '_design/kense' }, null, hub)).toBe('doc.designAdminOnly');
    // Another office's hub, or the role without an office, relays nothing here.
    expect(reason(event(), null, { ...hub, roles: [HUB_ROLE, 'office:KZO01'] })).toBe('event.notOfficeStaff');
    expect(reason(event(), null, { ...hub, roles: [HUB_ROLE] })).toBe('event.notOfficeStaff');
  });
});
