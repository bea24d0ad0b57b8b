import { loadCatalogue, type Catalogue } from './load';
import { BUNDLED_SERVICES } from './services';

export * from './docs';
export * from './load';
export * from './office';
export * from './process';
export * from './schema';
export * from './seed';
export * from './versions';

/** The catalogue shipped with the app, validated once; a malformed file refuses the load by name. */
export function bundledCatalogue(): Catalogue {
  return loadCatalogue(BUNDLED_SERVICES);
}
