// synchronizeEverywhere (hookwire/control): registry.synchronize() in every thread; it resolves
// once every async dispatch begun before the call, in any thread, has ended.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, type Outcome } from './everywhere-helpers.ts';

type Flags = { started: number; done: number }[];

test('synchronizeEverywhere waits for a slow async exit in flight in a worker (and in the main thread)', async () => {
  const r = await scenario<{ answer: { threads: number }; before: Flags; atAnswer: Flags }>('sync', { SLOW_MS: '400' });
  assert.deepEqual(r.answer, { threads: 4 });
  // The main thread (slot 0) and worker 1 had a dispatch of api:slow in flight, not yet done.
  assert.deepEqual(r.before.slice(0, 2), [
    { started: 1, done: 0 },
    { started: 1, done: 0 },
  ]);
  // When it resolved, both had ended.
  assert.deepEqual(r.atAnswer.slice(0, 2), [
    { started: 1, done: 1 },
    { started: 1, done: 1 },
  ]);
});

test('a dispatch that outlasts the timeout: ERR_TIMEOUT naming the thread', async () => {
  const r = await scenario<{ refused: Outcome; slowThread: number; atAnswer: Flags }>('sync-timeout', { SLOW_MS: '3000' });
  assert.equal(r.refused.code, 'ERR_TIMEOUT');
  assert.match(r.refused.message!, new RegExp(`^thread ${r.slowThread} did not confirm within 300 ms`, 'u'));
  // It had started and was still running when the call gave up.
  assert.deepEqual(r.atAnswer[1], { started: 1, done: 0 });
});
