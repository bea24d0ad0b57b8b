import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import pkg from './package.json';
import { attachmentMd5Esbuild, rendererAlias } from './vite.renderer';

const shared = {
  resolve: { alias: rendererAlias },
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
};

export default defineConfig({
  test: {
    testTimeout: 20000,
    projects: [
      {
        ...shared,
        test: {
          name: 'node',
          // Unit tests live next to the code (shared/, renderer/, electron/) and in tests/unit;
          // tests/integration talks to real servers on loopback.
          include: [
            'shared/**/*.test.ts',
            'renderer/**/*.test.{ts,tsx}',
            'electron/**/*.test.ts',
            'server/**/*.test.ts',
            'tests/unit/**/*.test.{ts,tsx}',
            'tests/integration/**/*.test.ts',
          ],
          exclude: ['**/*.browser.test.{ts,tsx}', '**/node_modules/**'],
          environment: 'node',
          testTimeout: 20000,
          // Against an external CouchDB (KENSE_TEST_COUCH_URL, tests/integration/lab/couch.ts) the
          // suites share one server: one file at a time.
          fileParallelism: !process.env['KENSE_TEST_COUCH_URL'],
        },
      },
      {
        ...shared,
        optimizeDeps: {
          esbuildOptions: { plugins: [attachmentMd5Esbuild] },
          include: [
            'dexie',
            'dexie-react-hooks',
            'pouchdb-core',
            'pouchdb-adapter-indexeddb',
            'pouchdb-adapter-idb',
            'pouchdb-adapter-http',
            'pouchdb-replication',
            'pouchdb-find',
            'events',
            // Components rendered in browser tests.
            'react',
            'react/jsx-dev-runtime',
            'react-dom/client',
            'react-router',
            'react-i18next',
            'i18next',
            'i18next-icu',
            '@tanstack/react-virtual',
            'zustand',
            'zustand/middleware',
          ],
        },
        test: {
          name: 'chromium',
          // The data layer against real IndexedDB in Debian's Chromium.
          include: ['renderer/**/*.browser.test.{ts,tsx}'],
          globalSetup: ['tests/setup/central.global.ts'],
          // Pre-bundled up front, so that Vite does not reload a running test to optimise them.
          testTimeout: 30000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
                args: [
                  '--no-sandbox',
                  '--disable-gpu',
                  '--disable-background-networking',
                  '--disable-component-update',
                  '--no-first-run',
                  // `gc()`, for the tests of what the data layer lets go (firstDownload's batches).
                  '--js-flags=--expose-gc',
                ],
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
