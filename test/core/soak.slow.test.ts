// The leak check of issue 2: scripts/soak.ts runs one million register/arm/disarm/deregister
// cycles in a child process with --expose-gc and fails if the heap grew more than 1 MiB.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

test('one million arm/disarm/register/deregister cycles leave the heap within 1 MiB', () => {
  const root = new URL('../../', import.meta.url).pathname;
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'scripts/soak.ts'], {
    cwd: root,
    encoding: 'utf8',
    env: process.env,
    timeout: 10 * 60_000,
  });
  assert.equal(result.status, 0, `soak failed:\n${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, /soak: 1000000 cycles .* limit 1024 KiB/);
});
