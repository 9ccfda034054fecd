import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asyncGate, createRegistry, hook, HookError } from '../../src/core/index.ts';
import { count } from '../../src/exits/count.ts';
import { call, ctx } from './helpers.ts';

test('count: hits per hook and per probe site, errors for calls that threw', () => {
  const registry = createRegistry();
  const a = hook<[number]>('count:a', { registry });
  const b = hook('count:b', { registry });
  const c = count();
  a.register(c.forHook(a), { armed: true });
  b.register(c.forHook(b), { armed: true });
  for (let i = 0; i < 5; i++) a.fire(i);
  const handlers = c.forProbe();
  call(handlers, 'probe:m#f', [], { result: 1 });
  call(handlers, 'probe:m#f', [], { error: new Error('x') });
  assert.deepEqual(c.report(), {
    type: 'count',
    faults: 0,
    sites: {
      'count:a': { hits: 5, errors: 0, faults: 0 },
      'count:b': { hits: 0, errors: 0, faults: 0 },
      'probe:m#f': { hits: 2, errors: 1, faults: 0 },
    },
  });
});

test('count exits return undefined, so an async gate still resolves from the real exit', async () => {
  const registry = createRegistry();
  const g = asyncGate<[number], string>('count:gate', { registry });
  const c = count();
  g.register(c.forHook(g), { armed: true, order: 'first' });
  g.register(async (n) => `v${n}`, { armed: true });
  assert.equal(await g.fire(3), 'v3');
  assert.equal(c.report().sites['count:gate']?.hits, 1);
  const handlers = c.forProbe();
  const x = ctx('probe:m#g');
  assert.equal(handlers.onEnter(x), undefined);
  assert.equal(handlers.onLeave(x, 'kept'), undefined);
  assert.equal(handlers.onError(x, new Error('kept')), undefined);
});

test('a malformed context is a contained fault, not an exception', () => {
  const c = count();
  const handlers = c.forProbe();
  const hostile = {
    get hook(): string {
      throw new Error('hostile');
    },
  };
  assert.doesNotThrow(() => handlers.onEnter(hostile as never));
  assert.doesNotThrow(() => handlers.onError(undefined as never, 1));
  assert.equal(c.report().faults, 2);
});

test('count takes no options', () => {
  assert.throws(
    () => count({ every: 2 } as never),
    (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG',
  );
});
