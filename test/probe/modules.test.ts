// Module exports by spec, in child processes: CommonJS and builtins attach at once (seen by
// require, and by ESM imports made after the probe), ES modules wait for the loader
// (`hookwire/register`) and attach when they load, removal restores every binding; without the
// loader ESM specs fail clearly.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function run(script: string, loader: boolean): Record<string, unknown> {
  const args = [
    '--import',
    'tsx',
    '--import',
    './test/setup.ts',
    ...(loader ? ['--import', './src/probe/register.ts'] : []),
    `test/fixtures/probe-modules/${script}`,
  ];
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env } });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
}

test('an ES module probed before it loads is pending, then attached for static and dynamic importers', () => {
  const out = run('app-esm.mjs', true);
  assert.deepEqual(out, {
    before: 'pending',
    after: 'attached',
    staticBinding: 'HELLO A',
    namespace: 'HELLO B',
    againStatus: 'attached',
    hits: 2,
    removed: true,
    restored: 'hello c',
    wrongPath: 'ERR_PROBE_TARGET',
  });
});

test('CommonJS and builtin specs attach at once, reach require and ESM importers alike, and follow fresh instances', () => {
  const out = run('app-cjs.mjs', true);
  assert.deepEqual(out, {
    status: ['attached', 'attached'],
    cjsQuery: '[cjs:select]',
    cjsAdd: 101,
    esmQuery: '[esm:select]',
    esmAdd: 101,
    esmSeesWrapper: true,
    reads: 2,
    fsRestored: true,
    freshIsNew: true,
    freshAdd: 101,
    hitsAcrossInstances: 3,
    freshRestored: 3,
    requireRestored: true,
    cjsRestored: true,
    esmRestored: 3,
    esmNamespace: 'copy made while probed',
  });
});

test('without hookwire/register an ES module spec fails with ERR_PROBE_LOADER; CommonJS still works', () => {
  assert.deepEqual(run('app-noloader.mjs', false), { esm: 'ERR_PROBE_LOADER', cjs: 30 });
});
