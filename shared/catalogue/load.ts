import type { z } from 'zod';
import { serviceSchema, type ServiceDefinition, type Step, type Variant } from './schema';

/** One problem in a catalogue file, located as precisely as the data allows. */
export interface CatalogueIssue {
  service: string | null;
  variant: string | null;
  step: string | null;
  /** The field inside the service, variant or step (`action.kk`, `norm.unit`…). */
  field: string;
  message: string;
}

/** A malformed service definition: refused whole, with every problem named. */
export class CatalogueError extends Error {
  readonly code = 'catalogue.invalid';
  constructor(readonly issues: CatalogueIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'CatalogueError';
  }
}

export function formatIssue(i: CatalogueIssue): string {
  const where = [
    `service ${i.service ?? '?'}`,
    i.variant !== null ? `variant ${i.variant}` : null,
    i.step !== null ? `step ${i.step}` : null,
    `field ${i.field || '(root)'}`,
  ].filter(Boolean);
  return `${where.join(', ')}: ${i.message}`;
}

const pick = (o: unknown, key: string | number): unknown =>
  o !== null && typeof o === 'object' ? (o as Record<string | number, unknown>)[key] : undefined;
const label = (o: unknown, fallback: string | number): string => {
  const id = pick(o, 'id');
  return typeof id === 'string' && id ? id : `#${fallback}`;
};

/** Turns a zod issue path into service / variant / step / field, naming each by its id. */
function locate(raw: unknown, issue: z.core.$ZodIssue): CatalogueIssue {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const service = typeof pick(raw, 'id') === 'string' ? (pick(raw, 'id') as string) : null;
  let variant: string | null = null;
  let step: string | null = null;
  let rest = path;
  if (path[0] === 'variants' && typeof path[1] === 'number') {
    const v = pick(pick(raw, 'variants'), path[1]);
    variant = label(v, path[1]);
    rest = path.slice(2);
    if (rest[0] === 'steps' && typeof rest[1] === 'number') {
      step = label(pick(pick(v, 'steps'), rest[1]), rest[1]);
      rest = rest.slice(2);
    }
  }
  return { service, variant, step, field: rest.join('.'), message: issue.message };
}

/** Validates one service definition; throws CatalogueError naming every problem. */
export function parseService(raw: unknown): ServiceDefinition {
  const r = serviceSchema.safeParse(raw);
  if (r.success) return r.data;
  throw new CatalogueError(r.error.issues.map((i) => locate(raw, i)));
}

/** The catalogue: every service, every version, indexed for the engine and the reception desk. */
export interface Catalogue {
  services: readonly ServiceDefinition[];
  get(serviceId: string, version?: string): ServiceDefinition | undefined;
}

/** Validates all definitions; a bad one refuses the whole load rather than half a catalogue. */
export function loadCatalogue(raws: readonly unknown[]): Catalogue {
  const issues: CatalogueIssue[] = [];
  const services: ServiceDefinition[] = [];
  for (const raw of raws) {
    try {
      services.push(parseService(raw));
    } catch (e) {
      if (e instanceof CatalogueError) issues.push(...e.issues);
      else throw e;
    }
  }
  const keys = new Set<string>();
  for (const s of services) {
    const key = `${s.id}@${s.version}`;
    if (keys.has(key))
      issues.push({ service: s.id, variant: null, step: null, field: 'version', message: `duplicate ${key}` });
    keys.add(key);
  }
  if (issues.length > 0) throw new CatalogueError(issues);
  return {
    services,
    get(serviceId, version) {
      const all = services.filter((s) => s.id === serviceId);
      if (version !== undefined) return all.find((s) => s.version === version);
      // The newest version for new applications.
      return all.sort((a, b) => compareVersions(b.version, a.version))[0];
    },
  };
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function findVariant(service: ServiceDefinition, variantId: string): Variant | undefined {
  return service.variants.find((v) => v.id === variantId);
}

export function findStep(variant: Variant, stepId: string): Step | undefined {
  return variant.steps.find((s) => s.id === stepId);
}
