import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin as EsbuildPlugin } from 'esbuild';
import type { Plugin } from 'vite';

/**
 * What every build of the renderer's code shares: the app (electron.vite.config.ts), its tests
 * (vitest.config.ts) and the bench page (scripts/bench.ts).
 */
const r = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export const rendererAlias = { '@shared': r('./shared'), '@locales': r('./locales') };

/**
 * The `indexeddb` adapter's attachment digests from renderer/data/store/attachmentMd5.ts instead of
 * pouchdb-md5 (why: that file). Only that adapter's import is redirected: every other PouchDB
 * module keeps pouchdb-md5, whose `stringMd5` makes revision ids.
 */
export const ATTACHMENT_MD5 = r('./renderer/data/store/attachmentMd5.ts');
export const redirectsMd5 = (source: string, importer: string | undefined): boolean =>
  source === 'pouchdb-md5' && importer !== undefined && /[\\/]pouchdb-adapter-indexeddb[\\/]lib[\\/]/.test(importer);

/** The redirect in a Rollup build (the app, the bench page). */
export function attachmentMd5Plugin(): Plugin {
  return {
    name: 'kense-attachment-md5',
    enforce: 'pre',
    resolveId: (source, importer) => (redirectsMd5(source, importer) ? ATTACHMENT_MD5 : null),
  };
}

/**
 * The same in esbuild, which pre-bundles the adapter for the dev server and the browser tests. Vite
 * keeps a pre-bundle until its configuration or the lockfile changes, and the redirected files are
 * compiled into it: their content is part of the plugin's name (which Vite's cache key includes), so
 * an edit to them makes a new pre-bundle instead of testing the old code.
 */
export const attachmentMd5Esbuild: EsbuildPlugin = {
  name: `kense-attachment-md5-${createHash('sha256')
    .update(readFileSync(ATTACHMENT_MD5, 'utf8'))
    .update(readFileSync(r('./renderer/data/store/md5.ts'), 'utf8'))
    .digest('hex')
    .slice(0, 12)}`,
  setup(build) {
    build.onResolve({ filter: /^pouchdb-md5$/ }, (a) =>
      redirectsMd5(a.path, a.importer) ? { path: ATTACHMENT_MD5 } : undefined,
    );
  },
};
