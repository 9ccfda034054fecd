// `hookwire trace --pid` on a running program with worker threads: the records of calls in the
// workers arrive, each saying its thread (`thread` in JSON, `[w<id>]` in text lines); the main
// thread's lines are unchanged. `hookwire ls PID` lists the threads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, runCli, spawnNode, tempDir, until } from '../control/helpers.ts';
import { startLive, WORK } from './helpers.ts';

test(
  'trace --pid shows the workers calls, tagged with their thread, and removes its exits from every thread at the end',
  { timeout: 60_000 },
  async () => {
    using dir = tempDir();
    const program = await startLive(dir.path);
    const env = { HOOKWIRE_RUNTIME_DIR: dir.path };
    try {
      const pid = String(program.pid);
      const json = spawnNode([cli, 'trace', '--pid', pid, '--json', '--duration', '30', WORK], env);
      await until(() => json.stdout().split('\n').filter(Boolean).length >= 30, `thirty records (stderr: ${json.stderr()})`);
      json.proc.kill('SIGINT');
      assert.equal(await json.exited, 0, json.stderr());
      const records = json
        .stdout()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { site: string; thread?: number; args: unknown });
      assert.ok(records.every((r) => r.site === `probe:${WORK}`));
      // Only workers call work in this program: each record names one of them.
      assert.ok(records.every((r) => r.thread !== undefined && program.threads.includes(r.thread)));
      assert.equal(new Set(records.map((r) => r.thread)).size, 3, 'records from each of the three workers');
      const text = spawnNode([cli, 'trace', '-p', pid, '--duration', '1.5', WORK], env);
      assert.equal(await text.exited, 0, text.stderr());
      const lines = text.stdout().trim().split('\n');
      assert.ok(lines.length > 3);
      for (const line of lines) assert.match(line, /^\d\d:\d\d:\d\d\.\d{3} \[w\d+\] probe:\.\/test\/threads\/fixtures\/lib\.cjs#work \(/u);
      const table = await runCli(['ls', pid], env);
      assert.match(table.stdout, /^THREAD +PARENT +STATE +ATTACHMENTS +HITS$/mu);
      assert.match(table.stdout, /^main +- +live +0 +0$/mu);
      for (const t of program.threads) assert.match(table.stdout, new RegExp(`^w${t} +(main|w\\d+) +live +0 +\\d+$`, 'mu'));
      const ls = await runCli(['ls', pid, '--json'], env);
      const listing = JSON.parse(ls.stdout) as { attachments: unknown[]; threads: { thread: number; attachments: number }[] };
      assert.deepEqual(listing.attachments, [], 'the tracer removed its exits');
      assert.deepEqual(
        listing.threads.map((t) => [t.thread, t.attachments]).sort((a, b) => a[0]! - b[0]!),
        [...program.threads].sort((a, b) => a - b).map((t) => [t, 0]),
      );
    } finally {
      await program.stop();
    }
  },
);
