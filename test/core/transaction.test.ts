// Transactions: mark changes, then check all, apply all, rebuild each touched hook once; all or
// nothing; no nesting; a dispatch already running keeps its snapshot. Both compile modes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectTypeOf } from 'expect-type';
import { HookError, armAll, createRegistry, hook, transaction, type AnyHook, type Registry } from '../../src/core/index.ts';
import { codeGenerationEnabled, declare, type HookImpl } from '../../src/core/internal.ts';
import { KIND_CASES, fire, fresh, state } from './harness.ts';

/** A hook whose rebuilds are counted: `onArmedChange` runs once per rebuild, in both compile modes. */
function counted(registry: Registry, name: string): { hook: AnyHook; rebuilds: string[][] } {
  const rebuilds: string[][] = [];
  const h = declare('hook', name, { registry }, { onArmedChange: (armed) => void rebuilds.push(armed.map((e) => e.name)) });
  return { hook: h, rebuilds };
}

function isCode(code: string, message?: RegExp) {
  return (e: unknown) => e instanceof HookError && e.code === code && (message === undefined || message.test(e.message));
}

const noop = () => undefined;

test('a transaction applies mixed changes across hooks together and returns what its body returned', () => {
  const registry = createRegistry();
  const a = hook<[string]>('tx:a', { registry });
  const b = hook<[string]>('tx:b', { registry });
  const seen: string[] = [];
  const oldA = a.register((x) => void seen.push(`oldA ${x}`), { armed: true, name: 'oldA' });
  const newA = a.register((x) => void seen.push(`newA ${x}`), { name: 'newA' });
  const gone = b.register((x) => void seen.push(`gone ${x}`), { armed: true, name: 'gone' });
  const onB = b.register((x) => void seen.push(`onB ${x}`), { name: 'onB' });
  const result = transaction((tx) => {
    tx.disarm(oldA).arm(newA).deregister(gone).arm(onB);
    return 42;
  });
  assert.equal(result, 42);
  expectTypeOf(result).toEqualTypeOf<number>();
  assert.equal(oldA.armed, false);
  assert.equal(newA.armed, true);
  assert.equal(gone.registered, false);
  assert.deepEqual(
    b.exits.map((e) => e.name),
    ['onB'],
  );
  a.fire('1');
  b.fire('1');
  assert.deepEqual(seen, ['newA 1', 'onB 1']);
});

test('a hook touched many times in one transaction is rebuilt once, with the final armed set', () => {
  const registry = createRegistry();
  const one = counted(registry, 'tx:count1');
  const two = counted(registry, 'tx:count2');
  const e1 = one.hook.register(noop, { name: 'e1' });
  const e2 = one.hook.register(noop, { name: 'e2' });
  const e3 = one.hook.register(noop, { name: 'e3', armed: true });
  const f1 = two.hook.register(noop, { name: 'f1' });
  one.rebuilds.length = 0;
  transaction((tx) => {
    tx.arm(e1).arm(e2).disarm(e3);
    tx.arm(f1);
    tx.disarm(e2).arm(e2).deregister(e3); // the same hook again, after another hook
  });
  assert.deepEqual(one.rebuilds, [['e1', 'e2']], 'one rebuild of the first hook');
  assert.deepEqual(two.rebuilds, [['f1']], 'one rebuild of the second hook');
  // the single-exit calls are one-mark transactions: one rebuild each
  e1.disarm();
  assert.deepEqual(one.rebuilds, [['e1', 'e2'], ['e2']]);
});

test('a transaction compiles one dispatcher per touched hook (code generation: the factory cache)', { skip: !codeGenerationEnabled() }, () => {
  const registry = createRegistry();
  const h = hook('tx:compile', { registry });
  const exits = [1, 2, 3].map((i) => h.register(noop, { name: `c${i}` }));
  const factories = (h as unknown as HookImpl)._state.factories;
  transaction((tx) => {
    for (const e of exits) tx.arm(e);
  });
  // one exit at a time would have compiled the 1- and 2-exit dispatchers on the way
  assert.deepEqual([...factories.keys()], ['3/learn']);
  const compiled = h.fire;
  transaction((tx) => {
    tx.disarm(exits[0]!).arm(exits[0]!);
  });
  assert.deepEqual([...factories.keys()], ['3/learn']);
  assert.equal(h.fire, compiled, 'marks that cancel out rebuild nothing');
});

test('a transaction that touches no hook, or only no-ops, changes nothing and rebuilds nothing', () => {
  const registry = createRegistry();
  const { hook: h, rebuilds } = counted(registry, 'tx:noop');
  const e = h.register(noop, { name: 'e' });
  e.deregister();
  const before = state(registry);
  transaction(() => undefined);
  transaction((tx) => tx.deregister(e)); // already gone: not a change
  assert.equal(state(registry), before);
  assert.deepEqual(rebuilds, []);
  const f = h.register(noop, { name: 'f' });
  const g = h.register(noop, { name: 'g', armed: true });
  rebuilds.length = 0;
  transaction((tx) => tx.arm(f).disarm(f).disarm(g).arm(g)); // marks that cancel out
  assert.deepEqual(rebuilds, []);
  assert.deepEqual([f.armed, g.armed], [false, true]);
});

