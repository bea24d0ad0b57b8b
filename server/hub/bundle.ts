/**
 * Bundles the embedded hub's server (hubServer.cjs with express-pouchdb, PouchDB and logdown) into
 * one file with no require of node_modules left, so that the installers ship it inside out/ like
 * the rest of the app (build/electron-builder.yml packs out/ only). Run by electron.vite.config.ts
 * after the main process is built.
 */
import { readFile } from 'node:fs/promises';
import { build, type Plugin } from 'esbuild';

/**
 * express-pouchdb loads its parts with `require('./' + file)`: esbuild bundles every file the
 * pattern can match, but keys them with their extension, so the call must name it too.
 */
const expressPouchDBParts: Plugin = {
  name: 'express-pouchdb-parts',
  setup(b) {
    b.onLoad({ filter: /[\\/]express-pouchdb[\\/]lib[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const patched = source.replace("require('./' + file)(app)", "require('./' + file + '.js')(app)");
      if (patched === source) throw new Error('express-pouchdb changed: its parts are no longer loaded as expected');
      return { contents: patched, loader: 'js' };
    });
  },
};

/** `entry` is hubServer.cjs; `outfile` is HUB_SERVER_BUNDLE under the app's root. */
export async function bundleHubServer(entry: string, outfile: string): Promise<void> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'silent',
    plugins: [expressPouchDBParts],
  });
  // Fauxton's require.resolve is left as is on purpose (that part is switched off in hubServer.cjs);
  // anything else left to resolve at run time would fail in the installed app.
  const unexpected = result.warnings.filter((w) => !w.text.includes('pouchdb-fauxton'));
  if (unexpected.length) throw new Error(`hub server bundle: ${unexpected.map((w) => w.text).join('; ')}`);
}
