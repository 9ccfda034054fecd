// How `--require` and `--import` preloads, NODE_OPTIONS, a worker's own `execArgv` and `env`, and
// loader hooks (`module.register`, `module.registerHooks`) reach worker threads on the Node line
// running the tests (run the suite on 20, 22 and 24: the answers were the same on all three).
// The thread agent's preload is chosen by these answers (src/control/threads/thread-preload.cts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../control/helpers.ts';

const dir = join(root, 'test/threads/fixtures/reach');
const pre = `--require ${join(dir, 'pre.cjs')} --import ${join(dir, 'pre.mjs')} --import ${join(dir, 'hooks.mjs')}`;

interface WorkerSaw {
  reach: string[];
  target: string;
}
type Report = Record<string, WorkerSaw> & { main: { reach: string[] }; nested: { outer: string[]; inner: WorkerSaw } };

function run(how: 'NODE_OPTIONS' | 'argv' | 'runtime', hooks: 'none' | 'register' | 'registerHooks'): Report {
  const env: NodeJS.ProcessEnv = { ...process.env, REACH_HOOKS: hooks };
  delete env['NODE_OPTIONS'];
  const args = ['--no-warnings'];
  if (how === 'NODE_OPTIONS') env['NODE_OPTIONS'] = pre;
  else if (how === 'argv') args.push(...pre.split(' '));
  else env['REACH_RUNTIME'] = pre;
  const result = spawnSync(process.execPath, [...args, join(dir, 'main.mjs')], { env, encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Report;
}

/** Which preloads ran in a worker: 'require', 'import', both, or none. */
function kinds(reach: readonly string[]): string[] {
  return [...new Set(reach.map((r) => r.split('@')[0]!.replace('-done', '')))].sort();
}

const STARTS = ['default', 'execArgv: []', 'execArgv: [--no-warnings]', 'env: {}', 'env: SHARE_ENV'] as const;

test('--import preloads never run in worker threads, however the worker is started', () => {
  for (const how of ['NODE_OPTIONS', 'argv'] as const) {
    const report = run(how, 'none');
    assert.deepEqual(kinds(report.main.reach), ['import', 'require']);
    for (const start of STARTS) assert.ok(!kinds(report[start]!.reach).includes('import'), `${how}, ${start}`);
    assert.ok(!kinds(report.nested.outer).includes('import'));
    assert.ok(!kinds(report.nested.inner.reach).includes('import'));
  }
});

test('a --require in NODE_OPTIONS at start reaches every worker, nested ones and those with their own execArgv, unless the worker gets an env without NODE_OPTIONS', () => {
  const report = run('NODE_OPTIONS', 'none');
  for (const start of STARTS) assert.deepEqual(kinds(report[start]!.reach), start === 'env: {}' ? [] : ['require'], start);
  assert.deepEqual(kinds(report.nested.outer), ['require']);
  assert.deepEqual(kinds(report.nested.inner.reach), ['require']);
});

test('a --require on the command line reaches workers that inherit execArgv, not those given their own', () => {
  const report = run('argv', 'none');
  for (const start of STARTS) assert.deepEqual(kinds(report[start]!.reach), start.startsWith('execArgv') ? [] : ['require'], start);
  assert.deepEqual(kinds(report.nested.inner.reach), ['require']);
});

test('NODE_OPTIONS changed by the running program reaches only workers given their own execArgv', () => {
  const report = run('runtime', 'none');
  for (const start of STARTS) assert.deepEqual(kinds(report[start]!.reach), start.startsWith('execArgv') ? ['require'] : [], start);
});

test("the main thread's loader hooks do not apply to a worker's imports", () => {
  for (const hooks of ['register', 'registerHooks'] as const) {
    const report = run('NODE_OPTIONS', hooks);
    for (const start of STARTS) assert.equal(report[start]!.target, 'plain', `${hooks}, ${start}`);
    assert.equal(report.nested.inner.target, 'plain');
  }
});
