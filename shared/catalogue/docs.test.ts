import { describe, expect, it } from 'vitest';
import { CON_HOURS, PROVIDER_HOURS } from '../calendar';
import {
  buildCatalogState,
  bundledCatalogue,
  currentCatalogue,
  currentVersion,
  offeredService,
  parseCatalogDoc,
  seedCatalogState,
  seedDocs,
  seedRevision,
  versionStatus,
  type OfficeProfile,
  type ServiceDefinition,
} from './index';

const seeds = seedDocs();
const almatyPermit = seeds.find((d) => d._id === 'service:fl-permit-almaty:1.1');

describe('catalogue documents', () => {
  it('seeds every bundled service version and calendar year under its own id', () => {
    expect(seeds.filter((d) => d.type === 'service')).toHaveLength(31);
    expect(seeds.filter((d) => d.type === 'calendar').map((d) => d._id)).toEqual([
      'calendar:2024',
      'calendar:2025',
      'calendar:2026',
      'calendar:2027',
    ]);
    for (const d of seeds) expect(parseCatalogDoc(d).ok, d._id).toBe(true);
  });

  it('shows the seed taken as it is exactly as the schema reads it (no default the schema fills is missing)', () => {
    const checked = buildCatalogState(seeds);
    const taken = seedCatalogState();
    expect(checked.invalid).toEqual([]);
    expect(taken.catalogue.services).toEqual(checked.catalogue.services);
    expect(taken.calendar).toEqual(checked.calendar);
    expect([...taken.docs.entries()]).toEqual([...checked.docs.entries()]);
  });

  it('gives a seed document a revision from its content alone: the same on every desk and on central', () => {
    const a = seedDocs().map(seedRevision);
    const b = seeds.map(seedRevision);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(a.length);
    for (const r of a) expect(r).toMatch(/^1-[0-9a-f]{32}$/);
    // Any change of content is another revision: a shipped version must never change.
    const changed = { ...seeds[0]!, updated: { ...seeds[0]!.updated, by: 'someone' } };
    expect(seedRevision(changed)).not.toBe(seedRevision(seeds[0]!));
  });

  it('refuses a document whose data fails the schema or sits under another id, naming the field', () => {
    const bad = JSON.parse(JSON.stringify(almatyPermit)) as { data: { variants: { deadline: unknown }[] } };
    bad.data.variants[0]!.deadline = { value: 41, unit: 'weeks' };
    const r = parseCatalogDoc(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.path).toEqual(['data', 'variants', 0, 'deadline', 'unit']);
    const moved = parseCatalogDoc({ ...almatyPermit, _id: 'service:fl-permit-almaty:2' });
    expect(moved.ok).toBe(false);
    if (!moved.ok) expect(moved.issues[0]).toMatchObject({ path: ['_id'], params: { code: 'idMismatch' } });
    expect(parseCatalogDoc({ ...almatyPermit, extra: 1 }).ok).toBe(false);
  });

  it('builds what a desk uses, leaving out (and reporting) an invalid document, listing conflicts', () => {
    const broken = {
      _id: 'calendar:2028',
      type: 'calendar',
      data: { year: 2028, holidays: 'none' },
      updated: seeds[0]!.updated,
    };
    const state = buildCatalogState([
      ...seeds.map((d) => (d._id === 'calendar:2026' ? { ...d, _rev: '2-b', _conflicts: ['2-a'] } : d)),
      broken,
      { _id: 'office:X1', _deleted: true },
      { _id: '_design/kense', validate_doc_update: 'function () {}' },
    ]);
    expect(state.catalogue.services).toHaveLength(31);
    expect(Object.keys(state.calendar.years).map(Number)).toEqual([2024, 2025, 2026, 2027]);
    expect(state.invalid.map((i) => i.id)).toEqual(['calendar:2028']);
    expect(state.conflicts).toEqual([{ id: 'calendar:2026', rev: '2-b', losers: ['2-a'] }]);
    expect(state.catalogue.get('fl-permit-almaty')?.version).toBe('1.2');
    expect(state.catalogue.get('fl-permit-almaty', '1')?.version).toBe('1');
  });
});

describe('which version applies', () => {
  const base = bundledCatalogue().get('almaty-disabled-wheelchair', '1') as ServiceDefinition;
  const v = (version: string, validFrom: string, validTo: string | null): ServiceDefinition => ({
    ...base,
    version,
    validFrom,
    validTo,
  });

  it('in force between validFrom and validTo, both days included', () => {
    const s = v('2', '2027-01-01', '2027-12-31');
    expect(versionStatus(s, '2026-12-31')).toBe('planned');
    expect(versionStatus(s, '2027-01-01')).toBe('in_force');
    expect(versionStatus(s, '2027-12-31')).toBe('in_force');
    expect(versionStatus(s, '2028-01-01')).toBe('repealed');
  });

  it('a new application gets the version in force; a published successor takes over on its validFrom', () => {
    const old = v('1', '2014-04-11', null);
    const next = v('2', '2027-01-01', null);
    expect(currentVersion([old, next], '2026-12-31')).toEqual({ service: old, status: 'in_force' });
    expect(currentVersion([old, next], '2027-01-01')).toEqual({ service: next, status: 'in_force' });
    // Every version repealed: the last one, said to be repealed (Reception warns); none started: none.
    const repealed = v('1', '2014-04-11', '2015-09-09');
    expect(currentVersion([repealed], '2026-11-30')).toEqual({ service: repealed, status: 'repealed' });
    expect(currentVersion([next], '2026-11-30')).toBeNull();
  });
});

describe('an office offers what its providers give, through the channels it serves', () => {
  const catalogue = bundledCatalogue();
  const almaty: OfficeProfile = {
    code: 'ALM01',
    names: { kk: 'Алмалы', ru: 'Алмалы' },
    region: 'almaty_city',
    providers: ['almaty-uzsp', 'almaty-uzsp-district'],
    channels: ['provider_office', 'portal'],
    hours: PROVIDER_HOURS,
  };

  it('the Almaty office no longer offers the Kyzylorda permit', () => {
    const offered = currentCatalogue(catalogue, '2026-11-30', (s) => offeredService(almaty, s));
    const ids = offered.services.map((s) => s.id);
    expect(ids).toContain('fl-permit-almaty');
    expect(ids).not.toContain('fl-permit-kyzylorda');
    expect(ids).not.toContain('labour-immigrant-permit-mvd');
    expect(offered.get('fl-permit-almaty')?.provider.ru).toMatch(/Алматы/);
    // Older versions stay reachable for applications registered under them.
    expect(offered.get('fl-permit-kyzylorda', '1')?.id).toBe('fl-permit-kyzylorda');
    expect(offered.status('fl-permit-almaty')).toBe('repealed');
  });

  it('a ЦОН (Mon–Sat 9–20, no lunch) takes only the variants with a ЦОН channel, and only that channel', () => {
    const con: OfficeProfile = { ...almaty, code: 'CON01', channels: ['con'], hours: CON_HOURS };
    const child = offeredService(con, catalogue.get('almaty-child-allowance') as ServiceDefinition);
    expect(child?.variants.map((v) => v.channels)).toEqual([['con']]);
    expect(offeredService(con, catalogue.get('almaty-disabled-wheelchair') as ServiceDefinition)).toBeNull();
  });
});
