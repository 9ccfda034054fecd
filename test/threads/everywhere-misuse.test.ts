// The cross-thread API's boundary: bad selectors and options, a call from a worker, a program
// without the agent. Each is a HookError with a stable code, and no thread changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { armedStates, NONE_ARMED, scenario, type Fired, type Outcome } from './everywhere-helpers.ts';

test('bad selectors and options are refused with stable codes, and no thread changed', async () => {
  const r = await scenario<{ codes: Record<string, Outcome>; inWorker: Outcome; after: Fired[] }>('bad');
  const codes = Object.fromEntries(Object.entries(r.codes).map(([name, o]) => [name, o.code]));
  assert.deepEqual(codes, {
    string: 'ERR_INVALID_ARG',
    null: 'ERR_INVALID_ARG',
    number: 'ERR_INVALID_ARG',
    name: 'ERR_INVALID_ARG',
    emptyExit: 'ERR_INVALID_ARG',
    extraKey: 'ERR_INVALID_ARG',
    tooMany: 'ERR_LIMIT',
    timeoutZero: 'ERR_INVALID_ARG',
    timeoutFraction: 'ERR_INVALID_ARG',
    unknownOption: 'ERR_INVALID_ARG',
    syncOptions: 'ERR_INVALID_ARG',
    unknownHook: 'ERR_NOT_FOUND',
    unknownExit: 'ERR_NOT_FOUND',
  });
  // One line each, naming what was wrong.
  for (const o of Object.values(r.codes)) assert.doesNotMatch(o.message!, /\n/u);
  assert.match(r.codes['number']!.message!, /item 0 must be a hook name or \{ hook, exit \}, got 42/u);
  assert.match(r.codes['unknownHook']!.message!, /no hook named "api:missing"/u);
  assert.match(r.codes['unknownExit']!.message!, /hook "api:tick" has no exit named "nope"/u);
  // From a worker: refused, not forwarded.
  assert.equal(r.inWorker.code, 'ERR_NOT_MAIN_THREAD');
  // Nothing changed anywhere (unknownHook and unknownExit name a good hook first).
  assert.deepEqual(armedStates(r.after), [NONE_ARMED, NONE_ARMED, NONE_ARMED, NONE_ARMED]);
  assert.deepEqual(
    r.after.map((f) => f.count),
    [0, 0, 0, 0],
  );
});

test('without the agent: ERR_AGENT_UNREACHABLE, nothing armed even in the main thread', async () => {
  const r = await scenario<{ arm: Outcome; sync: Outcome; after: Fired[] }>('no-agent', {}, 'plain');
  assert.equal(r.arm.code, 'ERR_AGENT_UNREACHABLE');
  assert.equal(r.sync.code, 'ERR_AGENT_UNREACHABLE');
  assert.deepEqual(armedStates(r.after), [NONE_ARMED, NONE_ARMED, NONE_ARMED, NONE_ARMED]);
});

test('the agent without the thread preload at start: workers started by default are unreached, ERR_THREAD_UNREACHED', async () => {
  // NODE_OPTIONS without the preload: what `node --import hookwire/agent app.js` gives (hookwire run adds it).
  const r = await scenario<{ arm: Outcome; sync: Outcome; after: Fired[] }>('unreached', { NODE_OPTIONS: '' }, 'import');
  assert.equal(r.arm.code, 'ERR_THREAD_UNREACHED');
  assert.match(r.arm.message!, new RegExp(`^worker threads ${r.threads.join(', ')} run without hookwire's thread agent`, 'u'));
  assert.equal(r.sync.code, 'ERR_THREAD_UNREACHED');
  assert.deepEqual(armedStates(r.after), [NONE_ARMED, NONE_ARMED, NONE_ARMED, NONE_ARMED]);
});

test('the agent without the thread preload at start: workers given their own execArgv are reached, and armed', async () => {
  // The agent adds the preload to NODE_OPTIONS, which Node reads again for a worker with its own execArgv.
  const r = await scenario<{ answer: { threads: number }; after: Fired[] }>('arm', { NODE_OPTIONS: '', EXEC_ARGV: '1' }, 'import');
  assert.deepEqual(r.answer, { threads: 4 });
  assert.deepEqual(
    r.after.map((f) => f.count),
    [1, 1, 1, 1],
  );
});
