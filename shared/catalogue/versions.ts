import { compareVersions, type Catalogue } from './load';
import type { ServiceDefinition } from './schema';

/**
 * Which version of a service applies on a date. A version is published with the date it takes
 * effect (`validFrom`) and retired with the last date it applies (`validTo`); an application
 * keeps the version it was registered under, so old versions stay in the catalogue.
 */
export type VersionStatus =
  /** Published ahead: takes effect on `validFrom`. */
  | 'planned'
  | 'in_force'
  /** Past its `validTo`. */
  | 'repealed';

/** `today` is a local date 'YYYY-MM-DD' (shared/calendar's toLocalDate): the dates compare as text. */
export function versionStatus(s: Pick<ServiceDefinition, 'validFrom' | 'validTo'>, today: string): VersionStatus {
  if (today < s.validFrom) return 'planned';
  if (s.validTo !== null && today > s.validTo) return 'repealed';
  return 'in_force';
}

/** Later validFrom first, then the higher version. */
const newestFirst = (a: ServiceDefinition, b: ServiceDefinition): number =>
  a.validFrom !== b.validFrom ? (a.validFrom < b.validFrom ? 1 : -1) : compareVersions(b.version, a.version);

/**
 * The version a new application is registered under on `today`: the newest one in force; when
 * none is (every version repealed and no successor published, as with the seed acts), the newest
 * one that has started, reported as repealed so that Reception says so; none when every version
 * is still to come.
 */
export function currentVersion(
  versions: readonly ServiceDefinition[],
  today: string,
): { service: ServiceDefinition; status: VersionStatus } | null {
  const started = versions.filter((v) => versionStatus(v, today) !== 'planned').sort(newestFirst);
  const inForce = started.find((v) => versionStatus(v, today) === 'in_force');
  if (inForce) return { service: inForce, status: 'in_force' };
  const last = started[0];
  return last ? { service: last, status: 'repealed' } : null;
}

/** Every version of every service, grouped by service id, newest first. */
export function versionsById(catalogue: Catalogue): Map<string, ServiceDefinition[]> {
  const byId = new Map<string, ServiceDefinition[]>();
  for (const s of catalogue.services) byId.set(s.id, [...(byId.get(s.id) ?? []), s]);
  for (const list of byId.values()) list.sort(newestFirst);
  return byId;
}

/**
 * The catalogue as Reception sees it on `today`: one version per service (the current one), as
 * `offer` gives it (an office profile keeps its providers' services and trims the channels, see
 * `offeredService`; null leaves a service out). `get(id)` gives that version; `get(id, version)`
 * still finds any version, for applications registered earlier.
 */
export function currentCatalogue(
  catalogue: Catalogue,
  today: string,
  offer: (s: ServiceDefinition) => ServiceDefinition | null = (s) => s,
): Catalogue & { status: (id: string) => VersionStatus | null } {
  const current = new Map<string, { service: ServiceDefinition; status: VersionStatus }>();
  for (const [id, versions] of versionsById(catalogue)) {
    const c = currentVersion(versions, today);
    const offered = c ? offer(c.service) : null;
    if (c && offered) current.set(id, { service: offered, status: c.status });
  }
  const services = [...current.values()].map((c) => c.service);
  return {
    services,
    get: (id, version) => (version === undefined ? current.get(id)?.service : catalogue.get(id, version)),
    status: (id) => current.get(id)?.status ?? null,
  };
}
