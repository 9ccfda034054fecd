// Changes over the control socket reach every thread of a program with live workers, behind a
// barrier: the answer comes once every live thread applied the change; a refusal anywhere, or a
// thread that does not confirm in time, rolls it back everywhere; a worker that ends mid-change
// does not hold it up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir, until } from '../control/helpers.ts';
import { hitsOf, startLive, WORK } from './helpers.ts';

test('attach while workers run: every worker (the nested one too) counts, and the listing adds them up', async () => {
  using dir = tempDir();
  const program = await startLive(dir.path);
  try {
    const answer = await program.request('POST', '/v1/attach', { target: WORK, exit: 'count', name: 'w' });
    assert.equal(answer.status, 201, answer.text);
    // 2 workers and the nested one call work every 3 ms; the main thread never does.
    const seen = await until(async () => {
      const h = await hitsOf(program, 'w');
      return h.threads.filter((t) => t.thread !== 0 && t.hits > 0).length === 3 ? h : undefined;
    }, 'hits in the three workers');
    assert.equal(seen.threads.find((t) => t.thread === 0)?.hits, 0);
    assert.equal(
      seen.hits,
      seen.threads.reduce((n, t) => n + t.hits, 0),
    );
    const listing = (await program.request('GET', '/v1/hooks')).body as { threads: { thread: number; parent: number; reached: boolean }[] };
    assert.deepEqual(listing.threads.map((t) => t.thread).sort(), [...program.threads].sort());
    const [, nested] = program.threads.slice(1);
    assert.equal(listing.threads.find((t) => t.thread === nested)?.parent, program.threads[1]);
  } finally {
    await program.stop();
  }
});

test('disarm barrier: once the disarm answers, no thread counts another call; arm brings them all back', async () => {
  using dir = tempDir();
  const program = await startLive(dir.path);
  try {
    assert.equal((await program.request('POST', '/v1/attach', { target: WORK, exit: 'count', name: 'w' })).status, 201);
    await until(async () => (await hitsOf(program, 'w')).hits > 30, 'hits');
    const disarmed = await program.request('POST', '/v1/disarm', { name: 'w' });
    assert.equal(disarmed.status, 200, disarmed.text);
    const right = await hitsOf(program, 'w');
    // The workers keep calling work every 3 ms: any thread still armed would count here.
    await sleep(300);
    const later = await hitsOf(program, 'w');
    assert.deepEqual(later, right);
    assert.equal((await program.request('POST', '/v1/arm', { name: 'w' })).status, 200);
    const armedAgain = await until(async () => {
      const h = await hitsOf(program, 'w');
      return h.threads.filter((t) => t.thread !== 0 && t.hits > (right.threads.find((r) => r.thread === t.thread)?.hits ?? 0)).length === 3;
    }, 'every worker counting again');
    assert.ok(armedAgain);
  } finally {
    await program.stop();
  }
});

test('a thread that refuses (its hook is sealed there) rolls the attach back everywhere', async () => {
  using dir = tempDir();
  const program = await startLive(dir.path, [], { SEAL_IN_WORKER: '1' });
  try {
    // The main thread and the workers declare threads:tick; only the first worker's is sealed.
    const answer = await program.request('POST', '/v1/attach', { target: 'threads:tick', exit: 'count', name: 'tick' });
    assert.equal(answer.status, 409, answer.text);
    const error = (answer.body as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'ERR_HOOK_SEALED');
    assert.match(error.message, new RegExp(`^thread ${program.threads[0]} refused: `, 'u'));
    const listing = (await program.request('GET', '/v1/hooks')).body as {
      attachments: unknown[];
      threads: { thread: number; attachments: number }[];
      registry: { hooks: { name: string; exits: unknown[] }[] };
    };
    // Nowhere kept: not in the main thread, not in any worker (each reports what it has).
    assert.deepEqual(listing.attachments, []);
    assert.deepEqual(
      listing.threads.map((t) => t.attachments),
      listing.threads.map(() => 0),
    );
    assert.deepEqual(listing.registry.hooks.find((h) => h.name === 'threads:tick')?.exits, []);
    // A change every thread accepts still goes through afterwards.
    assert.equal((await program.request('POST', '/v1/attach', { target: WORK, exit: 'count', name: 'w' })).status, 201);
  } finally {
    await program.stop();
  }
});

