// Serves the built renderer (out/renderer) on loopback only: browser mode and the e2e tests.
import path from 'node:path';
import { preview } from 'vite';
import { projectRoot } from './electron-binary.mjs';

/** @param {{ port?: number }} [opts] */
export async function serveRenderer(opts = {}) {
  const server = await preview({
    configFile: false,
    root: projectRoot,
    logLevel: 'warn',
    build: { outDir: path.join('out', 'renderer') },
    preview: { host: '127.0.0.1', port: opts.port ?? 5741, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${opts.port ?? 5741}/`;
  return { url, close: () => server.close() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] ?? process.env.KENSE_PORT ?? 5741);
  const { url } = await serveRenderer({ port });
  process.stdout.write(`[kense] serving ${url}\n`);
}
