import { z } from 'zod';
import type { YearData } from '../calendar/data';
import { yearDataSchema } from '../calendar/schema';
import type { WorkCalendar } from '../calendar/workingTime';
import { compareVersions, type Catalogue } from './load';
import { officeProfileSchema, type OfficeProfile } from './office';
import { serviceSchema, type ServiceDefinition } from './schema';

/**
 * The documents of central's `catalog` database, which every desk pulls and keeps: a service
 * version (`service:<id>:<version>`), a calendar year (`calendar:<year>`) and an office profile
 * (`office:<CODE>`). Each is an envelope — type, the data, who last wrote it and when — around
 * the data the engine uses, validated by the same zod schemas on every desk before use (the
 * server's validator, shared/couch/validateCatalogDoc.ts, checks the essentials before storing).
 */
export const CATALOG_TYPES = ['service', 'calendar', 'office'] as const;
export type CatalogType = (typeof CATALOG_TYPES)[number];

export const serviceDocId = (id: string, version: string): string => `service:${id}:${version}`;
export const calendarDocId = (year: number): string => `calendar:${year}`;
export const officeDocId = (code: string): string => `office:${code}`;

export interface CatalogDocBase<T extends CatalogType, D> {
  _id: string;
  _rev?: string;
  type: T;
  data: D;
  /** Who wrote this revision (their login; the server checks it is them) and when (ISO time). */
  updated: { by: string; at: string };
}
export type ServiceDoc = CatalogDocBase<'service', ServiceDefinition>;
export type CalendarDoc = CatalogDocBase<'calendar', YearData>;
export type OfficeDoc = CatalogDocBase<'office', OfficeProfile>;
export type CatalogDoc = ServiceDoc | CalendarDoc | OfficeDoc;

const DATA_SCHEMAS = { service: serviceSchema, calendar: yearDataSchema, office: officeProfileSchema } as const;

/** CouchDB's own members of a document, ignored by the envelope. */
const envelopeSchema = z
  .object({
    _id: z.string(),
    _rev: z.string().optional(),
    _conflicts: z.array(z.string()).optional(),
    _deleted_conflicts: z.array(z.string()).optional(),
    _revisions: z.unknown().optional(),
    _revs_info: z.unknown().optional(),
    type: z.enum(CATALOG_TYPES),
    data: z.unknown(),
    updated: z.object({ by: z.string().min(1), at: z.string().min(1) }).strict(),
  })
  .strict();

/** The id a document's data gives it: a document filed under another id is refused. */
export function catalogDocId(type: CatalogType, data: unknown): string | null {
  const d = (data ?? {}) as Record<string, unknown>;
  if (type === 'service' && typeof d['id'] === 'string' && typeof d['version'] === 'string')
    return serviceDocId(d['id'], d['version']);
  if (type === 'calendar' && typeof d['year'] === 'number') return calendarDocId(d['year']);
  if (type === 'office' && typeof d['code'] === 'string') return officeDocId(d['code']);
  return null;
}

export type CatalogIssue = z.core.$ZodIssue;

export type ParsedCatalogDoc =
  { ok: true; doc: CatalogDoc } | { ok: false; id: string; type: CatalogType | null; issues: CatalogIssue[] };

const issue = (path: PropertyKey[], message: string, code: string): CatalogIssue => ({
  code: 'custom',
  path,
  message,
  params: { code },
  input: undefined,
});

/** Validates a catalogue document: the envelope, the data by its type's schema, and the id. */
export function parseCatalogDoc(raw: unknown): ParsedCatalogDoc {
  const id = typeof (raw as { _id?: unknown } | null)?._id === 'string' ? (raw as { _id: string })._id : '?';
  const env = envelopeSchema.safeParse(raw);
  if (!env.success) {
    const t = (raw as { type?: unknown } | null)?.type;
    const type = CATALOG_TYPES.find((x) => x === t) ?? null;
    return { ok: false, id, type, issues: env.error.issues };
  }
  const { type } = env.data;
  const parsed = DATA_SCHEMAS[type].safeParse(env.data.data);
  if (!parsed.success)
    return { ok: false, id, type, issues: parsed.error.issues.map((i) => ({ ...i, path: ['data', ...i.path] })) };
  if (catalogDocId(type, parsed.data) !== id)
    return {
      ok: false,
      id,
      type,
      issues: [issue(['_id'], `the id must be ${catalogDocId(type, parsed.data)}`, 'idMismatch')],
    };
  const { _conflicts: _c, _deleted_conflicts: _d, _revisions: _r, _revs_info: _i, ...rest } = env.data;
  return { ok: true, doc: { ...rest, data: parsed.data } as CatalogDoc };
}

/** A document with its conflicting revisions (two administrators wrote it apart): CouchDB's winner and the losers. */
export interface CatalogConflict {
  id: string;
  rev: string;
  losers: string[];
}

/** What a desk uses, built from the catalogue documents it holds. */
export interface CatalogState {
  catalogue: Catalogue;
  calendar: WorkCalendar;
  offices: ReadonlyMap<string, OfficeProfile>;
  /** Documents the schema refuses: not used, shown to catalogue administrators. */
  invalid: { id: string; type: CatalogType | null; issues: CatalogIssue[] }[];
  conflicts: CatalogConflict[];
  /** The valid documents by id, for the administration. */
  docs: ReadonlyMap<string, CatalogDoc>;
}

/** A catalogue over validated definitions (one per id and version, the ids guarantee it). */
export function catalogueOf(services: readonly ServiceDefinition[]): Catalogue {
  return {
    services,
    get(serviceId, version) {
      const all = services.filter((s) => s.id === serviceId);
      if (version !== undefined) return all.find((s) => s.version === version);
      return [...all].sort((a, b) => compareVersions(b.version, a.version))[0];
    },
  };
}

/**
 * Builds the desk's catalogue, calendar and office profiles from the documents (deleted ones and
 * design documents skipped). A document the schema refuses is left out and reported, never half
 * used: its service version is unknown here, its calendar year is "not published". `parse` is
 * the schema's check; only the app's own bundled seed is taken without it (seed.ts).
 */
export function buildCatalogState(
  raws: readonly unknown[],
  parse: (raw: unknown) => ParsedCatalogDoc = parseCatalogDoc,
): CatalogState {
  const services: ServiceDefinition[] = [];
  const years: Record<number, YearData> = {};
  const offices = new Map<string, OfficeProfile>();
  const invalid: CatalogState['invalid'] = [];
  const conflicts: CatalogConflict[] = [];
  const docs = new Map<string, CatalogDoc>();
  for (const raw of raws) {
    const r = raw as { _id?: unknown; _rev?: unknown; _deleted?: unknown; _conflicts?: unknown };
    if (typeof r._id !== 'string' || r._id.startsWith('_design/') || r._deleted === true) continue;
    if (Array.isArray(r._conflicts) && r._conflicts.length > 0)
      conflicts.push({ id: r._id, rev: String(r._rev), losers: r._conflicts.map(String) });
    const p = parse(raw);
    if (!p.ok) {
      invalid.push({ id: p.id, type: p.type, issues: p.issues });
      continue;
    }
    docs.set(p.doc._id, p.doc);
    if (p.doc.type === 'service') services.push(p.doc.data);
    else if (p.doc.type === 'calendar') years[p.doc.data.year] = p.doc.data;
    else offices.set(p.doc.data.code, p.doc.data);
  }
  return { catalogue: catalogueOf(services), calendar: { years }, offices, invalid, conflicts, docs };
}
