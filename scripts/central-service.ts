/**
 * `npm run central-service`: the Kense central service beside CouchDB (server/central). Only reads
 * its configuration (environment, see server/central/config.ts; `--port` and `--host` override)
 * and starts it; stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { serviceConfig, startCentralService } from '../server/central';

const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } });
let config;
try {
  config = serviceConfig({
    ...process.env,
    ...(values.port ? { KENSE_SERVICE_PORT: values.port } : {}),
    ...(values.host ? { KENSE_SERVICE_HOST: values.host } : {}),
  });
} catch (e) {
  console.error(`[central-service] ${(e as Error).message}`);
  process.exit(2);
}
const service = await startCentralService({ ...config, version: process.env['npm_package_version'] ?? 'dev' });
const shutdown = (): void => void service.stop().then(() => process.exit(0));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
