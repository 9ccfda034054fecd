// Runs a real library's own test suite twice — plain, then with preload.mjs probing every function
// of the library — and compares the two runs test by test (docs/transparency.md). The runner's TAP
// output is the record: every result line's name, place in the tree and outcome (pass, fail, skip,
// todo) must be the same in both runs, and so must each process's exit code.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const PRELOAD = './test/transparency/preload.mjs';
/** A run that takes longer than this is stuck (every suite takes seconds). */
const TIMEOUT_MS = 120_000;

/**
 * The processes one run of `suite` consists of: tape and mocha take every file in one process;
 * node:test files are run one process per file, as `node --test` does.
 * @param {import('./suites.mjs').Suite} suite
 */
export function commands(suite) {
  if (suite.runner === 'tape') return [['node_modules/tape/bin/tape', ...suite.files]];
  // --timeout 0: the probed run is slower, and a runner's own time limit is not what is compared.
  if (suite.runner === 'mocha')
    return [['node_modules/mocha/bin/mocha.js', '--no-config', '--no-package', '--reporter', 'tap', '--timeout', '0', ...suite.files]];
  return suite.files.map((file) => ['--test-reporter=tap', file]);
}

/**
 * Runs `suite` once. With `probed`, every process gets the preload and writes its report.
 * @returns {{ results: Result[], exits: (number | null)[], ms: number, reports: object[], output: string }}
 */
