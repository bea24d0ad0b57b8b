/**
 * `npm run bench -- --link`: a desk's day of work through the three links of issue 19, measured in
 * the link lab (tests/integration/lab/link.py: a userspace link emulator between two network
 * namespaces; root only). For each link: the push of a day's work (1,200 events) to central and
 * the pull of it to a fresh desk, with the HTTP requests that crossed the link; on the middle link
 * also a 60 s cut in the middle of the push, and scans among the events.
 */
import { removeTmpDirs } from '../tests/integration/lab/harness';
import { LINKS, linkLabUnavailable, type LinkName } from '../tests/integration/lab/link';
import { measurePull, measurePush, openLinkLab, type LinkRun } from '../tests/integration/lab/linkSync';

export interface LinkBenchOptions {
  links: LinkName[];
  apps: number;
  /** Seconds of a cut in the middle of the push, on the middle link (0: none). */
  cutSeconds: number;
  /** Scans of 300 KB among the events, pushed on the middle link (0: none). */
  scans: number;
  /** Also through a gzip-ing reverse proxy (nginx with `gzip on` in front of CouchDB). */
  gzip: boolean;
  log: (line: string) => void;
}

export interface LinkBenchRow {
  link: LinkName;
  what: string;
  run: LinkRun;
  /** For the cut: the same push without the cut, and the cut's length. */
  baselineMs?: number;
  cutMs?: number;
}

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const kb = (b: number): string => `${Math.round(b / 1024)} KB`;

export function formatLinkRow(r: LinkBenchRow): string {
  const kinds = Object.entries(r.run.byKind)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const extra =
    r.cutMs !== undefined && r.baselineMs !== undefined
      ? `; cost of the cut ${s(r.run.ms - r.baselineMs)} (cut ${s(r.cutMs)})`
      : r.run.scans > 0
        ? `; events without scans in ${s(r.run.eventsMs)}`
        : '';
  return (
    `${r.link.padEnd(7)} ${r.what.padEnd(22)} ${s(r.run.ms).padStart(8)}  ${String(r.run.requests).padStart(4)} requests` +
    ` + ${r.run.preflights} preflights (holding requests ${s(r.run.preflightMs)})` +
    `  up ${kb(r.run.bytesUp)}, down ${kb(r.run.bytesDown)}${extra}  [${kinds}]`
  );
}

export async function runLinkBench(o: LinkBenchOptions): Promise<LinkBenchRow[]> {
  const why = linkLabUnavailable();
  if (why) throw new Error(`--link: ${why}`);
  const rows: LinkBenchRow[] = [];
  const record = (row: LinkBenchRow): void => {
    rows.push(row);
    o.log(formatLinkRow(row));
  };
  const variants: { responses: 'identity' | 'gzip'; label: string }[] = [
    { responses: 'identity', label: '' },
    ...(o.gzip ? [{ responses: 'gzip' as const, label: ' (gzip proxy)' }] : []),
  ];
  try {
    for (const name of o.links) {
      for (const v of variants) {
        const lab = await openLinkLab(LINKS[name], { responses: v.responses, seed: 19 });
        let push: LinkRun;
        try {
          push = await measurePush(lab, { apps: o.apps });
          record({ link: name, what: `push${v.label}`, run: push });
          record({ link: name, what: `pull, fresh desk${v.label}`, run: await measurePull(lab) });
        } finally {
          await lab.close();
        }
        if (name !== 'middle' || v.responses !== 'identity') continue;
        if (o.cutSeconds > 0) {
          const cutLab = await openLinkLab(LINKS[name], { responses: v.responses, seed: 19 });
          const cutMs = o.cutSeconds * 1000;
          try {
            const run = await measurePush(cutLab, { apps: o.apps }, async (elapsed) => {
              // In the middle of the push, as far as today's figure goes: a third of the way in.
              const at = push.ms / 3;
              while (elapsed() < at) await new Promise((r) => setTimeout(r, 50));
              await cutLab.link.cut();
              await new Promise((r) => setTimeout(r, cutMs));
              await cutLab.link.restore();
            });
            record({ link: name, what: `push, ${o.cutSeconds} s cut`, run, baselineMs: push.ms, cutMs });
          } finally {
            await cutLab.close();
          }
        }
        if (o.scans > 0) {
          const scanLab = await openLinkLab(LINKS[name], { responses: v.responses, seed: 19 });
          try {
            const run = await measurePush(scanLab, { apps: o.apps, scans: o.scans, scanBytes: 300_000 });
            record({ link: name, what: `push + ${o.scans} scans`, run });
          } finally {
            await scanLab.close();
          }
        }
      }
    }
  } finally {
    removeTmpDirs();
  }
  return rows;
}
