// The agent brought into a plain `node` program (hookwire attach through its inspector) reaches
// its worker threads: a CommonJS and an ES module worker running before the attach and one started
// after it count, a module only the workers load is probed there, removal leaves no attachment in
// any thread, and a later attach (after the agent left) reaches them again. A worker it cannot
// reach in time makes a change refused, in every thread. The program's output and exit code are its own.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { reasonOf, root, runCli, tempDir, until, type Child } from '../control/helpers.ts';
import { freePort, spawnPlain } from './helpers.ts';

const MAIN = join(root, 'test/attach/fixtures/threads/main.mjs');
const WORK = './test/attach/fixtures/threads/lib.cjs#work';
const ONLY = './test/attach/fixtures/threads/wonly.cjs#only';

interface Listing {
  attachments: { name: string; status: string; threads?: { thread: number; status: string; stats: { hits: number } }[] }[];
  threads?: { thread: number; parent: number; reached: boolean; ended: boolean; attachments: number }[];
}

/** main.mjs (or `app`, which prints "ready …" likewise) under plain node (no NODE_OPTIONS from the test runner), once its two workers run. */
async function startProgram(env: Record<string, string> = {}, app = MAIN): Promise<Child & { pid: string }> {
  const child = spawnPlain([`--inspect-port=${await freePort()}`], app, env);
  await until(() => child.stdout().startsWith('ready '), `the program's workers to run (stderr: ${child.stderr()})`);
  return { ...child, pid: String(child.proc.pid) };
}

/** What the program printed on stderr beyond Node's own inspector lines. */
function ownStderr(text: string): string[] {
  return text.split('\n').filter((l) => l !== '' && !/^(Debugger (listening|attached|ending)|For help, see)/u.test(l));
}

async function listing(pid: string, env: Record<string, string>): Promise<Listing> {
  const ls = await runCli(['ls', pid, '--json'], env);
  assert.equal(ls.code, 0, ls.stderr);
  return JSON.parse(ls.stdout) as Listing;
}

/** Each thread's hits of attachment `name` (thread 0 is the main thread). */
function hitsByThread(list: Listing, name: string): Map<number, number> {
  const a = list.attachments.find((x) => x.name === name);
  return new Map((a?.threads ?? []).map((t) => [t.thread, t.stats.hits]));
}

test(
  'attach to a plain node program with workers: every thread counts, before and after the attach, and removal leaves none attached',
  { timeout: 90_000 },
  async () => {
    using tmp = tempDir();
    const env = { HOOKWIRE_RUNTIME_DIR: tmp.path, HOOKWIRE_IDLE_MS: '1500' };
    const program = await startProgram();
    try {
      const first = await runCli(['attach', program.pid, WORK, 'count', '--name', 'work'], env);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stderr, /ran without the agent: brought it in through its inspector/u);
      const only = await runCli(['attach', program.pid, ONLY, 'count', '--name', 'only'], env);
      assert.equal(only.code, 0, only.stderr);
      // A worker started after the attach.
      program.proc.stdin!.write('more\n');
      const third = Number(await until(() => /^more (\d+)$/mu.exec(program.stdout())?.[1], 'the third worker'));
      const ids = program.stdout().split('\n')[0]!.slice('ready '.length).split(',').map(Number);
      const workers = [...ids, third];

      const list = await until(
        async () => {
          const l = await listing(program.pid, env);
          const work = hitsByThread(l, 'work');
          const onlyHits = hitsByThread(l, 'only');
          return [0, ...workers].every((t) => (work.get(t) ?? 0) > 0) && workers.every((t) => (onlyHits.get(t) ?? 0) > 0) ? l : undefined;
        },
        'hits of both probes in every thread',
        20_000,
      );
      const onlyInfo = list.attachments.find((a) => a.name === 'only')!;
      assert.equal(onlyInfo.status, 'attached', 'the module only the workers load is probed there');
      assert.equal(onlyInfo.threads?.find((t) => t.thread === 0)?.status, 'pending', 'the main thread never loads it');
      assert.deepEqual((list.threads ?? []).map((t) => [t.thread, t.reached, t.ended]).sort(), workers.map((t) => [t, true, false]).sort());

      for (const name of ['work', 'only']) {
        const removed = await runCli(['remove', program.pid, name], env);
        assert.equal(removed.code, 0, removed.stderr);
      }
      const after = await listing(program.pid, env);
      assert.deepEqual(after.attachments, []);
      assert.deepEqual(
        (after.threads ?? []).map((t) => [t.thread, t.attachments]).sort(),
        workers.map((t) => [t, 0]).sort(),
        'no attachment left in any worker',
      );

      // Idle: the agent leaves (socket closed); a later attach reaches the same workers again.
      await until(() => !existsSync(join(tmp.path, `${program.pid}.sock`)), 'the agent to leave');
      const again = await runCli(['attach', program.pid, WORK, 'count', '--name', 'again'], env);
      assert.equal(again.code, 0, again.stderr);
      await until(
        async () => {
          const hits = hitsByThread(await listing(program.pid, env), 'again');
          return [0, ...workers].every((t) => (hits.get(t) ?? 0) > 0);
        },
        'hits in every thread after the agent came back',
        20_000,
      );
      const gone = await runCli(['remove', program.pid, 'again'], env);
      assert.equal(gone.code, 0, gone.stderr);
    } finally {
      program.proc.stdin!.end();
      assert.equal(await program.exited, 3, program.stderr());
    }
    // The program's own output, unchanged.
    assert.match(program.stdout(), /^ready \d+,\d+\nmore \d+\nbye\n$/u);
    assert.deepEqual(ownStderr(program.stderr()), []);
  },
);

