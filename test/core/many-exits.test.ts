// Many exits: a sync notify dispatcher over 16 exits runs in chunks (codegen); the dispatch must
// read exactly as one straight line: order, STOP at any place (chunk edges too), faults, counts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STOP, codeGenerationEnabled, type FaultEvent } from '../../src/core/index.ts';
import { KIND_CASES, fresh } from './harness.ts';

const notify = KIND_CASES.find((k) => k.name === 'hook')!;

/** A hook with `n` armed exits that log their index; `act(i)` decides what exit i does. */
function many(n: number, options: object, act: (i: number) => unknown = () => undefined) {
  const { hook, registry } = fresh(notify, options);
  const seen: number[] = [];
  for (let i = 0; i < n; i++) {
    hook.register(
      (a: unknown, b: unknown) => {
        assert.deepEqual([a, b], ['p', 7]);
        seen.push(i);
        return act(i);
      },
      { armed: true, name: `x${i}` },
    );
  }
  const hits = () => hook.exits.map((e) => e.stats.hits);
  return { hook, registry, seen, hits };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

for (const args of [undefined, ['a', 'b']]) {
  const shape = args ? 'args' : 'rest';
  for (const n of [16, 17, 32, 33, 50]) {
    test(`${n} exits (${shape}): every exit runs once, in order, with the arguments`, () => {
      const { hook, seen, hits } = many(n, args ? { args } : {});
      hook.fire('p', 7);
      hook.fire('p', 7); // the second dispatch runs the dispatcher specialised for the learned arity
      assert.deepEqual(seen, [...range(0, n), ...range(0, n)]);
      assert.deepEqual(hits(), Array(n).fill(2));
    });
  }

  for (const at of [0, 14, 15, 16, 31, 32, 48]) {
    test(`50 exits (${shape}): STOP from exit ${at} ends the dispatch there; counts stay exact`, () => {
      const { hook, seen, hits } = many(50, args ? { args } : {}, (i) => (i === at ? STOP : undefined));
      assert.equal(hook.fire('p', 7), undefined);
      assert.equal(hook.fire('p', 7), undefined);
      assert.deepEqual(seen, [...range(0, at + 1), ...range(0, at + 1)]);
      assert.deepEqual(hits(), [...Array(at + 1).fill(2), ...Array(50 - at - 1).fill(0)]);
    });
  }

  test(`40 exits (${shape}), faults propagate: a throw from exit 20 reaches the site; later exits do not run`, () => {
    const { hook, seen, hits } = many(40, args ? { args } : {}, (i) => {
      if (i === 20) throw new RangeError('exit 20');
    });
    assert.throws(() => hook.fire('p', 7), RangeError);
    assert.deepEqual(seen, range(0, 21));
    assert.deepEqual(hits(), [...Array(21).fill(1), ...Array(19).fill(0)]);
  });

  test(`40 exits (${shape}), faults isolated: a throw from exit 20 is reported and the dispatch goes on`, () => {
    const { hook, registry, seen, hits } = many(40, args ? { faults: 'isolate', args } : { faults: 'isolate' }, (i) => {
      if (i === 20) throw new RangeError('exit 20');
      if (i === 30) return STOP;
      return undefined;
    });
    const events: FaultEvent[] = [];
    registry.onFault((e) => events.push(e));
    assert.equal(hook.fire('p', 7), undefined);
    assert.deepEqual(seen, range(0, 31));
    assert.deepEqual(hits(), [...Array(31).fill(1), ...Array(9).fill(0)]);
    assert.deepEqual(
      events.map((e) => e.exit),
      ['x20'],
    );
    assert.equal(hook.exits[20]!.stats.faults, 1);
  });
}

test('source() shows the chunks of a large dispatcher (codegen) and one straight line up to 16 exits', () => {
  const small = many(16, { args: ['a', 'b'] }).hook.source();
  const large = many(17, { args: ['a', 'b'] }).hook.source();
  if (!codeGenerationEnabled()) {
    assert.match(large, /closure dispatcher/);
    return;
  }
  assert.doesNotMatch(small, /function c0/);
  assert.match(large, /function c0\(a0, a1\) \{/);
  assert.match(large, /function c1\(a0, a1\) \{/);
  assert.match(large, /if \(c0\(a0, a1\) === STOP\) return;\n {2}c1\(a0, a1\);\n\};$/);
});

for (const n of [4, 10, 20]) {
  test(`${n} exits without args: after the arity is learned, a call with another count still passes every argument`, () => {
    const { hook } = fresh(notify);
    const got: unknown[][] = [];
    for (let i = 0; i < n; i++) hook.register((...a: unknown[]) => void got.push(a), { armed: true });
    hook.fire('p', 7);
    hook.fire('p', 7);
    hook.fire('p', 7, 'more');
    hook.fire('p');
    assert.deepEqual(got, [...Array(2 * n).fill(['p', 7]), ...Array(n).fill(['p', 7, 'more']), ...Array(n).fill(['p'])]);
    assert.deepEqual(
      hook.exits.map((e) => e.stats.hits),
      Array(n).fill(4),
    );
  });
}
