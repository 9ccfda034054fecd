// A program started with the agent serves its control socket once its event loop runs (issue 8).
// A command that takes its PID before then waits for the socket (up to 2 s) rather than refusing
// it as a process whose agent is elsewhere.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { root, runCli, spawnNode, tempDir, until } from '../control/helpers.ts';

test('hookwire ls PID while the program has not served its socket yet: waits for it, then lists', async () => {
  using dir = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: dir.path, NO_COLOR: '1' };
  const program = spawnNode(['--import', join(root, 'dist/control/agent.js'), join(root, 'test/fixtures/startup/busy-first.cjs')], env);
  try {
    await until(() => program.stdout().includes('busy'), 'the program');
    const pid = program.proc.pid!;
    // Still in its first turn: no socket yet.
    assert.equal(existsSync(join(dir.path, `${pid}.sock`)), false);
    const ls = await runCli(['ls', String(pid)], env);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /no attachments/u);
    assert.doesNotMatch(ls.stderr, /ERR_ATTACH_REFUSED|brought it in/u);
  } finally {
    program.proc.kill();
  }
});
