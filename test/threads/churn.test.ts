// A program that keeps starting short-lived workers: changes wait only for the workers that were
// starting when they were asked for, workers born later still get them as they start, and the
// per-thread listing keeps the live threads and only the last ended ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { call, cli, runCli, spawnNode, tempDir, until, type Answer, type Child } from '../control/helpers.ts';
import { fixtures, WORK } from './helpers.ts';

interface Churn extends Child {
  pid: number;
  request(method: string, path: string, body?: object): Promise<Answer>;
  /** The worker thread ids the program printed as it started them, in order. */
  born(): number[];
}

/** churn-workers.mjs under `hookwire run`: a worker every 250 ms, each 600 ms to start and 300 ms to live. */
async function startChurn(dir: string, env: Record<string, string> = {}): Promise<Churn> {
  const child = spawnNode(
    [cli, 'run', '--', join(fixtures, 'churn-workers.mjs')],
    { HOOKWIRE_RUNTIME_DIR: dir, CHURN_EVERY_MS: '250', CHURN_LIFE_MS: '300', SLOW_START_MS: '600', ...env },
    90_000,
  );
  await until(() => child.stdout().includes('ready'), `the first workers (stderr: ${child.stderr()})`, 45_000);
  const sock = await until(() => readdirSync(dir).find((f) => f.endsWith('.sock')), 'the agent socket');
  return {
    ...child,
    pid: Number(sock.replace('.sock', '')),
    request: (method, path, body) => call({ socketPath: join(dir, sock) }, method, path, body),
    born: () => [...child.stdout().matchAll(/^born (\d+)$/gmu)].map((m) => Number(m[1])),
  };
}

test('workers starting all the time: attach, disarm and arm wait only for those starting when asked, and later ones get the change', async () => {
  using dir = tempDir();
  // A generous timeout: a change that waited for every worker born meanwhile would reach it every time.
  const program = await startChurn(dir.path, { HOOKWIRE_THREAD_TIMEOUT_MS: '7000' });
  try {
    const attached = await program.request('POST', '/v1/attach', { target: WORK, exit: 'count', name: 'w' });
    assert.equal(attached.status, 201, attached.text);
    for (let i = 0; i < 3; i++) {
      for (const path of ['/v1/disarm', '/v1/arm']) {
        const answer = await program.request('POST', path, { name: 'w' });
        assert.equal(answer.status, 200, `${path}: ${answer.text}`);
      }
    }
    // Armed again: workers born after the last arm count too (they read the state as they start).
    const after = Math.max(...program.born());
    await until(
      async () => {
        const listing = (await program.request('GET', '/v1/hooks')).body as {
          attachments: { name: string; threads?: { thread: number; stats: { hits: number } }[] }[];
        };
        const parts = listing.attachments.find((a) => a.name === 'w')?.threads ?? [];
        return parts.some((t) => t.thread > after && t.stats.hits > 0);
      },
      'hits in a worker born after the last arm',
      20_000,
    );
  } finally {
    program.proc.stdin!.end();
    await program.exited;
  }
});

test('workers coming and going: the listing keeps the live threads and the last 16 ended, the totals keep every thread, and ls counts the ended', async () => {
  using dir = tempDir();
  const program = await startChurn(dir.path, { HOOKWIRE_THREAD_TIMEOUT_MS: '7000', SLOW_START_MS: '0' });
  try {
    const attached = await program.request('POST', '/v1/attach', { target: WORK, exit: 'count', name: 'w' });
    assert.equal(attached.status, 201, attached.text);
    type Listed = {
      attachments: { name: string; stats: { hits: number }; threads?: { thread: number; stats: { hits: number } }[] }[];
      threads: { thread: number; ended: boolean }[];
    };
    const listed = async (): Promise<Listed> => (await program.request('GET', '/v1/hooks')).body as Listed;
    const first = Math.max(...program.born());
    // Far more workers than the listing keeps have come and gone since the attach.
    await until(() => program.born().filter((id) => id > first).length >= 40, 'forty more workers', 60_000);
    const a = await listed();
    const ended = a.threads.filter((t) => t.ended);
    assert.ok(ended.length <= 16, `${ended.length} ended threads listed`);
    assert.ok(a.threads.length < 40, `${a.threads.length} threads listed`);
    const w = a.attachments.find((x) => x.name === 'w')!;
    const listedApart = (w.threads ?? []).reduce((n, t) => n + t.stats.hits, 0);
    // The forgotten threads' counts are still in the total.
    assert.ok(w.stats.hits > listedApart, `total ${w.stats.hits}, threads listed ${listedApart}`);
    await until(() => program.born().filter((id) => id > first).length >= 50, 'ten more workers', 30_000);
    const b = (await listed()).attachments.find((x) => x.name === 'w')!;
    assert.ok(b.stats.hits >= w.stats.hits, `the total went from ${w.stats.hits} down to ${b.stats.hits}`);
    const ls = await runCli(['ls', String(program.pid)], { HOOKWIRE_RUNTIME_DIR: dir.path });
    assert.match(ls.stdout, /^\d+ recently ended threads? not shown \(--json lists them\)$/mu, ls.stdout);
    assert.doesNotMatch(ls.stdout, /^w\d+ +\S+ +ended /mu);
  } finally {
    program.proc.stdin!.end();
    await program.exited;
  }
});
