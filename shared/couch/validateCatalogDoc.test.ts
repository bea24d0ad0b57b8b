/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access -- the test edits documents freely, as a client could */
import { parse } from 'acorn';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { CatalogDoc } from '../catalogue/docs';
import { seedDocs } from '../catalogue/seed';
import { validateCatalogDocSource } from './design';
import type { UserCtx } from './validateDocUpdate';

type Validate = (n: unknown, o: unknown, u: UserCtx, s: unknown) => void;
const source = validateCatalogDocSource();
// Exactly the text CouchDB gets, evaluated as a function expression.
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const validate = (new Function(`return (${source});`) as () => Validate)();

/** The same text in another realm, fed documents made there: as CouchDB's engine sees them. */
const realm = vm.createContext({});
const realmValidate = vm.runInContext(`(${source})`, realm) as Validate;
const inRealm = (value: unknown): unknown =>
  vm.runInContext(`JSON.parse(${JSON.stringify(JSON.stringify(value))})`, realm);

const admin: UserCtx = { db: 'catalog', name: 'cat1', roles: ['catalog_admin', 'office:ALM01'] };
const server: UserCtx = { db: 'catalog', name: null, roles: ['_admin'] };
const clerk: UserCtx = { db: 'catalog', name: 'aigerim', roles: ['clerk', 'office:ALM01'] };

function reason(doc: unknown, user: UserCtx = admin, old: unknown = null): string | null {
  try {
    validate(doc, old, user, null);
    return null;
  } catch (e) {
    return (e as { forbidden: string }).forbidden;
  }
}

const seeds = seedDocs();
const byAdmin = <T extends CatalogDoc>(d: T): T => ({ ...d, updated: { by: 'cat1', at: '2026-11-30T10:00:00+05:00' } });
const service = byAdmin(seeds.find((d) => d._id === 'service:fl-permit-almaty:1.1') ?? seeds[0]!);
const calendar = byAdmin(seeds.find((d) => d._id === 'calendar:2026')!);
const office = {
  _id: 'office:ALM01',
  type: 'office',
  data: {
    code: 'ALM01',
    names: { kk: 'Алмалы аудандық бөлімі', ru: 'Алмалинский районный отдел' },
    region: 'almaty_city',
    providers: ['almaty-uzsp', 'almaty-uzsp-district'],
    channels: ['provider_office', 'con'],
    hours: { days: [1, 2, 3, 4, 5], open: '09:00', close: '18:00', lunch: { from: '13:00', to: '14:00' } },
  },
  updated: { by: 'cat1', at: '2026-11-30T10:00:00+05:00' },
};
/** A copy with one change at a path inside `data`. */
function withData(doc: { data: unknown }, change: (data: Record<string, any>) => void): unknown {
  const copy = JSON.parse(JSON.stringify(doc)) as { data: Record<string, any> };
  change(copy.data);
  return copy;
}

