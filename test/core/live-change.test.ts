// A dispatch runs on the exits armed when it started; changes during it apply to the next one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Exit } from '../../src/core/index.ts';
import { KIND_CASES, fire, fresh } from './harness.ts';

for (const kind of KIND_CASES) {
  test(`${kind.name}: an exit that disarms itself and arms another affects only the next dispatch`, async () => {
    const { hook } = fresh(kind);
    const seen: string[] = [];
    let late: Exit;
    const first = hook.register(
      () => {
        seen.push('first');
        first.disarm();
        late.arm();
      },
      { armed: true },
    );
    hook.register(() => void seen.push('second'), { armed: true });
    late = hook.register(() => void seen.push('late'));
    await fire(hook, 0);
    assert.deepEqual(seen, ['first', 'second']);
    await fire(hook, 0);
    assert.deepEqual(seen, ['first', 'second', 'second', 'late']);
  });

  test(`${kind.name}: deregistering a later exit mid-dispatch does not skip it this time`, async () => {
    const { hook } = fresh(kind);
    const seen: string[] = [];
    let victim: Exit;
    hook.register(
      () => {
        seen.push('killer');
        victim.deregister();
      },
      { armed: true },
    );
    victim = hook.register(() => void seen.push('victim'), { armed: true });
    await fire(hook, 0);
    await fire(hook, 0);
    assert.deepEqual(seen, ['killer', 'victim', 'killer']);
  });
}

for (const kind of KIND_CASES.filter((k) => k.async && k.combine !== 'parallel')) {
  test(`${kind.name}: an async dispatch keeps its snapshot across awaits`, async () => {
    const { hook } = fresh(kind);
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    hook.register(
      async () => {
        seen.push('slow start');
        await gate;
      },
      { armed: true },
    );
    const second = hook.register(async () => void seen.push('second'), { armed: true });
    const added = hook.register(async () => void seen.push('added'));
    const pending = fire(hook, 0);
    await Promise.resolve();
    second.disarm();
    added.arm();
    release();
    await pending;
    assert.deepEqual(seen, ['slow start', 'second']);
    await fire(hook, 0);
    assert.deepEqual(seen, ['slow start', 'second', 'slow start', 'added']);
  });
}

test('re-entrant fire from inside an exit uses the current snapshot', () => {
  const { hook } = fresh(KIND_CASES[0]!);
  const seen: string[] = [];
  let depth = 0;
  let added = false;
  hook.register(
    () => {
      seen.push(`outer ${depth}`);
      if (depth++ === 0) {
        if (!added) hook.register(() => void seen.push('added'), { armed: true });
        added = true;
        hook.fire();
      }
    },
    { armed: true },
  );
  hook.fire();
  assert.deepEqual(seen, ['outer 0', 'outer 1', 'added']);
});

for (const kind of KIND_CASES) {
  test(`${kind.name}: re-arming with other exits of the same count runs the new ones (compiled code is reused, constants are not)`, async () => {
    const { hook } = fresh(kind);
    const seen: string[] = [];
    const make = (name: string) => hook.register(() => void seen.push(name));
    const a = make('a');
    const b = make('b');
    const c = make('c');
    a.arm();
    b.arm();
    await fire(hook, 0);
    a.disarm();
    c.arm();
    await fire(hook, 0);
    b.disarm();
    a.arm();
    await fire(hook, 0);
    assert.deepEqual(seen, ['a', 'b', 'b', 'c', 'a', 'c']);
  });
}
