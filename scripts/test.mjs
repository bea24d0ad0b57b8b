// `npm test`: typecheck, lint, unit tests, build, end-to-end tests — every step runs, the summary
// says what passed, and the exit code is non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
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
}
process.stdout.write(
  '\nsteps: ' + steps.map((s) => `${s.name} ${s.ok ? 'ok' : 'FAILED'} (${s.seconds}s)`).join(', ') + '\n',
);
const stepFailures = steps.filter((s) => !s.ok).length;
// A failed step without a test count of its own (typecheck, lint, build) still counts as a failure.
const extraFailures = steps.filter((s) => !s.ok && !['unit', 'e2e'].includes(s.name)).length;
process.stdout.write(`total: ${passed} passed, ${failed + extraFailures} failed, ${skipped} skipped\n`);
process.exit(stepFailures > 0 || failed > 0 ? 1 : 0);
