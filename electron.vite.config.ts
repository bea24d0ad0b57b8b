import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Rollup } from 'vite';
import { contentSecurityPolicy, syncOrigins } from './electron/main/csp';
import { bundleHubServer } from './server/hub/bundle';
import { HUB_SERVER_BUNDLE } from './server/hub/bundlePath';
import pkg from './package.json';
import { attachmentMd5Esbuild, attachmentMd5Plugin, rendererAlias } from './vite.renderer';

const r = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
// Fixed at build time: a deployment names its central server and hubs (see electron/main/csp.ts).
const connect = syncOrigins(process.env['KENSE_SYNC_ORIGINS']);
const alias = rendererAlias;

// zod's sources carry /*@__PURE__*/ comments in places Rollup cannot use; the warning is noise.
const onwarn = (warning: Rollup.RollupLog, warn: (w: Rollup.RollupLog) => void): void => {
  if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
};

export default defineConfig(({ command }) => ({
  main: {
    resolve: { alias },
    define: { __KENSE_SYNC_ORIGINS__: JSON.stringify(connect) },
    plugins: [
      {
        // The embedded hub's server runs in its own process: bundled apart, self-contained, so the
        // installers (which pack out/ only) carry it with no node_modules.
        name: 'kense-hub-server',
        apply: 'build',
        async closeBundle(): Promise<void> {
          await bundleHubServer(r('./server/hub/main.ts'), r(`./${HUB_SERVER_BUNDLE}`));
        },
      },
    ],
    build: {
      // Everything is bundled: the packaged app needs no node_modules.
      externalizeDeps: false,
      outDir: 'out/main',
      rollupOptions: { input: { index: r('./electron/main/index.ts') }, onwarn },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      // A sandboxed preload can require only 'electron' and a few built-ins, so zod is bundled in.
      externalizeDeps: false,
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: r('./electron/preload/index.ts') },
        onwarn,
        // A sandboxed preload cannot be an ES module.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: r('./renderer'),
    resolve: { alias },
    define: { __APP_VERSION__: JSON.stringify(pkg.version) },
    plugins: [
      react(),
      attachmentMd5Plugin(),
      {
        // The built app carries its CSP in the page itself, so it holds in browser mode too.
        // The dev server needs inline scripts for hot reload, so it gets none.
        name: 'kense-csp',
        transformIndexHtml(html: string): string {
          if (command !== 'build') return html;
          const meta = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(connect)}" />`;
          return html.replace('<!-- csp -->', meta);
        },
      },
    ],
    // The dev server pre-bundles PouchDB with esbuild: the same redirect there.
    optimizeDeps: { esbuildOptions: { plugins: [attachmentMd5Esbuild] } },
    // The replica writer's worker bundles the adapter too (renderer/data/store/replicaWorker.ts).
    worker: { plugins: () => [attachmentMd5Plugin()] },
    base: './',
    build: {
      outDir: r('./out/renderer'),
      emptyOutDir: true,
      // electron-vite leaves the renderer unminified: 4.3 MB the window parses at every start. The
      // bench's new desk (scripts/bench.ts) measures it minified, as it now ships.
      minify: 'esbuild',
      rollupOptions: { input: { index: r('./renderer/index.html') }, onwarn },
    },
  },
}));
