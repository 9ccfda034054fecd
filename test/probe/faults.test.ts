// Instrumentation never changes the program: a handler that throws is contained, counted in its
// probe's faults and reported to the registry's fault listeners.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { probe } from '../../src/probe/index.ts';
import { freshRegistry } from './harness.ts';

for (const boost of [true, false]) {
  test(`throwing handlers are contained, counted and reported (${boost ? 'boosted' : 'generic'})`, () => {
    const reg = freshRegistry();
    const events: { hook: string; exit: string; message: string }[] = [];
    reg.onFault((e) => events.push({ hook: e.hook, exit: e.exit, message: e.error.message }));
    const obj = {
      fn(a: number) {
        if (a < 0) throw new RangeError('negative');
        return a * 2;
      },
    };
    const good: number[] = [];
    const bad = probe(
      obj,
      'fn',
      {
        onEnter() {
          throw new Error('enter broke');
        },
        onLeave() {
          throw new Error('leave broke');
        },
        onError() {
          // A thrown non-Error is what this test is about.
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw 'not even an error';
        },
      },
      { registry: reg, name: 'bad', boost },
    );
    const ok = probe(obj, 'fn', { onLeave: (_c, r: number) => void good.push(r) }, { registry: reg, name: 'good', boost });
    assert.equal(obj.fn(2), 4);
    assert.throws(() => obj.fn(-1), RangeError, 'the original error still reaches the caller');
    assert.deepEqual(good, [4], 'the next probe still ran');
    assert.equal(bad.stats.faults, 4);
    assert.equal(ok.stats.faults, 0);
    assert.deepEqual(
      events.map((e) => [e.exit, e.message]),
      [
        ['bad', 'enter broke'],
        ['bad', 'leave broke'],
        ['bad', 'enter broke'],
        ['bad', 'non-error thrown: not even an error'],
      ],
    );
    assert.ok(events.every((e) => e.hook === bad.hook));
    assert.equal(reg.snapshot().faults, 4);
    bad.remove();
    ok.remove();
  });
}

test('a fault in an async onLeave is contained and the caller still gets the value', async () => {
  const reg = freshRegistry();
  let faults = 0;
  reg.onFault(() => faults++);
  const obj = {
    async fn() {
      return 7;
    },
  };
  const p = probe(
    obj,
    'fn',
    {
      onLeave: () => {
        throw new Error('x');
      },
    },
    { registry: reg },
  );
  assert.equal(await obj.fn(), 7);
  assert.equal(faults, 1);
  assert.equal(p.stats.faults, 1);
  p.remove();
});