describe('the catalogue validator (validate_doc_update of `catalog`)', () => {
  it('is plain ES5', () => {
    expect(() => parse(`(${source})`, { ecmaVersion: 5 })).not.toThrow();
  });

  it('takes every shipped service version and calendar year from a server admin (provisioning seeds them)', () => {
    for (const d of seeds) expect(reason(d, server), d._id).toBeNull();
  });

  it('takes a service, a calendar year and an office profile from a catalogue administrator, as author', () => {
    expect(reason(service)).toBeNull();
    expect(reason(calendar)).toBeNull();
    expect(reason(office)).toBeNull();
    // Recorded as someone else: refused.
    expect(reason({ ...office, updated: { by: 'bolat', at: 'x' } })).toBe('catalog.authorMismatch');
    expect(reason({ ...office, updated: null })).toBe('catalog.badAuthor');
  });

  it('lets nobody else write, and only server admins touch design documents', () => {
    expect(reason(office, clerk)).toBe('catalog.adminOnly');
    expect(reason(office, { ...clerk, roles: ['office_admin', 'office:ALM01'] })).toBe('catalog.adminOnly');
    expect(reason({ _id: '_design/kense' }, admin)).toBe('doc.designAdminOnly');
    expect(reason({ _id: '_design/kense' }, server)).toBeNull();
  });

  it('lets an administrator delete a revision (how a conflict is resolved), nobody else', () => {
    expect(reason({ _id: office._id, _deleted: true }, admin, office)).toBeNull();
    expect(reason({ _id: office._id, _deleted: true }, clerk, office)).toBe('catalog.adminOnly');
  });

  it('refuses a document filed under another id than its data gives', () => {
    expect(reason({ ...service, _id: 'service:fl-permit-almaty:9' })).toBe('catalog.badId');
    expect(reason({ ...calendar, _id: 'calendar:2030' })).toBe('catalog.badId');
    expect(reason({ ...office, _id: 'office:KZO01' })).toBe('catalog.badId');
    expect(reason({ ...office, type: 'note' })).toBe('catalog.badType');
    expect(reason({ ...office, data: [] })).toBe('catalog.badData');
  });

  it('refuses a malformed service version with the reason and where', () => {
    expect(reason(withData(service, (d) => (d['validTo'] = '2014-01-01')))).toBe('catalog.badDate@validTo');
    expect(reason(withData(service, (d) => (d['names'] = { kk: ' ', ru: 'x' })))).toBe('catalog.badText@names.kk');
    expect(reason(withData(service, (d) => (d['region'] = 'atlantis')))).toBe('catalog.badField@region');
    expect(reason(withData(service, (d) => (d['variants'] = [])))).toBe('catalog.badVariant@variants');
    expect(reason(withData(service, (d) => (d['variants'][0].deadline = { value: 41, unit: 'weeks' })))).toBe(
      'catalog.badNorm@variants.0.deadline',
    );
    expect(reason(withData(service, (d) => (d['variants'][1].steps[2].actor = 'minister')))).toBe(
      'catalog.badStep@variants.1.steps.2',
    );
    expect(reason(withData(service, (d) => (d['variants'][0].steps[3].norm = { value: -1, unit: 'hours' })))).toBe(
      'catalog.badNorm@variants.0.steps.3.norm',
    );
  });

  it('refuses a calendar year with a day of another year or a transfer without the decree', () => {
    expect(reason(withData(calendar, (d) => (d['holidays'][0].date = '2025-01-01')))).toBe(
      'catalog.badHoliday@holidays.0',
    );
    expect(
      reason(withData(calendar, (d) => (d['transfers'] = [{ daysOff: ['2026-01-05'], workingDays: [], source: ' ' }]))),
    ).toBe('catalog.transferSource@transfers.0');
    expect(
      reason(withData(calendar, (d) => (d['transfers'] = [{ daysOff: ['5.1.2026'], workingDays: [], source: 'x' }]))),
    ).toBe('catalog.badTransfer@transfers.0');
  });

  it('refuses an office profile without providers or with impossible hours', () => {
    expect(reason(withData(office, (d) => (d['providers'] = [])))).toBe('catalog.badOffice@providers');
    expect(reason(withData(office, (d) => (d['hours'].close = '08:00')))).toBe('catalog.badOffice@hours');
    expect(reason(withData(office, (d) => (d['channels'] = ['telegram'])))).toBe('catalog.badOffice@channels');
  });

  it('reads documents from another realm as CouchDB hands them over (arrays are arrays)', () => {
    const run = (doc: unknown, user: UserCtx): string | null => {
      try {
        realmValidate(inRealm(doc), null, inRealm(user) as UserCtx, null);
        return null;
      } catch (e) {
        return (e as { forbidden: string }).forbidden;
      }
    };
    expect(run(service, admin)).toBeNull();
    expect(run(calendar, admin)).toBeNull();
    expect(run(office, admin)).toBeNull();
    expect(
      run(
        withData(office, (d) => (d['providers'] = [])),
        admin,
      ),
    ).toBe('catalog.badOffice@providers');
    expect(run(office, clerk)).toBe('catalog.adminOnly');
  });
});
