// @ts-check
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Packages that tie code to a platform or a database: never in the domain core. */
const PLATFORM_PACKAGES = [
  'electron',
  'react',
  'react-dom',
  'react-router',
  'react-i18next',
  'i18next',
  'zustand',
  'dexie',
  'vite',
];
const platformPatterns = [
  ...PLATFORM_PACKAGES.flatMap((p) => [p, `${p}/*`]),
  'pouchdb*',
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
];

/** Code that ships never imports the command-line scripts or the tests (ARCHITECTURE §2). */
const NOT_SHIPPED = {
  group: ['**/scripts/**', '**/tests/**'],
  message: 'Code that ships never imports scripts/ or tests/: move what both need to shared/ or server/.',
};
/** The development central is for developers and tests only. */
const DEV_SERVER = {
  group: ['**/server/dev/**', '**/dev/central', '**/dev/central.ts'],
  message: 'server/dev is the development central: nothing that ships imports it.',
};

/** The renderer reaches the host only through the bridge. */
const HOST_IMPORTS = {
  group: ['**/electron/**', 'electron', 'node:*'],
  message: 'The renderer reaches the host only through window.kense (platform/bridge).',
};

/**
 * The UI (features, components, the app shell, print templates) reaches data only through the
 * data/ facade (renderer/data/index.ts, ARCHITECTURE §2): which table, index, replica call or
 * server API answers a query is the data layer's business, so storage can change without
 * touching a screen, and every write goes through the desk's one writer.
 */
const DATA_FACADE = {
  group: ['dexie', 'dexie/*', 'dexie-react-hooks', 'pouchdb', 'pouchdb*', '**/data/*'],
  message:
    'UI code reaches data through the data/ facade only (import from "…/data"): no Dexie, PouchDB or data/ internals. useLiveQuery comes from the facade too.',
};
const UI_DATA_RULES = {
  'no-restricted-globals': [
    'error',
    ...['fetch', 'XMLHttpRequest', 'indexedDB', 'EventSource', 'WebSocket'].map((name) => ({
      name,
      message: 'UI code talks to servers and storage through the data/ facade: add a query or action there.',
    })),
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "CallExpression[callee.property.name='fetch']",
      message: 'UI code talks to servers through the data/ facade: add a query or action there.',
    },
    {
      // The desk's read model (Dexie), its projector and its replica (PouchDB) stay behind the facade.
      selector:
        "MemberExpression[property.name=/^(model|projector)$/], MemberExpression[property.name='db'][object.property.name='office']",
      message:
        "UI code does not touch the desk's Dexie tables or PouchDB replica: use (or add) a query in data/queries.ts.",
    },
  ],
};

/** Every feature folder, so a new one is covered without touching this file. */
const FEATURES = readdirSync(new URL('./renderer/features', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const featureImports = (others) =>
  others.flatMap((f) => [`**/features/${f}`, `**/features/${f}/**`, `../${f}`, `../${f}/**`]);

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'artifacts/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs', 'server/*/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'server/**/*.mjs', 'eslint.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
    rules: { 'no-console': 'off' },
  },
  // The domain core: pure TypeScript over plain data. No UI, no shell, no database, no DOM, no Node.
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/renderer/**', '**/electron/**', '**/server/**', '**/tests/**', '**/scripts/**', '@locales/*'],
              message: 'shared/ may import only from shared/.',
            },
            {
              group: platformPatterns,
              message: 'shared/ is the pure domain core: no platform, UI or database packages.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'localStorage',
          'sessionStorage',
          'indexedDB',
          'fetch',
          'XMLHttpRequest',
          'process',
          'Buffer',
          'require',
        ].map((name) => ({ name, message: 'shared/ runs everywhere: pass what you need in as data.' })),
      ],
    },
  },
  // The renderer talks to the host only through the bridge interface.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [HOST_IMPORTS, NOT_SHIPPED] }],
    },
  },
  // Features talk through data/, components/, print/ and shared/, never to each other (ARCHITECTURE §8).
  ...FEATURES.map((feature) => ({
    files: [`renderer/features/${feature}/**/*.{ts,tsx}`],
    rules: {
      ...UI_DATA_RULES,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            HOST_IMPORTS,
            NOT_SHIPPED,
            DATA_FACADE,
            {
              group: featureImports(FEATURES.filter((f) => f !== feature)),
              message: `features/${feature} may not import another feature: move what both need to data/, components/, print/ or shared/.`,
            },
          ],
        },
      ],
    },
  })),
  // The layers features build on do not reach back into a feature.
  {
    files: ['renderer/{data,state,i18n,platform}/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            HOST_IMPORTS,
            NOT_SHIPPED,
            { group: ['**/features/**'], message: 'Only the app shell (renderer/app) composes features.' },
          ],
        },
      ],
    },
  },
  // Components and print templates: UI too, so they see data through the facade only.
  {
    files: ['renderer/{components,print}/**/*.{ts,tsx}'],
    rules: {
      ...UI_DATA_RULES,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            HOST_IMPORTS,
            NOT_SHIPPED,
            DATA_FACADE,
            { group: ['**/features/**'], message: 'Only the app shell (renderer/app) composes features.' },
          ],
        },
      ],
    },
  },
  // The app shell composes features and sees data through the facade.
  {
    files: ['renderer/app/**/*.{ts,tsx}'],
    rules: {
      ...UI_DATA_RULES,
      'no-restricted-imports': ['error', { patterns: [HOST_IMPORTS, NOT_SHIPPED, DATA_FACADE] }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/renderer/**'], message: 'The shell does not import UI code.' },
            NOT_SHIPPED,
            DEV_SERVER,
          ],
        },
      ],
    },
  },
  // The Node-side servers: shared/ and each other, never the UI, the shell, the scripts or the tests;
  // the office hub (it ships) never the development central.
  {
    files: ['server/**/*.{ts,mjs,cjs}'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/renderer/**', '**/electron/**'], message: 'server/ imports shared/ only (and server/).' },
            NOT_SHIPPED,
          ],
        },
      ],
    },
  },
  {
    files: ['server/hub/**/*.ts', 'server/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/renderer/**', '**/electron/**'], message: 'server/ imports shared/ only (and server/).' },
            NOT_SHIPPED,
            DEV_SERVER,
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.{ts,tsx}', '**/*.test.{ts,tsx}', '*.config.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: { 'no-restricted-globals': 'off', 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    // Browser specs take `test` from their fixtures: a failure's report carries what the pages said,
    // and the extra desks a test opens are closed with it.
    files: ['tests/e2e/**/*.ts'],
    ignores: ['tests/e2e/fixtures.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@playwright/test', message: 'e2e code imports test, expect and types from ./fixtures.' }] },
      ],
    },
  },
  prettier,
);
