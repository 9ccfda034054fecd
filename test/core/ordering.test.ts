// Where exits run: first, numeric stages (stable), last; `only`; exclusive hooks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HookError, type Order } from '../../src/core/index.ts';
import { KIND_CASES, fire, fresh, state } from './harness.ts';

const notify = KIND_CASES[0]!;
const isOrderError = (e: unknown) => e instanceof HookError && e.code === 'ERR_HOOK_ORDER';

test('first, then numeric stages ascending and stable, then last — whatever the registration order', async () => {
  const { hook } = fresh(notify);
  const seen: string[] = [];
  const add = (name: string, order?: Order) =>
    hook.register(() => void seen.push(name), order === undefined ? { name, armed: true } : { name, order, armed: true });
  add('last', 'last');
  add('s10', 10);
  add('s0a');
  add('first', 'first');
  add('s-3', -3);
  add('s0b', 0);
  add('s10b', 10);
  await fire(hook);
  assert.deepEqual(seen, ['first', 's-3', 's0a', 's0b', 's10', 's10b', 'last']);
});

for (const kind of KIND_CASES) {
  test(`${kind.name}: order holds for every kind`, async () => {
    const { hook } = fresh(kind);
    const seen: string[] = [];
    const exit = (name: string) => (kind.async ? async () => void seen.push(name) : () => void seen.push(name));
    hook.register(exit('b'), { order: 1, armed: true });
    hook.register(exit('a'), { order: 'first', armed: true });
    await fire(hook, 0);
    assert.deepEqual(seen, ['a', 'b']);
  });
}

test('a second first or last fails with ERR_HOOK_ORDER and changes nothing', () => {
  const { hook, registry } = fresh(notify);
  hook.register(() => undefined, { order: 'first', name: 'one' });
  hook.register(() => undefined, { order: 'last', name: 'z' });
  const before = state(registry);
  assert.throws(
    () => hook.register(() => undefined, { order: 'first' }),
    (e: unknown) => isOrderError(e) && /"one" already runs first/.test((e as Error).message),
  );
  assert.throws(() => hook.register(() => undefined, { order: 'last' }), isOrderError);
  assert.equal(state(registry), before);
  // the freed slot can be taken again
  hook.exits[0]!.deregister();
  hook.register(() => undefined, { order: 'first', name: 'two' });
});

test("'only' needs an empty hook and then blocks every other exit", () => {
  const { hook, registry } = fresh(notify);
  hook.register(() => undefined, { name: 'x' });
  assert.throws(() => hook.register(() => undefined, { order: 'only' }), isOrderError);
  hook.exits[0]!.deregister();
  hook.register(() => undefined, { order: 'only', name: 'solo' });
  const before = state(registry);
  for (const order of [0, 'first', 'last', 'only'] as const) {
    assert.throws(
      () => hook.register(() => undefined, { order }),
      (e: unknown) => isOrderError(e) && /solo/.test((e as Error).message),
    );
  }
  assert.equal(state(registry), before);
});

test('an exclusive hook takes one exit only', () => {
  const { hook, registry } = fresh(notify, { exclusive: true });
  assert.equal(hook.exclusive, true);
  hook.register(() => undefined, { name: 'owner' });
  const before = state(registry);
  assert.throws(
    () => hook.register(() => undefined),
    (e: unknown) => isOrderError(e) && /exclusive/.test((e as Error).message),
  );
  assert.equal(state(registry), before);
});

test('bad orders are ERR_INVALID_ARG', () => {
  const { hook } = fresh(notify);
  for (const order of [NaN, Infinity, 'middle', null, {}]) {
    assert.throws(
      () => hook.register(() => undefined, { order: order as never }),
      (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG',
    );
  }
  assert.equal(hook.exits.length, 0);
});
