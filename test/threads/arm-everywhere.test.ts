// armEverywhere / disarmEverywhere (hookwire/control): the core's armAll/disarmAll across the
// main thread and 3 workers, each with its own copies of the hooks; the promise resolves only
// once every thread applied the change, and if one cannot, no thread keeps it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { call, cli, spawnNode, tempDir, until } from '../control/helpers.ts';
import { API_PROGRAM, armedStates, NONE_ARMED, scenario, type Fired, type Outcome } from './everywhere-helpers.ts';

test('arm across main + 3 workers: once it resolves every thread runs the selected exit (and only it)', async () => {
  const r = await scenario<{ answer: { threads: number }; before: Fired[]; after: Fired[] }>('arm');
  assert.deepEqual(r.answer, { threads: 4 });
  assert.deepEqual(
    r.before.map((f) => f.count),
    [0, 0, 0, 0],
  );
  assert.deepEqual(armedStates(r.before), [NONE_ARMED, NONE_ARMED, NONE_ARMED, NONE_ARMED]);
  // Each thread fired once after the answer: its own `count` exit ran, `other` stayed disarmed.
  assert.deepEqual(
    r.after.map((f) => f.count),
    [1, 1, 1, 1],
  );
  const armed = { count: true, other: false };
  assert.deepEqual(armedStates(r.after), [armed, armed, armed, armed]);
});

test('all or nothing: a worker where the hook is sealed refuses, and no thread keeps the arm', async () => {
  const r = await scenario<{ refused: Outcome; after: Fired[]; next: Outcome; sealedThread: number }>('sealed', { SEAL_SLOT: '2' });
  assert.equal(r.refused.code, 'ERR_HOOK_SEALED');
  assert.match(r.refused.message!, new RegExp(`^thread ${r.sealedThread} refused: `, 'u'));
  // The main thread and the two workers that had applied it are back: nothing armed, nothing counted.
  assert.deepEqual(armedStates(r.after), [NONE_ARMED, NONE_ARMED, NONE_ARMED, NONE_ARMED]);
  assert.deepEqual(
    r.after.map((f) => f.count),
    [0, 0, 0, 0],
  );
  // A change every thread accepts still goes through afterwards.
  assert.deepEqual(r.next, { ok: { threads: 4 } });
});

test('disarm barrier: after disarmEverywhere resolves no thread runs the exit again', async () => {
  const r = await scenario<{ answer: { threads: number }; counting: number[]; atAnswer: number[]; later: number[]; after: Fired[] }>('disarm');
  assert.deepEqual(r.answer, { threads: 4 });
  // Every thread was counting (firing every millisecond) before the disarm.
  assert.ok(
    r.counting.every((n) => n >= 5),
    `every thread counted: ${r.counting.join(',')}`,
  );
  // The workers went on firing for 200 ms after the answer, and fired once more each: nothing counted.
  assert.deepEqual(r.later, r.atAnswer);
  assert.deepEqual(
    r.after.map((f) => f.count),
    r.atAnswer,
  );
  assert.deepEqual(armedStates(r.after), [NONE_ARMED, NONE_ARMED, NONE_ARMED, NONE_ARMED]);
});

test('a worker busy past the timeout: ERR_TIMEOUT naming it, rolled back, and the busy worker never arms', async () => {
  const r = await scenario<{ refused: Outcome; busyThread: number; atAnswer: Fired['armed']; after: Fired[] }>('arm-timeout');
  assert.equal(r.refused.code, 'ERR_TIMEOUT');
  // The busy worker is named (on a loaded machine an idle one may be late too, and named with it).
  const late = /^threads? ([\d, ]+) did not confirm within 1000 ms/u.exec(r.refused.message!);
  assert.ok(late !== null, r.refused.message);
  assert.ok(late[1]!.split(', ').map(Number).includes(r.busyThread), r.refused.message);
  assert.deepEqual(r.atAnswer, NONE_ARMED);
  // Fired after the busy worker yielded: it found the old state.
  assert.deepEqual(armedStates(r.after), [NONE_ARMED, NONE_ARMED, NONE_ARMED, NONE_ARMED]);
  assert.deepEqual(
    r.after.map((f) => f.count),
    [0, 0, 0, 0],
  );
});

