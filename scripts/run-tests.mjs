#!/usr/bin/env node
// Runs hookwire's tests with Node's test runner, twice: once with dispatchers generated as code,
// once in the eval-free closure mode (HOOKWIRE_CODEGEN=off), so both compile modes stay
// equivalent. It builds dist/ first (CLI and agent tests run the built files), so no test ever
// runs stale code, and it ends with one summary line for both modes.
//
//   node scripts/run-tests.mjs [filter…] [--slow] [--one-mode] [--no-build]
//
// Filters pick test files by substring of their path (`npm test -- probe`). Files named
// `*.slow.test.ts` (soak, benchmark smoke run, transparency on real libraries) run only with
// --slow (`npm run test:slow`); CI runs both sets.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const argv = process.argv.slice(2);
const known = new Set(['--slow', '--one-mode', '--no-build']);
const unknown = argv.filter((a) => a.startsWith('--') && !known.has(a));
if (unknown.length > 0) {
  console.error(`run-tests: unknown option ${unknown[0]} (known: ${[...known].join(', ')})`);
  process.exit(2);
}
const filters = argv.filter((a) => !a.startsWith('--'));
const slow = argv.includes('--slow');
const modes = argv.includes('--one-mode') ? ['on'] : ['on', 'off'];

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : find(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = find(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => f.endsWith('.slow.test.ts') === slow)
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`run-tests: no ${slow ? 'slow ' : ''}test file matches ${filters.join(' ') || '(no filter)'}`);
  process.exit(2);
}

const started = Date.now();
if (!argv.includes('--no-build')) {
  console.log('== building dist/ (tests of the CLI and the agent run the built files) ==');
  // tsc, then the bundle the package ships (scripts/bundle.mjs): what the tests run is what users get.
  const steps = [[join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], [join(root, 'scripts/bundle.mjs')]];
  let build = { status: 0 };
  for (const step of steps) if (build.status === 0) build = spawnSync(process.execPath, step, { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('run-tests: the build failed; no test ran');
    process.exit(1);
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'hookwire-tests-'));
const perMode = [];
for (const mode of modes) {
  console.log(`\n== hookwire ${slow ? 'slow ' : ''}tests, code generation ${mode} (${files.length} files) ==`);
  const countsFile = join(scratch, `counts-${mode}.json`);
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './test/setup.ts',
      '--test',
      '--test-concurrency=2',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=./scripts/test-summary-reporter.mjs',
      `--test-reporter-destination=${countsFile}`,
      ...files,
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, HOOKWIRE_CODEGEN: mode } },
  );
  perMode.push({ mode, status: result.status, signal: result.signal, counts: readCounts(countsFile) });
}
rmSync(scratch, { recursive: true, force: true });

const total = { pass: 0, fail: 0, skip: 0, todo: 0 };
for (const { counts } of perMode) for (const k of Object.keys(total)) total[k] += counts?.[k] ?? 0;
// A runner that died without reporting is a failure even if no single test failed.
const broken = perMode.filter((m) => m.status !== 0 && (m.counts === undefined || m.counts.fail === 0));
const failed = total.fail > 0 || perMode.some((m) => m.status !== 0);
const modesText = perMode
  .map((m) => `codegen ${m.mode}: ${m.counts ? `${m.counts.pass} passed, ${m.counts.fail} failed` : `no report (${m.signal ?? `exit ${m.status}`})`}`)
  .join('; ');
const extras = [total.skip && `${total.skip} skipped`, total.todo && `${total.todo} todo`, broken.length && `${broken.length} run(s) ended abnormally`]
  .filter(Boolean)
  .join(', ');
console.log(
  `\nhookwire ${slow ? 'slow ' : ''}tests ${failed ? 'FAILED' : 'passed'}: ${total.pass} passed, ${total.fail} failed${extras ? `, ${extras}` : ''} ` +
    `(${files.length} files × ${perMode.length} compile mode${perMode.length === 1 ? '' : 's'}: ${modesText}) in ${((Date.now() - started) / 1000).toFixed(0)} s, Node ${process.versions.node}`,
);
const failures = perMode.flatMap(({ mode, counts }) => (counts?.failures ?? []).map((f) => ({ mode, ...f })));
if (failures.length > 0 || broken.length > 0) {
  const lines = [
    ...failures.map((f) => `  codegen ${f.mode}: ${relative(root, f.file) || '?'} › ${f.name}\n      ${f.error}`),
    ...broken.map((m) => `  codegen ${m.mode}: the test runner ended (${m.signal ?? `exit ${m.status}`}) with no failed test reported`),
  ];
  console.log(`failed tests:\n${lines.join('\n')}`);
  // CI (.ci/run) collects these from every Node line and prints them after its table.
  const log = process.env.HOOKWIRE_FAILURES_LOG;
  if (log) appendFileSync(log, lines.map((l) => `Node ${process.versions.node}${slow ? ' (slow)' : ''} ${l.trimStart()}\n`).join(''));
}
process.exit(failed ? 1 : 0);

function readCounts(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8').trim().split('\n').pop());
  } catch {
    return undefined;
  }
}
