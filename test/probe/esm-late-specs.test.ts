// Issue 11, defect 1: ES module specs given after start. A module not loaded yet is transformed
// when it loads and the probe attaches then; a module loaded before any spec named it is a late
// ES module: a path below an export attaches through its namespace, an export itself stays
// pending with a reason that says why. A named module that shadows the globals the appended
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
      binding: [
        'pending',
        'helper 1',
        './test/fixtures/probe-modules/esm/late-store.mjs was loaded before a spec named it, so its export "helper" cannot be replaced (name it at start with --probe, or probe a path below the export)',
      ],
    },
    beforeLoad: 'pending',
    afterLoad: ['attached', 'LATER 2', 1],
    shadow: ['mine', 'pending'],
    removed: ['put 3', 'later 3'],
  });
});
