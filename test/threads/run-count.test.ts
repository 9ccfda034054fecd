// `hookwire run --probe lib.cjs#work=count` over programs with worker threads: the summary counts
// every call, in the main thread and in every worker (a piscina pool whose idle workers block in
// Atomics.wait and are terminated at the end; plain workers, one nested, one with its own execArgv).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cli, spawnNode } from '../control/helpers.ts';
import { fixtures, WORK } from './helpers.ts';

interface RunJson {
  sites: { site: string; kind: string; hits: number; p50Ms: number | null }[];
  agents: {
    attachments: {
      type: string;
      report: { sites: Record<string, { count?: number; p99Ms?: number | null }> } | null;
      threads?: { thread: number; stats: { hits: number }; ended?: boolean }[];
    }[];
  }[];
}

async function runCount(program: string, env: Record<string, string> = {}, exits = 'count', spec = WORK): Promise<{ expected: number; json: RunJson }> {
  const child = spawnNode([cli, 'run', '--json', '--probe', `${spec}=${exits}`, '--', join(fixtures, program)], env, 60_000);
  child.proc.stdin!.end();
  const code = await child.exited;
  assert.equal(code, 0, child.stderr());
  const lines = child.stdout().trim().split('\n');
  const expected = Number(/expected (\d+)/u.exec(child.stdout())?.[1]);
  return { expected, json: JSON.parse(lines[lines.length - 1]!) as RunJson };
}

test('a piscina pool: the count is the exact number of calls across the main thread and every pool thread', async () => {
  const { expected, json } = await runCount('piscina-pool.mjs', { TASKS: '24', CALLS: '7' });
  assert.equal(expected, 5 + 24 * 7);
  assert.deepEqual(
    json.sites.map((s) => [s.site, s.hits]),
    [[`probe:${WORK}`, expected]],
  );
  const parts = json.agents[0]!.attachments[0]!.threads!;
  // Each thread apart: the main thread's 5 calls, and the pool threads' calls adding up to the rest.
  assert.equal(parts.find((p) => p.thread === 0)?.stats.hits, 5);
  assert.ok(parts.length >= 2, JSON.stringify(parts));
  assert.equal(
    parts.reduce((n, p) => n + p.stats.hits, 0),
    expected,
  );
});

test('plain worker_threads, nested and with their own execArgv: the exact number of calls, each thread apart, durations from every thread', async () => {
  const { expected, json } = await runCount('plain-pool.mjs', { WORKERS: '3', CALLS: '40' }, 'count,latency');
  assert.equal(expected, 7 + 4 * 40);
  assert.equal(json.sites[0]!.hits, expected);
  const parts = json.agents[0]!.attachments[0]!.threads!;
  // The main thread 7, four workers 40 each, and the worker that only starts the nested one: 0.
  assert.deepEqual(
    parts.map((p) => p.stats.hits).sort((a, b) => a - b),
    [0, 7, 40, 40, 40, 40],
  );
  assert.ok(parts.filter((p) => p.thread !== 0).every((p) => p.ended === true));
  // The latency exit measured every call too, in every thread (each worker's last report, left as it ended).
  const latency = json.agents[0]!.attachments.find((a) => a.type === 'latency')!;
  assert.equal(latency.report!.sites[`probe:${WORK}`]!.count, expected);
  assert.notEqual(latency.report!.sites[`probe:${WORK}`]!.p99Ms, null);
});

test('an ES module only a worker loads: probed there by spec (its module hooks installed on demand), and attached', async () => {
  const spec = './test/threads/fixtures/esm-lib.mjs#work';
  const { expected, json } = await runCount('esm-worker.mjs', {}, 'count', spec);
  assert.equal(expected, 9);
  assert.deepEqual(
    json.sites.map((s) => [s.site, s.kind, s.hits]),
    [[`probe:${spec}`, 'probe', 9]],
  );
});
