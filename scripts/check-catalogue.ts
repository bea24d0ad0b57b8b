/**
 * Validates catalogue files and names every problem by service, variant, step and field.
 *   npx tsx scripts/check-catalogue.ts [file.json ...]   (default: all of shared/catalogue/services)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CatalogueError, formatIssue, parseService } from '../shared/catalogue/load';

const dir = path.resolve(import.meta.dirname, '..', 'shared', 'catalogue', 'services');
const files = process.argv.slice(2);
const targets =
  files.length > 0
    ? files
    : readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => path.join(dir, f));
let bad = 0;
for (const file of targets) {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    bad++;
    process.stdout.write(`${file}: not valid JSON: ${(e as Error).message}` + '\n');
    continue;
  }
  try {
    const s = parseService(raw);
    process.stdout.write(
      `ok ${s.id}@${s.version}: ${s.variants.length} variants, ${s.variants.reduce((n, v) => n + v.steps.length, 0)} steps` +
        '\n',
    );
  } catch (e) {
    if (!(e instanceof CatalogueError)) throw e;
    bad++;
    for (const issue of e.issues) process.stdout.write(`${path.basename(file)}: ${formatIssue(issue)}` + '\n');
  }
}
process.exit(bad > 0 ? 1 : 0);
