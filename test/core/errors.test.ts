// Every error code, thrown at the call that is wrong, with nothing changed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCodes, HookError, armAll, createRegistry, hook, transaction, waterfall, type Registry } from '../../src/core/index.ts';
import { KIND_CASES, fresh, state } from './harness.ts';

const notify = KIND_CASES[0]!;

function expectCode(registry: Registry, code: string, run: () => unknown): HookError {
  const before = state(registry);
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof HookError, `expected a HookError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code);
  assert.equal(caught.name, 'HookError');
  assert.ok(caught.message.length > 10, 'the message says what is wrong');
  assert.equal(state(registry), before, 'nothing changed');
  return caught;
}

test('ErrorCodes lists every code as its own value', () => {
  for (const [key, value] of Object.entries(ErrorCodes)) assert.equal(key, value);
});

test('ERR_HOOK_EXISTS: a duplicate name', () => {
  const registry = createRegistry();
  hook('db:query', { registry });
  const error = expectCode(registry, 'ERR_HOOK_EXISTS', () => hook('db:query', { registry }));
  assert.match(error.message, /db:query/);
  // the same name is free in another registry
  hook('db:query', { registry: createRegistry() });
});

test('ERR_HOOK_BUSY: terminate with armed exits, unforced', () => {
  const { hook: h, registry } = fresh(notify);
  h.register(() => undefined, { armed: true, name: 'still-on' });
  const error = expectCode(registry, 'ERR_HOOK_BUSY', () => h.terminate());
  assert.match(error.message, /still-on/);
  assert.equal(h.terminated, false);
});

test('ERR_HOOK_SEALED: every change of a sealed hook', () => {
  const { hook: h, registry } = fresh(notify);
  const armed = h.register(() => undefined, { armed: true, name: 'a' });
  const disarmed = h.register(() => undefined, { name: 'b' });
  h.seal();
  assert.equal(h.sealed, true);
  expectCode(registry, 'ERR_HOOK_SEALED', () => h.register(() => undefined));
  expectCode(registry, 'ERR_HOOK_SEALED', () => armed.disarm());
  expectCode(registry, 'ERR_HOOK_SEALED', () => disarmed.arm());
  expectCode(registry, 'ERR_HOOK_SEALED', () => armed.deregister());
  expectCode(registry, 'ERR_HOOK_SEALED', () => h.terminate({ force: true }));
  expectCode(registry, 'ERR_HOOK_SEALED', () => armAll([disarmed]));
});

test('ERR_HOOK_SEALED: a sealed registry refuses new hooks and seals the ones it has', () => {
  const registry = createRegistry();
  const h = hook('app:start', { registry });
  registry.seal();
  assert.equal(registry.sealed, true);
  assert.equal(h.sealed, true);
  expectCode(registry, 'ERR_HOOK_SEALED', () => hook('app:late', { registry }));
  expectCode(registry, 'ERR_HOOK_SEALED', () => h.register(() => undefined));
});

test('ERR_HOOK_TERMINATED: using a terminated hook or its exits', () => {
  const { hook: h, registry } = fresh(notify);
  const exit = h.register(() => undefined);
  h.terminate();
  expectCode(registry, 'ERR_HOOK_TERMINATED', () => h.register(() => undefined));
  expectCode(registry, 'ERR_HOOK_TERMINATED', () => h.terminate());
  expectCode(registry, 'ERR_HOOK_TERMINATED', () => h.seal());
  expectCode(registry, 'ERR_HOOK_TERMINATED', () => exit.arm());
  exit.deregister(); // already gone: a no-op
});

test('ERR_EXIT_DEREGISTERED: arming a deregistered exit', () => {
  const { hook: h, registry } = fresh(notify);
  const exit = h.register(() => undefined);
  exit.deregister();
  expectCode(registry, 'ERR_EXIT_DEREGISTERED', () => exit.arm());
});

test('ERR_HOOK_ORDER is covered with the ordering rules (ordering.test.ts)', () => {
  const { hook: h, registry } = fresh(notify, { exclusive: true });
  h.register(() => undefined);
  expectCode(registry, 'ERR_HOOK_ORDER', () => h.register(() => undefined));
});

test('ERR_INVALID_ARG: bad hook names', () => {
  const registry = createRegistry();
  for (const name of ['', 'noarea', ':point', 'area:', 'has space:x', 'a:b c', 'a:\u0000', 'x:'.padEnd(300, 'y'), 42, null, undefined, {}]) {
    expectCode(registry, 'ERR_INVALID_ARG', () => hook(name as string, { registry }));
  }
});

test('ERR_INVALID_ARG: bad hook options', () => {
  const registry = createRegistry();
  const bad: unknown[] = [
    'isolate',
    [],
    { faults: 'ignore', registry },
    { exclusive: 'yes', registry },
    { registry: {} },
    { registry, args: 'a,b' },
    { registry, args: ['ok', 'not ok'] },
    { registry, args: ['1x'] },
    { registry, description: 7 },
    { registry, exlusive: true },
  ];
  for (const options of bad) expectCode(registry, 'ERR_INVALID_ARG', () => hook('opt:x', options as never));
  expectCode(registry, 'ERR_INVALID_ARG', () => waterfall('opt:w', { registry, args: [] }));
});

test('ERR_INVALID_ARG: bad register calls', () => {
  const { hook: h, registry } = fresh(notify);
  h.register(() => undefined, { name: 'taken' });
  for (const fn of [undefined, null, 1, 'fn', {}]) expectCode(registry, 'ERR_INVALID_ARG', () => h.register(fn));
  const badOptions: unknown[] = [{ name: '' }, { name: 5 }, { name: 'taken' }, { armed: 'yes' }, { when: 'now' }, 'first'];
  for (const options of badOptions) expectCode(registry, 'ERR_INVALID_ARG', () => h.register(() => undefined, options as never));
  expectCode(registry, 'ERR_INVALID_ARG', () => h.terminate({ force: 1 } as never));
});

test('ERR_INVALID_ARG: armAll with non-exits or exits of two registries, naming the culprit', () => {
  const a = fresh(notify);
  const b = fresh(notify);
  const ea = a.hook.register(() => undefined, { name: 'from-a' });
  const eb = b.hook.register(() => undefined, { name: 'from-b' });
  expectCode(a.registry, 'ERR_INVALID_ARG', () => armAll([ea, eb]));
  assert.equal(ea.armed, false);
  expectCode(a.registry, 'ERR_INVALID_ARG', () => armAll([ea, { arm() {} } as never]));
  expectCode(a.registry, 'ERR_INVALID_ARG', () => armAll(5 as never));
  const error = expectCode(a.registry, 'ERR_INVALID_ARG', () => armAll([ea, eb]));
  assert.match(error.message, /from-b/);
});

test('ERR_TRANSACTION_OPEN: a change started inside a transaction, which does not nest', () => {
  const { hook: h, registry } = fresh(notify);
  const e = h.register(() => undefined, { name: 'inner' });
  transaction(() => {
    const error = expectCode(registry, 'ERR_TRANSACTION_OPEN', () => e.arm());
    assert.match(error.message, /transaction/);
    expectCode(registry, 'ERR_TRANSACTION_OPEN', () => transaction((tx) => tx.arm(e)));
  });
});

test('onFault rejects a non-function listener', () => {
  const registry = createRegistry();
  expectCode(registry, 'ERR_INVALID_ARG', () => registry.onFault('log' as never));
});
