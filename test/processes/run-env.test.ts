// The agent's run environment (src/control/processes/membership.ts): a malformed HOOKWIRE_RUN is
// reported in one line and ignored, the program runs; a malformed HOOKWIRE_RUN_FIRST makes the
// process its run's first; the first process passes its pid on to the processes it forks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, spawnNode, tempDir } from '../control/helpers.ts';

const agent = join(root, 'dist/control/agent.js');

async function runAgent(
  env: Record<string, string>,
  code: string,
): Promise<{ stdout: string; stderr: string; summaries: { pid: number; run?: string; first?: boolean }[] }> {
  using dir = tempDir();
  const child = spawnNode(['--import', agent, '-e', code], { HOOKWIRE_SUMMARY_DIR: dir.path, HOOKWIRE_CONTROL: 'off', ...env });
  child.proc.stdin!.end();
  assert.equal(await child.exited, 0, child.stderr());
  const summaries = readdirSync(dir.path)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir.path, f), 'utf8')) as { pid: number; run?: string; first?: boolean });
  return { stdout: child.stdout(), stderr: child.stderr(), summaries };
}

test('a malformed HOOKWIRE_RUN: one line on stderr, no run in the summary, the program runs', async () => {
  for (const bad of ['has space', 'x'.repeat(65), '../up', 'a;b']) {
    const { stdout, stderr, summaries } = await runAgent({ HOOKWIRE_RUN: bad }, 'console.log("ran")');
    assert.equal(stdout, 'ran\n');
    assert.equal(stderr.match(/hookwire: HOOKWIRE_RUN must be 1 to 64 letters, digits, "-" or "_", got .*; ignored\n/gu)?.length, 1, stderr);
    assert.equal(summaries.length, 1);
    assert.equal(summaries[0]!.run, undefined);
  }
});

test('a valid run id is kept; a malformed HOOKWIRE_RUN_FIRST makes the process the first; the first passes its pid on', async () => {
  const code = 'console.log(process.pid, process.env.HOOKWIRE_RUN_FIRST)';
  for (const first of ['', 'abc', '0', '-5', '12345678901']) {
    const { stdout, summaries } = await runAgent({ HOOKWIRE_RUN: 'run_1-A', HOOKWIRE_RUN_FIRST: first }, code);
    const [pid, seen] = stdout.trim().split(' ');
    assert.equal(seen, pid, `HOOKWIRE_RUN_FIRST=${first}`);
    assert.deepEqual([summaries[0]!.run, summaries[0]!.first], ['run_1-A', true]);
  }
  // Another process's pid: this one is not the first, and leaves the variable as it was.
  const { stdout, summaries } = await runAgent({ HOOKWIRE_RUN_FIRST: '1' }, code);
  assert.equal(stdout.trim().split(' ')[1], '1');
  assert.equal(summaries[0]!.first, false);
});