export function runOnce(suite, { root, probed, esmSpecs = false, codegen = process.env.HOOKWIRE_CODEGEN ?? 'on' }) {
  const scratch = mkdtempSync(join(tmpdir(), 'hookwire-transparency-'));
  try {
    const results = [];
    const exits = [];
    const reports = [];
    let output = '';
    let ms = 0;
    commands(suite).forEach((args, i) => {
      const out = join(scratch, `report-${i}.json`);
      const env = { ...process.env, HOOKWIRE_CODEGEN: codegen, NO_COLOR: '1', FORCE_COLOR: '0' };
      // Not a child of another runner: node:test would report to it instead of printing TAP.
      delete env.NODE_OPTIONS;
      delete env.NODE_TEST_CONTEXT;
      if (probed) {
        Object.assign(env, {
          HOOKWIRE_TRANSPARENCY_SUITE: suite.name,
          HOOKWIRE_TRANSPARENCY_OUT: out,
          HOOKWIRE_TRANSPARENCY_ESM_SPECS: esmSpecs ? '1' : '0',
        });
      }
      const argv = probed ? ['--import', PRELOAD, ...args] : args;
      const started = performance.now();
      const child = spawnSync(process.execPath, argv, { cwd: root, env, encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
      ms += performance.now() - started;
      exits.push(child.status ?? child.signal);
      output += child.stdout + (child.status === 0 ? '' : child.stderr);
      results.push(...parseTap(child.stdout, suite.runner, i));
      if (probed) reports.push(readReport(out, child.stderr));
    });
    return { results, exits, ms, reports, output };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * @typedef {{ path: string[], status: 'pass' | 'fail' | 'skip' | 'todo' }} Result
 * One TAP result line: its name under its ancestors (node:test's subtests, tape's test header,
 * the process it came from) and its outcome.
 */

/** Parses TAP from tape (assertions under `# test name` headers), mocha and node:test (indented subtests). */
export function parseTap(text, runner, processIndex) {
  const results = [];
  const stack = [];
  let header = '';
  let yamlIndent = -1;
  let ended = false;
  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length;
    if (yamlIndent >= 0) {
      if (indent === yamlIndent && line.trim() === '...') yamlIndent = -1;
      continue;
    }
    if (line.trim() === '---') {
      yamlIndent = indent;
      continue;
    }
    const subtest = /^\s*# Subtest: (.*)$/.exec(line);
    if (subtest) {
      stack[indent / 4] = subtest[1];
      stack.length = indent / 4 + 1;
      continue;
    }
    if (runner === 'tape' && indent === 0 && !ended) {
      if (/^1\.\.\d+$/.test(line)) ended = true;
      const h = /^# (.*)$/.exec(line);
      if (h) {
        header = h[1];
        continue;
      }
    }
    const r = /^\s*(not ok|ok) \d+(?: - )?(.*?)(?: # (SKIP|TODO)\b.*)?$/i.exec(line);
    if (!r) continue;
    const status = r[3] ? (r[3].toUpperCase() === 'SKIP' ? 'skip' : 'todo') : r[1] === 'ok' ? 'pass' : 'fail';
    const name = (r[2] ?? '').trim();
    const path = runner === 'tape' ? [header, name] : runner === 'node:test' ? [...stack.slice(0, indent / 4), name] : [name];
    results.push({ path: [String(processIndex), ...path], status });
  }
  return results;
}

/** The per-test differences between two runs (empty: they agree test by test). */
export function diverge(plain, probed) {
  const out = [];
  const n = Math.max(plain.results.length, probed.results.length);
  for (let i = 0; i < n; i++) {
    const a = plain.results[i];
    const b = probed.results[i];
    if (a === undefined || b === undefined || a.status !== b.status || JSON.stringify(a.path) !== JSON.stringify(b.path)) {
      out.push({ index: i, plain: a ?? null, probed: b ?? null });
    }
  }
  plain.exits.forEach((code, i) => {
    if (code !== probed.exits[i]) out.push({ process: i, plainExit: code, probedExit: probed.exits[i] });
  });
  return out;
}

/** What a suite's probed processes reported, added up. */
export function sumReports(reports) {
  const errors = reports.filter((r) => r.error !== undefined).map((r) => r.error);
  const ok = reports.filter((r) => r.error === undefined);
  const sum = (f) => ok.reduce((a, r) => a + f(r), 0);
  return {
    errors,
    functions: Math.max(0, ...ok.map((r) => r.functions)),
    slots: Math.max(0, ...ok.map((r) => r.slots)),
    probes: Math.max(0, ...ok.map((r) => r.probes)),
    skipped: [...new Set(ok.flatMap((r) => r.skipped))],
    hits: sum((r) => r.hits),
    faults: sum((r) => r.faults + Object.values(r.observers).reduce((a, o) => a + o.faults, 0)),
    missed: sum((r) => r.missed),
    notAttached: sum((r) => r.notAttached),
    assertFailures: sum((r) => r.observers.assert?.failures ?? 0),
    traceLost: sum((r) => r.observers.trace?.lost ?? 0),
    removed: ok.length === reports.length && ok.every((r) => r.removed),
    unrestored: [...new Set(ok.flatMap((r) => r.unrestored))],
    runnerCheck: {
      functions: Math.max(0, ...ok.map((r) => r.runner.functions)),
      wrapped: sum((r) => r.runner.wrapped),
      probed: sum((r) => r.runner.probed),
    },
  };
}

/**
 * Runs `suite` plain, then probed, and compares. Counts are the plain run's: `tests` are the
 * test cases (tape: its `# name` tests; mocha and node:test: leaf tests), `results` every TAP line.
 */
export function compareSuite(suite, options) {
  const plain = runOnce(suite, { ...options, probed: false });
  const probed = runOnce(suite, { ...options, probed: true });
  // A node:test suite (describe) reports a result line after its children: only leaves are tests.
  const parents = new Set(plain.results.flatMap((r) => r.path.slice(0, -1).map((_, i) => r.path.slice(0, i + 1).join('\0'))));
  const leaves = plain.results.filter((r) => !parents.has(r.path.join('\0')));
  const tests = suite.runner === 'tape' ? new Set(plain.results.map((r) => r.path.slice(0, 2).join('\0'))).size : leaves.length;
  const count = (run, status) => run.results.filter((r) => r.status === status).length;
  return {
    suite: suite.name,
    version: suite.version,
    format: suite.format,
    runner: suite.runner,
    esmSpecs: options.esmSpecs === true,
    tests,
    results: plain.results.length,
    plain: { pass: count(plain, 'pass'), fail: count(plain, 'fail'), skip: count(plain, 'skip') + count(plain, 'todo'), exits: plain.exits, ms: plain.ms },
    probed: {
      pass: count(probed, 'pass'),
      fail: count(probed, 'fail'),
      skip: count(probed, 'skip') + count(probed, 'todo'),
      exits: probed.exits,
      ms: probed.ms,
    },
    ratio: probed.ms / plain.ms,
    divergences: diverge(plain, probed),
    ...sumReports(probed.reports),
    output:
      plain.results.length === 0 || probed.results.length === 0 ? { plain: plain.output.slice(-2000), probed: probed.output.slice(-2000) } : undefined,
  };
}

function readReport(file, stderr) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { error: `no report from the preload; stderr: ${stderr.slice(-1000)}` };
  }
}