test('a worker the agent cannot reach in time: the change is refused in every thread, and ls lists it as not reached', { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path, NO_COLOR: '1' };
  // Worker 1 runs a synchronous loop for 8 s after it started: it cannot take the thread agent.
  const program = await startProgram({ BUSY_MS: '8000', HOOKWIRE_THREAD_TIMEOUT_MS: '500' });
  try {
    const refused = await runCli(['attach', program.pid, WORK, 'count', '--name', 'work'], env);
    assert.equal(refused.code, 2, refused.stderr);
    const line = refused.stderr.trim().split('\n').at(-1)!;
    assert.equal(reasonOf(line), 'hookwire attach: thread 1 did not start within 500 ms');
    assert.match(line, /\(ERR_TIMEOUT\)$/u);
    const ls = await runCli(['ls', program.pid], env);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /^no attachments$/mu);
    assert.match(ls.stdout, /^w1\s+main\s+not reached\s+0\s+0$/mu);
    // Once it yields, it is reached: the attach goes through in every thread.
    await until(
      async () => {
        const again = await runCli(['attach', program.pid, WORK, 'count', '--name', 'work'], env);
        return again.code === 0;
      },
      'the attach to go through once the worker yields',
      20_000,
    );
    await until(
      async () => {
        const hits = hitsByThread(await listing(program.pid, env), 'work');
        return [0, 1, 2].every((t) => (hits.get(t) ?? 0) > 0);
      },
      'hits in every thread',
      20_000,
    );
    assert.equal((await runCli(['remove', program.pid, 'work'], env)).code, 0);
  } finally {
    program.proc.stdin!.end();
    assert.equal(await program.exited, 3, program.stderr());
  }
  assert.deepEqual(ownStderr(program.stderr()), []);
});

test('a nested worker running before the attach is reached too', { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path };
  // Two workers, the second of which started a nested one: "ready 1,2,3" (ids in the order they answered).
  const program = await startProgram({ WORKERS: '2' }, join(root, 'test/threads/fixtures/live-workers.mjs'));
  try {
    const attached = await runCli(['attach', program.pid, './test/threads/fixtures/lib.cjs#work', 'count', '--name', 'work'], env);
    assert.equal(attached.code, 0, attached.stderr);
    await until(
      async () => {
        const hits = hitsByThread(await listing(program.pid, env), 'work');
        return [1, 2, 3].every((t) => (hits.get(t) ?? 0) > 0);
      },
      'hits in the three workers',
      20_000,
    );
    assert.equal((await runCli(['remove', program.pid, 'work'], env)).code, 0);
  } finally {
    program.proc.stdin!.end();
    assert.equal(await program.exited, 0, program.stderr());
  }
});
