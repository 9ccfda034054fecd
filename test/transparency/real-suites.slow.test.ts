// Transparency on real suites (issue 11, docs/transparency.md): the own test suites of qs, minimist,
// punycode, js-yaml (CommonJS) and marked (ES module) run plain and with every function of the library
// probed (handlers of its own, count, latency, trace to the null device, an assert that always
// holds); both runs must agree test by test, every probed slot must be given back exactly, and no
// function of the runner or the tests may be touched. marked runs twice: its classes and objects
// probed directly, then also its module exports by spec through hookwire/register's loader.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Row {
  suite: string;
  format: 'commonjs' | 'module';
  esmSpecs: boolean;
  tests: number;
  results: number;
  plain: { pass: number; fail: number; skip: number; exits: (number | string)[] };
  probed: { pass: number; fail: number; skip: number; exits: (number | string)[] };
  divergences: unknown[];
  errors: string[];
  functions: number;
  slots: number;
  hits: number;
  faults: number;
  missed: number;
  notAttached: number;
  assertFailures: number;
  traceLost: number;
  removed: boolean;
  unrestored: string[];
  runnerCheck: { functions: number; wrapped: number; probed: number };
  problems: string[];
}

// The script exits 1 when a suite fails; its JSON says why, and the assertions below name it.
let out: string;
try {
  out = execFileSync(process.execPath, ['scripts/transparency.mjs', '--esm-specs', '--json'], { cwd: root, encoding: 'utf8', timeout: 170_000 });
} catch (error) {
  const stdout = (error as { stdout?: string }).stdout;
  out = typeof stdout === 'string' ? stdout : '';
  if (out.trim() === '') throw error;
}
const rows = JSON.parse(out) as Row[];

test('the suites: qs, minimist, punycode, js-yaml (CommonJS), marked (ES module, directly and by spec)', () => {
  assert.deepEqual(
    rows.map((r) => [r.suite, r.format, r.esmSpecs]),
    [
      ['qs', 'commonjs', false],
      ['minimist', 'commonjs', false],
      ['punycode', 'commonjs', false],
      ['js-yaml', 'commonjs', false],
      ['marked', 'module', false],
      ['marked', 'module', true],
    ],
  );
});

for (const row of rows) {
  const label = `${row.suite}${row.esmSpecs ? ' (ES module exports by spec)' : ''}`;
  test(`${label}: its own suite passes plain, and probed it agrees test by test`, () => {
    assert.ok(row.tests > 0 && row.results >= row.tests, `${row.tests} tests, ${row.results} results`);
    assert.equal(row.plain.fail, 0, 'the suite passes without hookwire');
    assert.ok(row.plain.exits.every((code) => code === 0));
    assert.deepEqual(row.divergences, []);
    const { pass, fail, skip, exits } = row.probed;
    assert.deepEqual({ pass, fail, skip, exits }, { pass: row.plain.pass, fail: row.plain.fail, skip: row.plain.skip, exits: row.plain.exits });
  });
  test(`${label}: every function was probed, hit, and given back exactly`, () => {
    assert.deepEqual(row.errors, []);
    assert.ok(row.functions > 0 && row.slots >= row.functions, `${row.functions} functions in ${row.slots} slots`);
    assert.ok(row.hits > 0, 'the probes saw the suite call the library');
    assert.equal(row.faults, 0, 'no handler or exit fault');
    assert.equal(row.missed, 0, 'no missed hit');
    assert.equal(row.notAttached, 0, 'every probe was attached while the suite ran (none left pending)');
    assert.equal(row.assertFailures, 0, 'the assert exit held');
    assert.equal(row.traceLost, 0, 'no trace record lost');
    assert.equal(row.removed, true, 'every probe removed cleanly');
    assert.deepEqual(row.unrestored, [], 'every slot has its original descriptor back');
  });
  test(`${label}: the runner's and the tests' functions were left alone`, () => {
    assert.ok(row.runnerCheck.functions > 0, 'the check saw runner functions');
    assert.equal(row.runnerCheck.wrapped, 0, 'no runner function is a probe wrapper');
    assert.equal(row.runnerCheck.probed, 0, 'no runner function was probed');
    assert.deepEqual(row.problems, []);
  });
}

/** The script on one suite with a sabotage of the preload's own (see preload.mjs): its exit status and row. */
function sabotaged(suite: string, how: string): { status: number; row: Row } {
  let status = 0;
  let stdout = '';
  try {
    stdout = execFileSync(process.execPath, ['scripts/transparency.mjs', '--suite', suite, '--json'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, HOOKWIRE_TRANSPARENCY_SABOTAGE: how },
    });
  } catch (error) {
    status = (error as { status?: number }).status ?? -1;
    stdout = String((error as { stdout?: string }).stdout);
  }
  return { status, row: (JSON.parse(stdout) as Row[])[0]! };
}

test('the check can fail: handlers that replace results make the suite diverge, and the script says so', () => {
  const { status, row } = sabotaged('minimist', '1');
  assert.equal(status, 1);
  assert.equal(row.plain.fail, 0);
  assert.ok(row.probed.fail > 0, 'the sabotaged run fails tests');
  assert.ok(row.divergences.length > 0);
  assert.ok(row.problems.some((p) => p.includes('divergence')));
});

test('the check can fail: a wrapper replaced by another patcher before removal leaves a slot unrestored, and the script says so', () => {
  const { status, row } = sabotaged('punycode', 'slot');
  assert.equal(status, 1);
  assert.deepEqual(row.divergences, []);
  assert.equal(row.removed, false, 'remove() reports the replaced wrapper');
  assert.equal(row.unrestored.length, 1);
  assert.ok(row.problems.some((p) => p.startsWith('unrestored:')));
});
