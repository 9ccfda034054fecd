// `hookwire ls` shows the processes of one run together (RUN, PARENT), and `hookwire ls PID` of a
// cluster primary lists the workers it started.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cli, runCli, spawnNode, tempDir, until } from '../control/helpers.ts';
import { fixtures } from './helpers.ts';

test('ls: a cluster primary and its workers share one run id, each worker names its parent; ls PID of the primary lists them', async () => {
  using dir = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: dir.path, WORKERS: '2', NO_COLOR: '1' };
  const run = spawnNode([cli, 'run', '--', join(fixtures, 'cluster-live.cjs')], env, 60_000);
  try {
    const workers = (await until(() => /ready ([\d,]+)/u.exec(run.stdout())?.[1], `the workers (stderr: ${run.stderr()})`, 30_000)).split(',').map(Number);
    const pids = await until(() => {
      const socks = readdirSync(dir.path).filter((f) => f.endsWith('.sock'));
      return socks.length === 3 ? socks.map((f) => Number(f.replace('.sock', ''))) : undefined;
    }, 'three agent sockets');
    const primary = pids.find((p) => !workers.includes(p))!;

    const ls = await runCli(['ls'], env);
    assert.equal(ls.code, 0, ls.stderr);
    const rows = ls.stdout
      .split('\n')
      .map((l) => l.trim().split(/\s+/u))
      .filter((cells) => pids.includes(Number(cells[0])));
    assert.equal(rows.length, 3, ls.stdout);
    // The run's first process first, then its workers; one run id; the workers' parent is the primary.
    assert.equal(Number(rows[0]![0]), primary);
    assert.match(rows[0]![1]!, /^[A-Za-z0-9]{6}$/u);
    assert.ok(rows.every((r) => r[1] === rows[0]![1]));
    assert.equal(rows[0]![2], '-');
    assert.deepEqual(
      rows.slice(1).map((r) => [Number(r[0]), Number(r[2])]),
      workers.sort((a, b) => a - b).map((w) => [w, primary]),
    );

    const json = JSON.parse((await runCli(['ls', '--json'], env)).stdout) as { pid: number; ppid: number; run?: string; runFirst?: number }[];
    assert.deepEqual(new Set(json.map((a) => a.runFirst)), new Set([primary]));

    const one = await runCli(['ls', String(primary)], env);
    assert.equal(one.code, 0, one.stderr);
    const section = one.stdout.slice(one.stdout.indexOf('processes of this run it started'));
    assert.ok(section.length > 0 && one.stdout.includes('processes of this run it started'), one.stdout);
    for (const w of workers) assert.match(section, new RegExp(`^\\s*${w}\\s+${primary}\\s`, 'mu'));
    // A worker started none.
    const worker = await runCli(['ls', String(workers[0])], env);
    assert.equal(worker.code, 0, worker.stderr);
    assert.doesNotMatch(worker.stdout, /processes of this run it started/u);
  } finally {
    run.proc.stdin!.end();
    assert.equal(await run.exited, 0, run.stderr());
  }
});