test('a worker that exits in the middle of a change (and of a synchronize) does not hold it up', async () => {
  const r = await scenario<{ answer: Outcome; synced: Outcome; after: Fired[] }>('exit-mid-change');
  // A 30 s timeout: the answers came from the workers' ends. The main thread and the workers left.
  assert.deepEqual(r.answer, { ok: { threads: 3 } });
  assert.deepEqual(r.synced, { ok: { threads: 2 } });
  const all = { count: true, other: true };
  assert.deepEqual(armedStates(r.after), [all, all]);
});

test('the socket and the API arm in one order; a socket arm rolled back is undone in the workers that took it', async () => {
  using dir = tempDir();
  const child = spawnNode([cli, 'run', '--', API_PROGRAM], { HOOKWIRE_RUNTIME_DIR: dir.path, SCENARIO: 'socket', SEAL_SLOT: '2' }, 60_000);
  try {
    await until(() => child.stdout().includes('ready'), `the program (stderr: ${child.stderr()})`, 45_000);
    const sock = await until(() => readdirSync(dir.path).find((f) => f.endsWith('.sock')), 'the agent socket');
    const request = (path: string, body: object) => call({ socketPath: join(dir.path, sock) }, 'POST', path, body);
    const seen = new Map<string, number>();
    const next = async (command: string, prefix: string): Promise<unknown> => {
      const index = seen.get(prefix) ?? 0;
      seen.set(prefix, index + 1);
      child.proc.stdin!.write(`${command}\n`);
      const line = await until(
        () =>
          child
            .stdout()
            .split('\n')
            .filter((l) => l.startsWith(`${prefix} `))[index],
        `"${prefix}" after ${command}`,
      );
      return JSON.parse(line.slice(prefix.length + 1));
    };
    const slowEverywhere = async (): Promise<boolean[]> => ((await next('fire', 'fired')) as Fired[]).map((f) => f.slow);

    // Worker 2 has api:tick sealed: the socket's arm is refused, and the workers that had armed disarm again.
    const refused = await request('/v1/arm', { name: 'api:tick' });
    assert.equal(refused.status, 409, refused.text);
    // A later arming every thread takes (before, a worker skipped it: it reused the refused one's number).
    assert.equal((await request('/v1/disarm', { name: 'api:slow' })).status, 200);
    const fired = (await next('fire', 'fired')) as Fired[];
    assert.deepEqual(armedStates(fired), [NONE_ARMED, NONE_ARMED, NONE_ARMED, NONE_ARMED]);
    assert.deepEqual(
      fired.map((f) => f.slow),
      [false, false, false, false],
    );
    // API and socket, turn about, on the same exit: every thread ends as the last change said.
    assert.deepEqual(await next('arm api:slow', 'armed'), { ok: { threads: 4 } });
    assert.deepEqual(await slowEverywhere(), [true, true, true, true]);
    assert.equal((await request('/v1/disarm', { name: 'api:slow', exit: 'slow' })).status, 200);
    assert.deepEqual(await slowEverywhere(), [false, false, false, false]);
    assert.deepEqual(await next('arm api:slow', 'armed'), { ok: { threads: 4 } });
    assert.deepEqual(await slowEverywhere(), [true, true, true, true]);
    // The API is refused by the sealed thread the same way, and leaves nothing armed either.
    const api = (await next('arm api:tick', 'armed')) as Outcome;
    assert.equal(api.code, 'ERR_HOOK_SEALED');
    const again = (await next('fire', 'fired')) as Fired[];
    assert.deepEqual(armedStates(again), [NONE_ARMED, NONE_ARMED, NONE_ARMED, NONE_ARMED]);
    child.proc.stdin!.write('end\n');
    assert.equal(await child.exited, 0, child.stderr());
  } finally {
    child.proc.kill();
  }
});