test('a thread busy past the timeout: the change is refused with ERR_TIMEOUT naming it, and rolled back everywhere', async () => {
  using dir = tempDir();
  const program = await startLive(dir.path, [], { BUSY_MS: '1500', HOOKWIRE_THREAD_TIMEOUT_MS: '300' });
  try {
    program.proc.stdin!.write('busy\n');
    await until(() => program.stdout().includes('busy'), 'the busy loop');
    // The last worker started is the busy one: it is the one that started the nested worker.
    const busy = program.threads[1];
    const answer = await program.request('POST', '/v1/attach', { target: WORK, exit: 'count', name: 'w' });
    assert.equal(answer.status, 408, answer.text);
    assert.match((answer.body as { error: { message: string } }).error.message, new RegExp(`^thread ${busy} did not confirm within 300 ms`, 'u'));
    assert.deepEqual(((await program.request('GET', '/v1/hooks')).body as { attachments: unknown[] }).attachments, []);
    // Once it yields, the busy thread finds the state as it was: it never attached.
    await until(async () => {
      const listing = (await program.request('GET', '/v1/hooks')).body as { threads: { thread: number; attachments: number; epoch?: number }[] };
      return listing.threads.every((t) => t.attachments === 0);
    }, 'every thread without the attachment');
    // The same attach goes through once the busy thread runs again (refused with 408 until then:
    // the refusal no longer waits a second timeout for it, so it may still be busy here).
    await until(
      async () => (await program.request('POST', '/v1/attach', { target: WORK, exit: 'count', name: 'w' })).status === 201,
      'the attach accepted once the thread runs again',
    );
  } finally {
    await program.stop();
  }
});

test('a worker that ends in the middle of a change does not hold it up', async () => {
  using dir = tempDir();
  // A generous timeout: the answer must come from the worker's end, not from giving up on it.
  const program = await startLive(dir.path, [], { BUSY_MS: '700', BUSY_EXIT: '1', HOOKWIRE_THREAD_TIMEOUT_MS: '30000' });
  try {
    program.proc.stdin!.write('busy\n');
    await until(() => program.stdout().includes('busy'), 'the busy loop');
    const answer = await program.request('POST', '/v1/attach', { target: WORK, exit: 'count', name: 'w' });
    assert.equal(answer.status, 201, answer.text);
    const listing = (await program.request('GET', '/v1/hooks')).body as { threads: { thread: number; ended: boolean }[] };
    // It ended, and so did the worker it had started.
    assert.equal(listing.threads.find((t) => t.thread === program.threads[1])?.ended, true);
    assert.equal(listing.threads.find((t) => t.thread === program.threads[2])?.ended, true);
  } finally {
    await program.stop();
  }
});

test('a refusal for a busy thread takes one timeout, not two: the rollback does not wait for it again, and it still ends rolled back', async () => {
  using dir = tempDir();
  // Busy for longer than two timeouts: a rollback that waited for it again would take a second one.
  const program = await startLive(dir.path, [], { BUSY_MS: '9000', HOOKWIRE_THREAD_TIMEOUT_MS: '3000' });
  try {
    program.proc.stdin!.write('busy\n');
    await until(() => program.stdout().includes('busy'), 'the busy loop');
    const started = Date.now();
    const answer = await program.request('POST', '/v1/attach', { target: WORK, exit: 'count', name: 'w' });
    const took = Date.now() - started;
    assert.equal(answer.status, 408, answer.text);
    assert.match(
      (answer.body as { error: { message: string } }).error.message,
      new RegExp(`^thread ${program.threads[1]} did not confirm within 3000 ms`, 'u'),
    );
    // One timeout and some slack (a loaded machine); a second wait would make it 6 s at least.
    assert.ok(took < 5500, `the refusal took ${took} ms`);
    // The busy thread, once it runs again, reads the rolled-back state: it ends without the attachment.
    await until(
      async () => {
        const listing = (await program.request('GET', '/v1/hooks')).body as { threads: { thread: number; attachments: number }[] };
        return listing.threads.every((t) => t.attachments === 0);
      },
      'every thread without the attachment',
      20_000,
    );
    assert.deepEqual(((await program.request('GET', '/v1/hooks')).body as { attachments: unknown[] }).attachments, []);
  } finally {
    await program.stop();
  }
});
