// An exit's managed life: register (disarmed) → arm ⇄ disarm → deregister; `using`; hook terminate.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HookError } from '../../src/core/index.ts';
import { KIND_CASES, fire, fresh } from './harness.ts';

for (const kind of KIND_CASES) {
  describe(`${kind.name} lifecycle`, () => {
    test('register leaves the exit disarmed; arm and disarm toggle it and enabled follows', async () => {
      const { hook } = fresh(kind);
      let calls = 0;
      const exit = hook.register(() => void calls++, { name: 'counter' });
      assert.equal(exit.name, 'counter');
      assert.equal(exit.armed, false);
      assert.equal(exit.registered, true);
      assert.equal(exit.hook, hook);
      assert.equal(exit.arm(), exit, 'arm returns the exit for chaining');
      assert.equal(hook.enabled, true);
      await fire(hook);
      exit.disarm();
      assert.equal(hook.enabled, false);
      await fire(hook);
      assert.equal(calls, 1);
      assert.equal(exit.stats.hits, 1);
    });

    test('arm and disarm are idempotent', async () => {
      const { hook } = fresh(kind);
      let calls = 0;
      const exit = hook.register(() => void calls++);
      exit.arm().arm();
      await fire(hook);
      assert.equal(calls, 1, 'armed twice still runs once');
      exit.disarm().disarm();
      assert.equal(exit.armed, false);
    });

    test('deregister removes the exit from exits and from dispatch, and is idempotent', async () => {
      const { hook } = fresh(kind);
      let calls = 0;
      const exit = hook.register(() => void calls++, { armed: true });
      exit.deregister();
      exit.deregister();
      assert.equal(exit.registered, false);
      assert.equal(exit.armed, false);
      assert.equal(hook.exits.length, 0);
      assert.equal(hook.enabled, false);
      await fire(hook);
      assert.equal(calls, 0);
      assert.throws(
        () => exit.arm(),
        (e: unknown) => e instanceof HookError && e.code === 'ERR_EXIT_DEREGISTERED',
      );
      exit.disarm(); // disarming a removed exit changes nothing and is allowed
    });

    test('Symbol.dispose deregisters (for `using`)', () => {
      const { hook } = fresh(kind);
      {
        using exit = hook.register(() => undefined, { armed: true });
        assert.equal(exit.armed, true);
      }
      assert.equal(hook.exits.length, 0);
      assert.equal(hook.enabled, false);
    });

    test('default exit names come from the function name and stay unique', () => {
      const { hook } = fresh(kind);
      function audit(): void {}
      const a = hook.register(audit);
      const b = hook.register(audit);
      const c = hook.register(() => undefined);
      assert.equal(a.name, 'audit#1');
      assert.equal(b.name, 'audit#2');
      assert.match(c.name, /#3$/);
    });

    test('terminate removes the hook, frees its name, and leaves fire idle', async () => {
      const { hook, registry } = fresh(kind);
      let calls = 0;
      const exit = hook.register(() => void calls++);
      hook.terminate();
      assert.equal(hook.terminated, true);
      assert.equal(registry.get(hook.name), undefined);
      assert.equal(exit.registered, false);
      await fire(hook, 1);
      assert.equal(calls, 0);
      const again = kind.declare(hook.name, { registry });
      assert.equal(registry.get(hook.name), again);
    });

    test('terminate with force disarms and removes armed exits', async () => {
      const { hook, registry } = fresh(kind);
      let calls = 0;
      hook.register(() => void calls++, { armed: true });
      hook.terminate({ force: true });
      assert.equal(hook.enabled, false);
      await fire(hook, 1);
      assert.equal(calls, 0);
      assert.equal(registry.list().length, 0);
    });
  });
}

test('exits is a frozen view in running order', () => {
  const { hook } = fresh(KIND_CASES[0]!);
  hook.register(() => undefined, { name: 'b', order: 5 });
  hook.register(() => undefined, { name: 'a', order: -5 });
  assert.deepEqual(
    hook.exits.map((e) => e.name),
    ['a', 'b'],
  );
  assert.ok(Object.isFrozen(hook.exits));
});

test('a deregistered exit drops its function so it can be collected', () => {
  const { hook } = fresh(KIND_CASES[0]!);
  const big = { payload: new Array(10).fill(0) };
  const exit = hook.register(() => big.payload.length);
  exit.deregister();
  assert.ok(!String((exit as unknown as { fn: () => unknown }).fn).includes('payload'));
});
