// `hookwire run` over programs that fork: the processes are one run. The summary's row of a site
// is the exact sum over every process, with each process apart; a process ended by SIGTERM still
// counts, one ended by SIGKILL is named as missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cli, spawnNode } from '../control/helpers.ts';
import { expectedOf, fixtures, runJson, SITE, WORK } from './helpers.ts';

test('cluster, 3 workers ended by worker.kill(): the total is the exact number of calls, each worker has its row, percentiles merged', async () => {
  const { json, stdout } = await runJson('cluster.cjs', ['--probe', `${WORK}=count,latency`], { WORKERS: '3', CALLS: '10', PRIMARY_CALLS: '2' });
  const expected = expectedOf(stdout);
  assert.equal(expected, 2 + 10 + 20 + 30);
  assert.equal(json.sites.length, 1);
  const site = json.sites[0]!;
  assert.equal(site.site, SITE);
  assert.equal(site.hits, expected);
  // The primary's 2, and one row per worker with its own exact count.
  const parts = site.processes!;
  assert.equal(parts.length, 4);
  const first = parts.find((p) => p.first === true)!;
  assert.equal(first.hits, 2);
  assert.deepEqual(
    parts
      .filter((p) => p !== first)
      .map((p) => p.hits)
      .sort((a, b) => a - b),
    [10, 20, 30],
  );
  // Every process is in the run, the workers are the primary's children, and no summary is missing.
  assert.equal(new Set(json.agents.map((a) => a.run)).size, 1);
  assert.ok(json.agents.filter((a) => !a.first).every((a) => a.ppid === first.pid));
  assert.deepEqual(json.missing, []);
  // Durations from every process: a distribution each, the total's percentiles read from their sum.
  assert.ok(json.agents.every((a) => Object.values(a.distributions).flat().length > 0));
  assert.notEqual(site.p50Ms, null);
  assert.notEqual(site.p99Ms, null);
  assert.ok(site.p50Ms! <= site.p99Ms!);
  assert.ok(site.p99Ms! <= Math.max(...parts.map((p) => p.p99Ms!)) + 1e-9);
});

test('cluster, workers ended by worker.disconnect(): every worker summary is there', async () => {
  const { json, stdout } = await runJson('cluster.cjs', ['--probe', `${WORK}=count`], { WORKERS: '3', CALLS: '4', PRIMARY_CALLS: '1', END: 'disconnect' });
  assert.equal(json.sites[0]!.hits, expectedOf(stdout));
  assert.equal(json.sites[0]!.processes!.length, 4);
  assert.deepEqual(json.missing, []);
});

test('child_process.fork and a node child spawned with the inherited environment join the run', async () => {
  const { json, stdout } = await runJson('fork.cjs', ['--probe', `${WORK}=count`], { CHILD_CALLS: '4' });
  assert.equal(expectedOf(stdout), 12);
  assert.equal(json.sites[0]!.hits, 12);
  assert.deepEqual(
    json.sites[0]!.processes!.map((p) => [p.first === true, p.hits]),
    [
      [true, 3],
      [false, 4],
      [false, 5],
    ],
  );
});

test('a child ended by SIGTERM is still counted; one ended by SIGKILL is named as missing', async () => {
  const term = await runJson('sigterm.cjs', ['--probe', `${WORK}=count`]);
  const child = Number(/child (\d+) ended by SIGTERM/u.exec(term.stdout)?.[1]);
  assert.equal(term.json.sites[0]!.hits, 7);
  assert.equal(term.json.sites[0]!.processes!.find((p) => p.pid === child)?.hits, 6);
  assert.equal(term.json.agents.find((a) => a.pid === child)?.signal, 'SIGTERM');

  const kill = await runJson('sigterm.cjs', ['--probe', `${WORK}=count`], { KILL: '1' });
  const killed = Number(/child (\d+) ended by SIGKILL/u.exec(kill.stdout)?.[1]);
  assert.equal(kill.json.sites[0]!.hits, 1);
  assert.deepEqual(
    kill.json.missing.map((m) => [m.pid, m.running]),
    [[killed, false]],
  );
});

test('the table: the total row, then each process indented, the first marked; a missing process named', async () => {
  const child = spawnNode(
    [cli, 'run', '--probe', `${WORK}=count`, '--', join(fixtures, 'cluster.cjs')],
    { WORKERS: '2', CALLS: '3', PRIMARY_CALLS: '1', NO_COLOR: '1' },
    60_000,
  );
  child.proc.stdin!.end();
  assert.equal(await child.exited, 0, child.stderr());
  const lines = child.stderr().split('\n');
  const at = lines.findIndex((l) => l.startsWith(SITE));
  assert.equal(lines[at]!.slice(SITE.length).trim().split(/\s+/u)[0], '10');
  assert.match(lines[at + 1]!, /^ {2}pid \d+ \(first\)\s+1\s/u);
  assert.deepEqual(
    lines
      .slice(at + 2, at + 4)
      .map((l) => Number(/^ {2}pid \d+\s+(\d+)\s/u.exec(l)?.[1]))
      .sort(),
    [3, 6],
  );
  assert.ok(lines.includes("hookwire: 3 processes in this run; each site's row is their total"), child.stderr());

  const kill = spawnNode([cli, 'run', '--probe', `${WORK}=count`, '--', join(fixtures, 'sigterm.cjs')], { KILL: '1', NO_COLOR: '1' }, 60_000);
  kill.proc.stdin!.end();
  assert.equal(await kill.exited, 0, kill.stderr());
  assert.match(kill.stderr(), /hookwire \[\d+\]: \S+sigterm\.cjs child ended without a summary \(killed by SIGKILL\?\): its counts are not in the table/u);
});