test('all or nothing: a failure in the middle of a multi-hook change leaves every hook as it was', () => {
  const registry = createRegistry();
  const a = hook<[number]>('tx:first', { registry, faults: 'isolate' });
  const b = hook<[number]>('tx:middle', { registry });
  const c = hook<[number]>('tx:last', { registry });
  registry.onFault(noop);
  const runs: string[] = [];
  const a1 = a.register(() => void runs.push('a1'), { armed: true, name: 'a1' });
  const a2 = a.register(
    () => {
      runs.push('a2');
      throw new Error('counted as a fault');
    },
    { armed: true, name: 'a2' },
  );
  const a3 = a.register(() => void runs.push('a3'), { name: 'a3' });
  const b1 = b.register(() => void runs.push('b1'), { armed: true, name: 'b1' });
  const bGone = b.register(noop, { name: 'b-gone' });
  const c1 = c.register(() => void runs.push('c1'), { name: 'c1' });
  a.fire(1);
  b.fire(1);
  bGone.deregister();
  const before = state(registry);
  const fires = [a.fire, b.fire, c.fire];
  runs.length = 0;

  assert.throws(
    () =>
      transaction((tx) => {
        tx.disarm(a1).deregister(a2).arm(a3); // fine on its own
        tx.disarm(b1).arm(bGone); // the problem, in the middle
        tx.arm(c1).terminate(c, { force: true }); // fine on its own
      }),
    isCode('ERR_EXIT_DEREGISTERED', /^transaction: nothing changed, because exit "b-gone" of hook "tx:middle" was deregistered/),
  );
  assert.equal(state(registry), before, 'armed flags, registrations, hits and faults as they were');
  assert.deepEqual([a.fire, b.fire, c.fire], fires, 'no hook was rebuilt');
  assert.deepEqual([a1.armed, a2.armed, a3.armed, a2.registered, b1.armed, c1.armed, c.terminated], [true, true, false, true, true, false, false]);
  assert.deepEqual(a2.stats, { hits: 1, faults: 1 });
  assert.equal(registry.get('tx:last'), c);
  a.fire(2);
  b.fire(2);
  c.fire(2);
  assert.deepEqual(runs, ['a1', 'a2', 'b1'], 'dispatches run the old exits');
});

test('the error is the first problem, hook by hook in the order they were first marked', () => {
  const registry = createRegistry();
  const a = hook('tx:p1', { registry });
  const b = hook('tx:p2', { registry });
  const gone = a.register(noop, { name: 'gone' });
  const later = b.register(noop, { name: 'later' });
  const again = a.register(noop, { name: 'again' });
  gone.deregister();
  b.seal();
  // b's problem is marked first, but a was touched first
  assert.throws(() => transaction((tx) => tx.arm(again).arm(later).arm(gone)), isCode('ERR_EXIT_DEREGISTERED', /gone/));
  assert.throws(() => transaction((tx) => tx.arm(later).arm(gone)), isCode('ERR_HOOK_SEALED', /tx:p2/));
  assert.equal(again.armed, false);
});

test('marks are checked in order: arm after deregister, anything after terminate, an unforced busy terminate', () => {
  const registry = createRegistry();
  const h = hook('tx:order', { registry });
  const e = h.register(noop, { name: 'e', armed: true });
  const f = h.register(noop, { name: 'f' });
  const before = state(registry);
  assert.throws(() => transaction((tx) => tx.deregister(f).arm(f)), isCode('ERR_EXIT_DEREGISTERED', /"f"/));
  assert.throws(() => transaction((tx) => tx.terminate(h, { force: true }).arm(f)), isCode('ERR_HOOK_TERMINATED'));
  assert.throws(() => transaction((tx) => tx.terminate(h)), isCode('ERR_HOOK_BUSY', /\(e\)/));
  assert.throws(() => transaction((tx) => tx.arm(f).disarm(e).terminate(h)), isCode('ERR_HOOK_BUSY', /\(f\)/));
  assert.equal(state(registry), before);
  // disarming everything first makes an unforced terminate fine
  transaction((tx) => tx.disarm(e).terminate(h));
  assert.equal(h.terminated, true);
  assert.equal(registry.get('tx:order'), undefined);
  assert.equal(e.registered || f.registered, false);
});

test('a body that throws changes nothing, and its error comes through as it is', () => {
  const registry = createRegistry();
  const h = hook('tx:throws', { registry });
  const e = h.register(noop);
  const before = state(registry);
  const oops = new Error('oops');
  assert.throws(
    () =>
      transaction((tx) => {
        tx.arm(e);
        throw oops;
      }),
    (err: unknown) => err === oops,
  );
  assert.throws(() => transaction((tx) => tx.arm({ arm() {} } as never)), isCode('ERR_INVALID_ARG'));
  assert.throws(() => transaction((tx) => tx.terminate({ name: 'x' } as never)), isCode('ERR_INVALID_ARG'));
  assert.throws(() => transaction((tx) => tx.terminate(h, { force: 1 } as never)), isCode('ERR_INVALID_ARG'));
  assert.throws(() => transaction('arm' as never), isCode('ERR_INVALID_ARG'));
  assert.equal(state(registry), before);
});

