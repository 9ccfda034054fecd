// Arming never touches the hook object itself: it inherits from one switch for its whole life, and
// arming sets the switch's prototype to a state whose `fire` and `enabled` never change (issue 8).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { armAll, disarmAll } from '../../src/core/index.ts';
import { KIND_CASES, fresh } from './harness.ts';

for (const kind of KIND_CASES) {
  test(`${kind.name}: the hook's own prototype is the same object through arm, disarm, deregister and terminate`, () => {
    const { hook } = fresh(kind, { args: ['a'] });
    const own = Object.getPrototypeOf(hook) as object;
    const a = hook.register(() => undefined, { name: 'a' });
    const b = hook.register(() => undefined, { name: 'b' });
    for (let i = 0; i < 20; i++) {
      a.arm();
      if (i % 3 === 0) b.arm();
      assert.equal(Object.getPrototypeOf(hook), own);
      armAll([a, b]);
      disarmAll([a, b]);
      assert.equal(Object.getPrototypeOf(hook), own);
    }
    b.deregister();
    hook.terminate({ force: true });
    assert.equal(Object.getPrototypeOf(hook), own);
  });
}

test('fire and enabled cannot be written, armed or not', () => {
  const { hook } = fresh(KIND_CASES[0]!);
  const e = hook.register(() => undefined);
  for (const armed of [false, true]) {
    if (armed) e.arm();
    const before = hook.fire;
    assert.throws(() => {
      (hook as unknown as { fire: unknown }).fire = () => 1;
    }, TypeError);
    assert.throws(() => {
      (hook as unknown as { enabled: unknown }).enabled = !armed;
    }, TypeError);
    assert.equal(hook.fire, before);
    assert.equal(hook.enabled, armed);
    assert.equal(Object.hasOwn(hook, 'fire'), false);
  }
});

test('re-arming a set armed before reuses its dispatcher; another set, or a deregistered exit, does not', () => {
  const { hook } = fresh(KIND_CASES[0]!, { args: ['x'] });
  const calls: string[] = [];
  const a = hook.register(() => void calls.push('a'), { name: 'a' });
  const b = hook.register(() => void calls.push('b'), { name: 'b' });
  a.arm();
  const onlyA = hook.fire;
  b.arm();
  const both = hook.fire;
  assert.notEqual(both, onlyA);
  b.disarm();
  assert.equal(hook.fire, onlyA, 'back to {a}: the kept state');
  b.arm();
  assert.equal(hook.fire, both, 'back to {a, b}: the kept state');
  hook.fire(1);
  assert.deepEqual(calls, ['a', 'b']);
  b.deregister();
  const c = hook.register(() => void calls.push('c'), { name: 'c', armed: true });
  assert.notEqual(hook.fire, both);
  c.disarm();
  assert.equal(hook.fire, onlyA);
  calls.length = 0;
  hook.fire(2);
  assert.deepEqual(calls, ['a'], 'a kept state never runs a deregistered exit');
  assert.deepEqual(
    hook.exits.map((e) => [e.name, e.stats.hits]),
    [
      ['a', 2],
      ['c', 0],
    ],
  );
});
