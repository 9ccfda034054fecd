// Issue 11, defect 1: ES module live bindings under hookwire/register. The example (an
// exported `let` changed by an exported setter) reads the same through a static import, the
// namespace and import() with and without the loader; a probed module keeps every export live,
// probed or not, and removal gives the original back.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SET = './test/fixtures/probe-modules/esm/mod.mjs#set';

function run(loader: boolean, spec?: string): Record<string, unknown> {
  const args = [...(loader ? ['--import', './dist/probe/register.js'] : []), 'test/fixtures/probe-modules/esm/live.mjs'];
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['HOOKWIRE_SPEC'];
  if (spec !== undefined) env['HOOKWIRE_SPEC'] = spec;
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', env });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
}

test('the issue example: set(2) is seen by the importer, the namespace and import(), plain and with the loader', () => {
  const plain = run(false);
  assert.deepEqual(plain, { binding: 2, namespace: 2, dynamic: 2 });
  assert.deepEqual(run(true), plain);
});

test('a probed module keeps its other exports live: the probed setter changes the binding every importer reads', () => {
  // The probe multiplies the argument by 10: set(2) stores 20, seen everywhere; after removal set(3) stores 3.
  assert.deepEqual(run(true, SET), { binding: 20, namespace: 20, dynamic: 20, status: 'attached', hits: 1, afterRemove: [3, 3] });
});
