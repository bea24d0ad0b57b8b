/**
 * The Kense central service: runs beside CouchDB 3 (its own process, `npm run central-service`),
 * holds the server admin's credentials, and does for office admins what they may no longer do
 * in `_users` themselves (issue 12: nobody but the server admin administers `_users`):
 *
 * - staff administration of the admin's own office (list, add, roles, deactivate, re-enable,
 *   password reset), each change checked by the `_users` validator's own function (staff.ts);
 * - the office's staff directory in each office database (directory.ts);
 * - the office's sign-in verifiers for its office hub, to the hub account alone.
 *
 * Configured by environment (config.ts); see docs/central-couchdb.md.
 */
import type { AddressInfo } from 'node:net';
import { couchAdmin, type CouchServer } from './couch';
import { directoryKeeper, type DirectoryKeeper } from './directory';
import { createServiceServer } from './http';
import { staffService } from './staff';

export interface CentralServiceOptions {
  couch: CouchServer;
  host: string;
  port: number;
  /** Origins allowed to call from a browser (CORS); `*` for any (development only). */
  origins: readonly string[];
  version?: string;
  log?: (line: string) => void;
  /** How long to wait before asking an unreachable CouchDB again, ms. */
  retryMs?: number;
  fetch?: typeof fetch;
}

export interface CentralService {
  url: string;
  directory: DirectoryKeeper;
  /** Resolves once the first full resync of the staff directory has finished. */
  ready: Promise<void>;
  stop: () => Promise<void>;
}

export async function startCentralService(o: CentralServiceOptions): Promise<CentralService> {
  const log = o.log ?? ((l: string) => console.warn(`[central-service] ${l}`));
  const couch = couchAdmin(o.couch, o.fetch);
  const directory = directoryKeeper(couch, { log, retryMs: o.retryMs });
  const staff = staffService(couch, { directory, reserved: [o.couch.user, 'admin'] });
  const server = createServiceServer({
    couchUrl: o.couch.url,
    staff,
    origins: o.origins,
    version: o.version ?? 'dev',
    log,
    fetch: o.fetch,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${o.host === '0.0.0.0' || o.host === '::' ? '127.0.0.1' : o.host}:${port}`;

  // The directory: one full resync (retried until CouchDB answers), then its changes as they come.
  let stopped = false;
  const ready = (async () => {
    for (;;) {
      if (stopped) return;
      try {
        const since = await directory.usersSeq();
        const written = await directory.resync();
        log(`staff directory in step (${written} entries written)`);
        directory.follow(since);
        return;
      } catch (e) {
        log(`staff directory: cannot resync yet (${(e as Error).message}); trying again`);
        await new Promise((res) => setTimeout(res, o.retryMs ?? 5000));
      }
    }
  })();

  log(`listening at ${url}, CouchDB ${o.couch.url}`);
  return {
    url,
    directory,
    ready,
    stop: async () => {
      stopped = true;
      await directory.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

export { serviceConfig } from './config';
