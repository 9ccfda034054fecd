// Issue 11, defect 1: ES module specs given after start. A module not loaded yet is transformed
// when it loads and the probe attaches then; a module loaded before any spec named it is a late
// ES module: a path below an export attaches through its namespace, an export itself through the
// breakpoint path (issue 10). A named module that shadows the globals the appended
// lines use still runs as it would without hookwire (its probe waits).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('specs after start: later modules attach when they load; late ES modules attach below an export or say why not', () => {
  const out = execFileSync(process.execPath, ['--import', './dist/probe/register.js', 'test/fixtures/probe-modules/esm/app-late.mjs'], {
    cwd: root,
    encoding: 'utf8',
  });
  const got = JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
  assert.deepEqual(got, {
    late: {
      method: ['attached', 'PUT 1'],
      // The export itself goes through the breakpoint path (issue 10): its first call hands the
      // binding over to the wrapper and runs unprobed (test/probe/breakpoint-export.test.ts).
      binding: ['attached', 'helper 1', null],
    },
    beforeLoad: 'pending',
    afterLoad: ['attached', 'LATER 2', 1],
    shadow: ['mine', 'pending'],
    removed: ['put 3', 'later 3'],
  });
});
