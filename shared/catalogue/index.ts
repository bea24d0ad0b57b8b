import { loadCatalogue, type Catalogue } from './load';
import { BUNDLED_SERVICES } from './services';

export * from './load';
export * from './schema';

/** The catalogue shipped with the app, validated once; a malformed file refuses the load by name. */
export function bundledCatalogue(): Catalogue {
  return loadCatalogue(BUNDLED_SERVICES);
}
