/**
 * The office hub's log: one line per thing worth knowing (start, central reached or lost, a
 * refused document, a failed staff copy, a server error), in `<data dir>/logs/hub.log`, rotated by
 * size so that it never fills the disk: at 1 MB the file is moved aside, five old files are kept
 * (rotating-file-stream).
 */
import { createStream } from 'rotating-file-stream';

export type HubLog = (line: string) => void;

export const LOG_FILE = 'hub.log';

export function openLog(dir: string, opts: { echo: boolean; size?: string; maxFiles?: number }): HubLog {
  const stream = createStream(LOG_FILE, { path: dir, size: opts.size ?? '1M', maxFiles: opts.maxFiles ?? 5 });
  // A log that cannot be written must not stop the hub.
  stream.on('error', () => undefined);
  return (line) => {
    const text = `${new Date().toISOString()} ${line}\n`;
    stream.write(text);
    if (opts.echo) process.stderr.write(`[hub] ${text}`);
  };
}
