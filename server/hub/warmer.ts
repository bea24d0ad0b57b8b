/**
 * Keeps the desks' view (`_design/kense_desk`, shared/couch/deskViews.ts) built on the hub.
 *
 * A view is built on its first query after documents change. Left to the desks, a new desk's first
 * download would wait for the hub to index every event the relay brought (18 s for 10,860 events in
 * the bench, longer than the download itself), and a hub just seeded from central would index the
 * whole office while that desk waits. So the hub asks for the view itself when its office database
 * has changed, one query at a time: what CouchDB 3 does on its own (its background indexer, `ken`,
 * docs.couchdb.org config/indexbuilds), which PouchDB's views lack.
 */
export const WARM_EVERY_MS = 15_000;

export interface ViewWarmer {
  /** Checks now (the relay has just written, or the hub has started). */
  poke: () => void;
  stop: () => Promise<void>;
}

export function keepViewWarm(opts: {
  /** The office database's update sequence (an opaque value: compared for equality only). */
  seq: () => Promise<unknown>;
  /** Brings the view up to date (a query that reads no rows). */
  build: () => Promise<void>;
  everyMs?: number;
  log: (line: string) => void;
}): ViewWarmer {
  let built: string | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let failing = false;

  const once = async (): Promise<void> => {
    const seq = JSON.stringify(await opts.seq());
    if (seq === built) return;
    await opts.build();
    built = seq;
  };
  const poke = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await once();
          if (failing) opts.log('the desks’ view is built again');
          failing = false;
        } catch (e) {
          // Logged once per failing spell: the next poke tries again.
          if (!failing) opts.log(`the desks’ view could not be built: ${String(e)}`);
          failing = true;
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  };
  const timer = setInterval(poke, opts.everyMs ?? WARM_EVERY_MS);
  timer.unref?.();
  poke();
  return {
    poke,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
