/**
 * Bundles the office hub's process (main.ts with express-pouchdb, PouchDB and LevelDB) into one
 * file with no require of node_modules left, so that the installers ship it inside out/ like the
 * rest of the app (build/electron-builder.yml packs out/ only), and copies beside it leveldown's
 * N-API prebuilt binaries, which node-gyp-build finds from the bundle's directory
 * (out/hub/prebuilds/<platform>-<arch>/). Run by electron.vite.config.ts after the main process is
 * built.
 */
import { cpSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

/**
 * express-pouchdb loads its parts with `require('./' + file)`. esbuild bundles every file that
 * pattern can match, but keys them with their extension and looks the extensionless name up as
 * it is, so each part is "not found in bundle" at run time (evanw/esbuild#3328, #3721, open): the
 * call must name the extension. Checked: the bundle test starts express-pouchdb with and without.
 */
export const expressPouchDBParts: Plugin = {
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

/** The platforms the installers are built for (build/electron-builder.yml), and macOS for developers. */
export const PREBUILD_TARGETS = ['linux-x64', 'linux-arm64', 'win32-x64', 'win32-ia32', 'darwin-x64+arm64'];

/** `entry` is main.ts; `outfile` is HUB_SERVER_BUNDLE under the app's root. */
export async function bundleHubServer(
  entry: string,
  outfile: string,
  plugins: Plugin[] = [expressPouchDBParts],
): Promise<void> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'silent',
    plugins,
  });
  // Fauxton's require.resolve is left as is on purpose (that part is switched off in app.ts), and
  // so is node-gyp-build's require of the binary it finds at run time; anything else left to
  // resolve at run time would fail in the installed app.
  const unexpected = result.warnings.filter(
    (w) => !w.text.includes('pouchdb-fauxton') && !/node-gyp-build/.test(w.location?.file ?? ''),
  );
  if (unexpected.length) throw new Error(`hub server bundle: ${unexpected.map((w) => w.text).join('; ')}`);
  const leveldown = path.dirname(createRequire(import.meta.url).resolve('leveldown/package.json'));
  for (const target of PREBUILD_TARGETS)
    cpSync(path.join(leveldown, 'prebuilds', target), path.join(path.dirname(outfile), 'prebuilds', target), {
      recursive: true,
    });
}
