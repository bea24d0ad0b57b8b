// `npm test`: typecheck, lint, unit tests, build, end-to-end tests — every step runs, the summary
// says what passed, and the exit code is non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { electronBinaryPath, projectRoot } from './electron-binary.mjs';

const bin = (pkg, file) => path.join(projectRoot, 'node_modules', pkg, file);
const results = path.join(projectRoot, 'test-results');
rmSync(path.join(results, 'vitest.json'), { force: true });
rmSync(path.join(results, 'playwright.json'), { force: true });
mkdirSync(results, { recursive: true });

const steps = [];
function run(name, file, args, env = {}) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [file, ...args], {
    cwd: projectRoot,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  const ok = r.status === 0;
  steps.push({ name, ok, seconds: Math.round((Date.now() - started) / 100) / 10 });
  return ok;
}

run('typecheck', bin('typescript', 'bin/tsc'), ['--noEmit', '-p', 'tsconfig.json']);
run('lint', bin('eslint', 'bin/eslint.js'), ['--max-warnings', '0', '.']);
run('format', bin('prettier', 'bin/prettier.cjs'), ['--check', '--log-level', 'warn', '.']);
run('unit', bin('vitest', 'vitest.mjs'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${path.join(results, 'vitest.json')}`,
]);
const built = run('build', bin('electron-vite', 'bin/electron-vite.js'), ['build', '--logLevel', 'warn']);
if (built) {
  if (!electronBinaryPath()) {
    process.stdout.write(
      '\n[kense] Electron e2e tests will be SKIPPED: the Electron binary is not installed on this machine\n' +
        '        (node_modules/electron has no dist/). They run wherever Electron could be downloaded.\n',
    );
  }
  run('e2e', bin('@playwright/test', 'cli.js'), ['test']);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** A page snapshot or a note, as the report keeps it: inline (base64) or in a file. */
function attachmentText(a) {
  try {
    if (a.body) return Buffer.from(a.body, 'base64').toString('utf8');
    if (a.path) return readFileSync(a.path, 'utf8');
  } catch {
    // gone with the results folder
  }
  return '';
}

/** A text quoted under a heading of the report, its first `max` lines. */
function quoted(heading, text, max) {
  const lines = text.split('\n');
  const shown = lines.slice(0, max).map((l) => `    | ${l}`);
  if (lines.length > max) shown.push(`    | … ${lines.length - max} more lines`);
  return `    ${heading}:\n${shown.join('\n')}\n`;
}

/**
 * Each failed e2e test again, with what its page showed (Playwright's error context: the page's
 * accessibility snapshot) and what the pages reported as errors (tests/e2e/fixtures.ts): on CI the
 * log is all there is to read, the screenshots stay on the machine.
 */
function e2eFailures(results) {
  const out = [];
  const walk = (suite, trail) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'unexpected') continue;
        const last = t.results?.[t.results.length - 1];
        let report = `\n  FAILED ${[...trail, spec.title].join(' › ')} (${spec.file}:${spec.line})\n`;
        for (const a of last?.attachments ?? []) {
          if (!['error-context', 'browser-errors'].includes(a.name)) continue;
          const body = attachmentText(a);
          // The error context repeats the error (printed below) before the page's snapshot.
          const snapshot = a.name === 'error-context' ? body.indexOf('```yaml') : -1;
          report += quoted(a.name, snapshot >= 0 ? body.slice(snapshot) : body, 80);
        }
        // The error itself last, nearest the log's tail: the list reporter printed it far above, in
        // the part of a CI log that is often cut.
        for (const error of last?.errors ?? []) {
          const at = error.location
            ? ` at ${path.relative(projectRoot, error.location.file)}:${error.location.line}`
            : '';
          // Playwright's messages carry terminal colours: noise in a CI log.
          report += quoted(`error${at}`, stripVTControlCharacters(error.message ?? error.value ?? ''), 12);
        }
        out.push(report);
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...trail, child.title]);
  };
  for (const suite of results.suites ?? []) walk(suite, []);
  return out;
}

let passed = 0;
let failed = 0;
let skipped = 0;
const unit = readJson(path.join(results, 'vitest.json'));
if (unit) {
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
  skipped += (unit.numPendingTests ?? 0) + (unit.numTodoTests ?? 0);
  process.stdout.write(`\nunit: ${unit.numPassedTests} passed, ${unit.numFailedTests} failed\n`);
  // The failures' names again at the end: a CI log is often read from its tail only.
  for (const file of unit.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'failed') {
        process.stdout.write(`  FAILED ${path.relative(projectRoot, file.name)} › ${t.fullName}\n`);
        const first = (t.failureMessages ?? [])[0];
        if (first) process.stdout.write(`    ${first.split('\n').slice(0, 3).join('\n    ')}\n`);
      }
    }
  }
}
const e2e = existsSync(path.join(results, 'playwright.json')) ? readJson(path.join(results, 'playwright.json')) : null;
if (e2e?.stats) {
  const s = e2e.stats;
  passed += s.expected + (s.flaky ?? 0);
  failed += s.unexpected;
  skipped += s.skipped;
  process.stdout.write(`e2e: ${s.expected + (s.flaky ?? 0)} passed, ${s.unexpected} failed, ${s.skipped} skipped\n`);
  for (const failure of e2eFailures(e2e)) process.stdout.write(failure);
}
process.stdout.write(
  '\nsteps: ' + steps.map((s) => `${s.name} ${s.ok ? 'ok' : 'FAILED'} (${s.seconds}s)`).join(', ') + '\n',
);
const stepFailures = steps.filter((s) => !s.ok).length;
// A failed step without a test count of its own (typecheck, lint, build) still counts as a failure.
const extraFailures = steps.filter((s) => !s.ok && !['unit', 'e2e'].includes(s.name)).length;
process.stdout.write(`total: ${passed} passed, ${failed + extraFailures} failed, ${skipped} skipped\n`);
process.exit(stepFailures > 0 || failed > 0 ? 1 : 0);
