// faults: 'isolate' contains exit exceptions, counts them, reports them; never throws into the site.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FaultEvent } from '../../src/core/index.ts';
import { KIND_CASES, fire, fresh } from './harness.ts';

for (const kind of KIND_CASES) {
  test(`${kind.name}: an isolated fault is contained, counted, reported, and the dispatch goes on`, async () => {
    const { hook, registry } = fresh(kind, { faults: 'isolate' });
    assert.equal(hook.faults, 'isolate');
    const events: FaultEvent[] = [];
    registry.onFault((e) => events.push(e));
    const seen: string[] = [];
    hook.register(
      kind.async
        ? async () => {
            throw new TypeError('bad exit');
          }
        : () => {
            throw new TypeError('bad exit');
          },
      { armed: true, name: 'bad' },
    );
    hook.register(() => void seen.push('after'), { armed: true, name: 'good' });
    const result = await fire(hook, 'v');
    assert.deepEqual(seen, ['after']);
    assert.equal(result, kind.combine === 'waterfall' ? 'v' : undefined);
    assert.equal(hook.exits[0]!.stats.faults, 1);
    assert.equal(hook.exits[0]!.stats.hits, 1);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.hook, hook.name);
    assert.equal(events[0]!.exit, 'bad');
    assert.ok(events[0]!.error instanceof TypeError);
    assert.equal(registry.snapshot().faults, 1);
  });
}

test('non-Error throws are normalised into Errors for listeners', () => {
  const { hook, registry } = fresh(KIND_CASES[0]!, { faults: 'isolate' });
  const events: FaultEvent[] = [];
  registry.onFault((e) => events.push(e));
  hook.register(
    () => {
      // A thrown non-Error is what this test is about.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw 'a string';
    },
    { armed: true },
  );
  hook.fire();
  assert.ok(events[0]!.error instanceof Error);
  assert.match(events[0]!.error.message, /a string/);
  assert.equal(events[0]!.error.cause, 'a string');
});

test('a listener that throws does not reach the site, and unsubscribing stops reports', () => {
  const { hook, registry } = fresh(KIND_CASES[0]!, { faults: 'isolate' });
  let calls = 0;
  const off = registry.onFault(() => {
    calls++;
    throw new Error('listener broke');
  });
  hook.register(
    () => {
      throw new Error('exit broke');
    },
    { armed: true },
  );
  hook.fire();
  off();
  hook.fire();
  assert.equal(calls, 1);
  assert.equal(hook.exits[0]!.stats.faults, 2);
});

test('a gate whose deciding exit faults falls through to the next exit', () => {
  const { hook } = fresh(KIND_CASES[1]!, { faults: 'isolate' });
  hook.register(
    () => {
      throw new Error('x');
    },
    { armed: true },
  );
  hook.register(() => 'fallback', { armed: true });
  assert.equal(hook.fire(), 'fallback');
});

test('a sync notify hook with isolated faults contains an async exit that rejects (no unhandled rejection)', async () => {
  const { hook, registry } = fresh(KIND_CASES[0]!, { faults: 'isolate' });
  const events: FaultEvent[] = [];
  registry.onFault((e) => events.push(e));
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const seen: string[] = [];
    hook.register(
      async () => {
        throw new Error('late failure');
      },
      { armed: true, name: 'async-bad' },
    );
    hook.register(() => void seen.push('next'), { armed: true });
    hook.fire();
    assert.deepEqual(seen, ['next']);
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(unhandled, []);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.exit, 'async-bad');
    assert.match(events[0]!.error.message, /late failure/);
    assert.equal(hook.exits[0]!.stats.faults, 1);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