test('a body must be synchronous: one that returns a promise changes nothing', async () => {
  const registry = createRegistry();
  const h = hook('tx:async', { registry });
  const e = h.register(noop);
  let late: unknown;
  assert.throws(
    () =>
      transaction(async (tx) => {
        tx.arm(e);
        await null;
        try {
          tx.arm(e);
        } catch (error) {
          late = error;
        }
      }),
    isCode('ERR_INVALID_ARG', /nothing changed.*promise/),
  );
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(e.armed, false);
  assert.ok(isCode('ERR_INVALID_ARG', /ended/)(late), 'a transaction cannot be marked after it ended');
});

test('nesting is refused: inside a body, other changes throw ERR_TRANSACTION_OPEN', () => {
  const registry = createRegistry();
  const h = hook('tx:nest', { registry });
  const e = h.register(noop, { name: 'e' });
  const f = h.register(noop, { name: 'f', armed: true });
  const attempts: (() => unknown)[] = [
    () => transaction((inner) => inner.arm(e)),
    () => armAll([e]),
    () => e.arm(),
    () => f.disarm(),
    () => f.deregister(),
    () => h.register(noop, { armed: true }),
    () => h.register(noop),
    () => h.terminate({ force: true }),
  ];
  const before = state(registry);
  transaction(() => {
    for (const attempt of attempts) assert.throws(attempt, isCode('ERR_TRANSACTION_OPEN'));
  });
  assert.equal(state(registry), before, 'nothing was applied, nothing was half-done');
  // an uncaught nested attempt aborts the outer transaction too
  assert.throws(
    () =>
      transaction((tx) => {
        tx.arm(e);
        e.disarm();
      }),
    isCode('ERR_TRANSACTION_OPEN'),
  );
  assert.equal(e.armed, false);
  // the refusal ends with the transaction
  e.arm();
  transaction((tx) => tx.disarm(e));
  assert.equal(e.armed, false);
});

test('a change from inside a rebuild (a layer callback) is refused; the change itself completes', () => {
  const registry = createRegistry();
  let refused: unknown;
  const h = declare(
    'hook',
    'tx:callback',
    { registry },
    {
      onArmedChange: () => {
        try {
          other.arm();
        } catch (error) {
          refused = error;
        }
      },
    },
  );
  const other = hook('tx:other', { registry }).register(noop);
  const e = h.register(noop);
  e.arm();
  assert.ok(isCode('ERR_TRANSACTION_OPEN', /rebuilt/)(refused));
  assert.equal(e.armed, true);
  assert.equal(other.armed, false);
  other.arm();
  assert.equal(other.armed, true, 'changes work again afterwards');
});

test('a transaction spans registries; armAll keeps to one', () => {
  const r1 = createRegistry();
  const r2 = createRegistry();
  const e1 = hook('tx:r', { registry: r1 }).register(noop);
  const e2 = hook('tx:r', { registry: r2 }).register(noop);
  assert.throws(() => armAll([e1, e2]), isCode('ERR_INVALID_ARG'));
  transaction((tx) => tx.arm(e1).arm(e2));
  assert.ok(e1.armed && e2.armed);
});

for (const kind of KIND_CASES) {
  test(`${kind.name}: a transaction during a dispatch applies from the next dispatch on`, async () => {
    const { hook: h } = fresh(kind);
    const seen: string[] = [];
    let done = false;
    h.register(
      () => {
        seen.push('first');
        if (!done) transaction((tx) => tx.disarm(second).arm(late));
        done = true;
      },
      { armed: true },
    );
    const second = h.register(() => void seen.push('second'), { armed: true });
    const late = h.register(() => void seen.push('late'));
    await fire(h, 0);
    assert.deepEqual(seen, ['first', 'second']);
    await fire(h, 0);
    assert.deepEqual(seen, ['first', 'second', 'first', 'late']);
  });
}

for (const kind of KIND_CASES.filter((k) => k.async && k.combine !== 'parallel')) {
  test(`${kind.name}: an async dispatch keeps its snapshot across a transaction made while it awaits`, async () => {
    const { hook: h, registry } = fresh(kind);
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = h.register(
      async () => {
        seen.push('slow');
        await gate;
      },
      { armed: true },
    );
    const second = h.register(async () => void seen.push('second'), { armed: true });
    const added = h.register(async () => void seen.push('added'));
    const pending = fire(h, 0);
    await Promise.resolve();
    transaction((tx) => tx.disarm(second).arm(added).deregister(slow));
    const synced = registry.synchronize();
    release();
    await pending;
    await synced;
    assert.deepEqual(seen, ['slow', 'second']);
    await fire(h, 0);
    assert.deepEqual(seen, ['slow', 'second', 'added']);
  });
}
