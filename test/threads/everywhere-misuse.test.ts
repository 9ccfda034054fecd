// The cross-thread API's boundary: bad selectors and options, a call from a worker, a program
// without the agent, workers without the thread agent (over the socket too). Each is a HookError with a stable code, and no thread changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { call, root, runCli, spawnNode, tempDir, until } from '../control/helpers.ts';
import { API_PROGRAM, armedStates, NONE_ARMED, scenario, type Fired, type Outcome } from './everywhere-helpers.ts';

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

test('the socket refuses attach, arm and disarm the same way when a worker is unreached, and nothing changes', async () => {
  using dir = tempDir();
  const args = ['--import', join(root, 'dist/control/agent.js'), API_PROGRAM];
  const child = spawnNode(args, { HOOKWIRE_RUNTIME_DIR: dir.path, SCENARIO: 'socket', NODE_OPTIONS: '' }, 60_000);
  try {
    await until(() => child.stdout().includes('ready'), `the program (stderr: ${child.stderr()})`, 45_000);
    const sock = await until(() => readdirSync(dir.path).find((f) => f.endsWith('.sock')), 'the agent socket');
    const request = (path: string, body: object) => call({ socketPath: join(dir.path, sock) }, 'POST', path, body);
    for (const [path, body] of [
      ['/v1/arm', { name: 'api:tick' }],
      ['/v1/disarm', { name: 'api:slow' }],
      ['/v1/attach', { target: 'api:tick', exit: 'count' }],
    ] as const) {
      const answer = await request(path, body);
      assert.equal(answer.status, 409, `${path}: ${answer.text}`);
      assert.equal((JSON.parse(answer.text) as { error: { code: string } }).error.code, 'ERR_THREAD_UNREACHED', answer.text);
    }
    // Nothing changed in the main thread either: no attachment, and api:slow still armed.
    const listed = await call({ socketPath: join(dir.path, sock) }, 'GET', '/v1/hooks');
    const listing = JSON.parse(listed.text) as { attachments: unknown[]; threads?: { thread: number; reached: boolean; ended: boolean }[] };
    assert.deepEqual(listing.attachments, []);
    // The threads the refusal names are listed, unreached (and ls says so).
    const refusal = (await request('/v1/arm', { name: 'api:tick' })).body as { error: { message: string } };
    const named = /worker threads? ([\d, ]+) runs? without/u.exec(refusal.error.message)![1]!.split(', ').map(Number);
    assert.deepEqual(
      named.map((id) => listing.threads?.find((t) => t.thread === id)),
      named.map((thread) => ({ thread, parent: 0, reached: false, ended: false, attachments: 0 })),
    );
    const ls = await runCli(['ls', sock.replace('.sock', '')], { HOOKWIRE_RUNTIME_DIR: dir.path });
    for (const id of named) assert.match(ls.stdout, new RegExp(`^w${id} +main +not reached +0 +0$`, 'mu'), ls.stdout);
    child.proc.stdin!.write('fire\n');
    const line = await until(
      () =>
        child
          .stdout()
          .split('\n')
          .find((l) => l.startsWith('fired ')),
      'fired',
    );
    const fired = JSON.parse(line.slice('fired '.length)) as Fired[];
    assert.deepEqual(fired[0]!.armed, NONE_ARMED);
    assert.equal(fired[0]!.slow, true);
    child.proc.stdin!.write('end\n');
    assert.equal(await child.exited, 0, child.stderr());
  } finally {
    child.proc.kill();
  }
});
