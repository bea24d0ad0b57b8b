/**
 * `npm run audit`: the integrity check of an office database's audit chains (shared/audit), run
 * against a CouchDB-protocol server or a local export. Exits 0 when every chain is whole, 1 when
 * anything was edited, deleted or inserted (the findings are printed), 2 on bad usage or when the
 * events could not be read.
 *
 *   npm run audit -- --url https://couch.example.kz --office ALM01 --user auditor --password …
 *   npm run audit -- --file office_alm01.json        (an `_all_docs?include_docs=true` answer,
 *                                                      a JSON array of documents, or one per line)
 *
 * The password may also come from COUCHDB_PASSWORD. Only the plain CouchDB 3 HTTP API is used
 * (`_all_docs` with `include_docs`, paged), so it works the same against central, a hub or a copy.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { checkChains, type AuditReport, type Finding, type RawDoc } from '../shared/audit';
import { parseEventId, verifiesId } from '../shared/events';
import { officeDbName } from '../shared/couch';

const PAGE = 1000;

export interface ServerSource {
  url: string;
  office: string;
  user?: string;
  password?: string;
}

/**
 * Every event document of an office database, read page by page with `_all_docs`; an event with
 * conflicting revisions comes as the revision whose content its id names (else the winner), its
 * other leaves in `leaves` for the check (shared/audit contentMismatch, conflictingRevision).
 */
export async function readServerEvents(
  src: ServerSource,
  leaves: Map<string, RawDoc[]> = new Map(),
): Promise<RawDoc[]> {
  const base = `${src.url.replace(/\/+$/, '')}/${officeDbName(src.office)}/_all_docs`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (src.user !== undefined)
    headers['authorization'] = 'Basic ' + Buffer.from(`${src.user}:${src.password ?? ''}`).toString('base64');
  const docs: RawDoc[] = [];
  let startkey = 'evt:';
  let skip = 0;
  for (;;) {
    const q = new URLSearchParams({
      include_docs: 'true',
      conflicts: 'true',
      limit: String(PAGE),
      skip: String(skip),
      startkey: JSON.stringify(startkey),
      endkey: JSON.stringify('evt:\ufff0'),
    });
    const r = await fetch(`${base}?${q.toString()}`, { headers });
    if (!r.ok) throw new Error(`${base}: HTTP ${r.status} ${(await r.text()).slice(0, 200)}`);
    const body = (await r.json()) as { rows?: { id: string; doc?: RawDoc }[] };
    const rows = body.rows ?? [];
    for (const row of rows) {
      if (!row.doc) continue;
      const conflicts = row.doc['_conflicts'];
      if (!Array.isArray(conflicts) || conflicts.length === 0) {
        docs.push(row.doc);
        continue;
      }
      const all: RawDoc[] = [row.doc];
      for (const rev of conflicts) {
        const leaf = await fetch(
          `${base.replace(/\/_all_docs$/, '')}/${encodeURIComponent(row.id)}?rev=${encodeURIComponent(String(rev))}`,
          { headers },
        );
        if (leaf.ok) all.push((await leaf.json()) as RawDoc);
      }
      const shown = all.find((d) => parseEventId(row.id)?.digest && verifiesId(d)) ?? row.doc;
      leaves.set(
        row.id,
        all.filter((d) => d !== shown),
      );
      docs.push(shown);
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < PAGE) return docs;
    startkey = last.id;
    skip = 1;
  }
}

/** Documents from an export: an `_all_docs` answer, a JSON array, or one JSON document per line. */
export function readExport(text: string): RawDoc[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') && !trimmed.includes('\n{')) {
    const body = JSON.parse(trimmed) as { rows?: { doc?: RawDoc }[]; docs?: RawDoc[] };
    if (Array.isArray(body.rows)) return body.rows.flatMap((r) => (r.doc ? [r.doc] : []));
    if (Array.isArray(body.docs)) return body.docs;
    return [body];
  }
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as RawDoc[];
  return trimmed
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as RawDoc);
}

function describe(f: Finding): string {
  const seq =
    f.seqFrom === null
      ? ''
      : f.seqTo !== null && f.seqTo !== f.seqFrom
        ? ` #${f.seqFrom}-${f.seqTo}`
        : ` #${f.seqFrom}`;
  const ids = f.eventIds.length > 0 ? ` ${f.eventIds.join(' ')}` : '';
  const around = f.around.length > 0 ? ` (between ${f.around.join(' and ')})` : '';
  return `${f.kind.toUpperCase().padEnd(9)} device ${f.device}${seq}: ${f.reason}${ids}${around}`;
}

/** The report as the command prints it. */
export function formatReport(report: AuditReport, source: string): string[] {
  const lines = [`${source}: ${report.events} events, ${report.devices.length} devices`];
  for (const d of report.devices)
    lines.push(
      `  device ${d.device}: ${d.status}, ${d.chained} in the chain (last #${d.lastSeq}), ${d.beforeChain} before the audit chain`,
    );
  if (report.ok) lines.push('OK: no edited, deleted or inserted event found');
  else {
    lines.push(`FAILED: ${report.findings.length} finding(s)`);
    for (const f of report.findings) lines.push(`  ${describe(f)}`);
  }
  return lines;
}

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        office: { type: 'string' },
        user: { type: 'string' },
        password: { type: 'string', default: process.env['COUCHDB_PASSWORD'] },
        file: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return 2;
  }
  const usage = (): number => {
    console.error('usage: npm run audit -- --url URL --office CODE [--user LOGIN --password PASSWORD] [--json]');
    console.error('       npm run audit -- --file EXPORT.json [--json]');
    return 2;
  };
  let docs: RawDoc[];
  let source: string;
  const leaves = new Map<string, RawDoc[]>();
  try {
    if (values.file) {
      docs = readExport(readFileSync(values.file, 'utf8'));
      source = path.basename(values.file);
    } else if (values.url && values.office && /^[A-Za-z0-9]{2,16}$/.test(values.office)) {
      const office = values.office.toUpperCase();
      docs = await readServerEvents({ url: values.url, office, user: values.user, password: values.password }, leaves);
      source = `${officeDbName(office)} at ${values.url}`;
    } else return usage();
  } catch (e) {
    console.error(`could not read the events: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  const report = checkChains(docs, { leaves });
  const out = values.json
    ? [JSON.stringify({ ok: report.ok, devices: report.devices, findings: report.findings })]
    : formatReport(report, source);
  process.stdout.write(`${out.join('\n')}\n`);
  return report.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = await main(process.argv.slice(2));
