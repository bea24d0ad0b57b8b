import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import pkg from './package.json';

const r = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: { '@shared': r('./shared'), '@locales': r('./locales') },
  },
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  test: {
    // Unit tests live next to the code (shared/, renderer/, electron/) and in tests/unit;
    // tests/integration talks to real servers on loopback.
    include: [
      'tests/integration/**/*.test.ts',
      'shared/**/*.test.ts',
      'renderer/**/*.test.{ts,tsx}',
      'electron/**/*.test.ts',
      'tests/unit/**/*.test.{ts,tsx}',
    ],
    environment: 'node',
    testTimeout: 20000,
  },
});
