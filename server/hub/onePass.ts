/**
 * A replication kept up to date by one-shot passes, one after another, instead of PouchDB's live
 * replication, for a source whose writes may come faster than the replication can take them.
 *
 * Why: a live replication's changes feed hands over every change as it is written (with its
 * document, when a selector filters) and pouchdb-replication queues them all in memory, however far
 * behind its batches are (`batches_limit` holds back only a one-shot feed, which reads a batch at a
 * time). The hub's push compares each batch with central (25 documents a batch, one at a time);
 * seeding a hub from central at 100,000 applications, the pull wrote faster than that, the queue
 * grew by some 0.6 KB a document, and at about 300,000 documents the process reached its heap's
 * cap and ended. A pass reads the feed from its checkpoint, a batch at a time, to the end; the next
 * begins as soon as the source changes again (or, after a failure, after the back-off).
 *
 * It answers as a live replication does, for the events the relay follows: `active` when a pass
 * begins, `paused` (with the error, if it failed) when it ends, `change`, `denied`, `checkpoint`
 * as the pass emits them, and `complete` once cancelled.
 */
import { EventEmitter } from 'node:events';

export interface OnePassOptions {
  /** One pass: a one-shot replication (`live: false`, `retry: false`). */
  pass: () => PouchDB.Replication.Replication<object>;
  /** Calls `onChange` whenever the source is written; returns how to stop listening. */
  watch: (onChange: () => void) => () => void;
  /** The next delay after a failed pass, from the last (0 for the first). */
  backOff: (delay: number) => number;
  /** The first pass waits for it (what `pass` reads to choose its start, loaded). */
  ready?: Promise<unknown>;
}

export interface OnePassReplication extends EventEmitter {
  cancel(): void;
}

const FORWARDED = ['change', 'denied', 'checkpoint'] as const;

export function onePassReplication(opts: OnePassOptions): OnePassReplication {
  const out = new EventEmitter() as OnePassReplication;
  let current: PouchDB.Replication.Replication<object> | null = null;
  let cancelled = false;
  /** The source changed since the running pass began: another pass follows it. */
  let dirty = false;
  let delay = 0;
  let timer: NodeJS.Timeout | null = null;

  const run = (): void => {
    timer = null;
    if (cancelled || current) return;
    dirty = false;
    const r = opts.pass();
    current = r;
    out.emit('active');
    const emitter = r as unknown as EventEmitter;
    for (const name of FORWARDED) emitter.on(name, (...args: unknown[]) => out.emit(name, ...args));
    const ended = (err?: unknown): void => {
      if (current !== r) return;
      current = null;
      if (cancelled) {
        out.emit('complete');
        return;
      }
      if (err) {
        out.emit('paused', err);
        delay = opts.backOff(delay);
        timer = setTimeout(run, delay);
        return;
      }
      delay = 0;
      out.emit('paused');
      if (dirty) run();
    };
    void r.on('complete', () => ended());
    void r.on('error', (err: unknown) => ended(err ?? new Error('replication failed')));
  };

  let started = false;
  const unwatch = opts.watch(() => {
    dirty = true;
    // Waiting out a back-off: the next attempt comes at its time, not at every write.
    if (started && !current && !timer) run();
  });
  out.cancel = () => {
    if (cancelled) return;
    cancelled = true;
    unwatch();
    if (timer) clearTimeout(timer);
    timer = null;
    if (current) current.cancel();
    else queueMicrotask(() => out.emit('complete'));
  };
  // Begun once the caller has its listeners on, and what the first pass needs is there.
  void Promise.resolve(opts.ready).then(() => {
    started = true;
    run();
  });
  return out;
}
