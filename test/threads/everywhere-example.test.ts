// The example of docs/threads.md ("Every thread from the API") runs as the docs say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from '../control/helpers.ts';
import { fixtures } from './helpers.ts';

test('the docs example: armed in 3 threads, each logs its own call once, then disarmed everywhere', async () => {
  const { code, stdout, stderr } = await runCli(['run', '--', join(fixtures, 'everywhere-example.mjs')]);
  assert.equal(code, 0, stderr);
  const lines = stdout.trim().split('\n');
  assert.equal(lines[0], 'armed in 3 threads');
  assert.equal(lines[1], 'thread 0: SELECT 1');
  // The two workers, each once, in either order.
  const workers = lines.slice(2).map((l) => /^thread (\d+): SELECT 2$/u.exec(l)?.[1]);
  assert.equal(workers.length, 2, stdout);
  assert.ok(
    workers.every((id) => id !== undefined && id !== '0'),
    stdout,
  );
  assert.notEqual(workers[0], workers[1]);
});
