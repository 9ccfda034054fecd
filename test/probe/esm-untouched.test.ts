// Issue 11, defect 1: a module that no spec names loads exactly as without hookwire. Its load
// result is the file's bytes (checked by a module hook registered after hookwire's), a function's
// source text, import.meta and the namespace's keys are the same, and modules run in the same
// order; a named module (with top-level await and a re-export) only has lines appended.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const D = 'test/fixtures/probe-modules/esm';
const LOADER = ['--import', './dist/probe/register.js'];
const CHECK = ['--import', `./${D}/source-check.mjs`];

function run(args: string[], script: string, spec?: string): unknown {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['HOOKWIRE_SPEC'];
  if (spec !== undefined) env['HOOKWIRE_SPEC'] = spec;
  const out = execFileSync(process.execPath, [...args, `${D}/${script}`], { cwd: root, encoding: 'utf8', env });
  return JSON.parse(out.trim().split('\n').pop()!) as unknown;
}

test('an unnamed module: same source text, import.meta and namespace; its load result is the file unchanged', () => {
  const plain = run([], 'app-untouched.mjs') as Record<string, unknown>;
  assert.match(String(plain['text']), /a comment inside/u);
  const loaded = run([...LOADER, ...CHECK], 'app-untouched.mjs') as Record<string, unknown>;
  const { sources, ...seen } = loaded;
  assert.deepEqual(seen, plain);
  assert.deepEqual(sources, { 'app-untouched.mjs': 'same', 'untouched.mjs': 'same' });
});

test('evaluation order is the same plain, with the loader, and with a spec naming a module with top-level await', () => {
  const plain = run([], 'order-main.mjs');
  assert.deepEqual(plain, ['main-start', 'a', 'b', 'c(ba)', 'main-end']);
  assert.deepEqual(run(LOADER, 'order-main.mjs'), plain);
  assert.deepEqual(run([...LOADER, ...CHECK], 'order-main.mjs', `./${D}/order-b.mjs#b`), {
    order: ['main-start', 'a', 'b', 'c(ba)', 'main-end:attached'],
    sources: { 'order-main.mjs': 'same', 'order-a.mjs': 'same', 'order-b.mjs': 'appended', 'order-c.mjs': 'same' },
  });
});
