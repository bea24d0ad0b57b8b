import type { ServiceDefinition } from '../catalogue/schema';
import { searchScore, searchWords, type SearchWord } from './stem';

/**
 * Service search at reception: by any form of any word of the service's Kazakh or Russian name or
 * of its provider (the same permit exists per oblast and is told apart by who provides it).
 */
export interface ServiceSearchIndex<S extends Pick<ServiceDefinition, 'id' | 'names' | 'provider'>> {
  entries: { service: S; words: SearchWord[] }[];
}

/** Stems every service's words once (a catalogue is a few dozen services). */
export function serviceSearchIndex<S extends Pick<ServiceDefinition, 'id' | 'names' | 'provider'>>(
  services: readonly S[],
): ServiceSearchIndex<S> {
  return {
    entries: services.map((service) => ({
      service,
      words: searchWords(`${service.names.kk} ${service.names.ru} ${service.provider.kk} ${service.provider.ru}`),
    })),
  };
}

/** The services that answer every word of the query, best first (a stable order among equals). */
export function searchServices<S extends Pick<ServiceDefinition, 'id' | 'names' | 'provider'>>(
  index: ServiceSearchIndex<S>,
  query: string,
): S[] {
  return index.entries
    .map((e, i) => ({ service: e.service, score: searchScore(e.words, query), i }))
    .filter((e) => e.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map((e) => e.service);
}
