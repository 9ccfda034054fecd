// A handler that calls the probed function (directly or through others) does not recurse: the
// inner call runs unprobed and counts as missed. The function's own recursion is probed normally.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { probe } from '../../src/probe/index.ts';
import { freshRegistry } from './harness.ts';

for (const boost of [true, false]) {
  test(`a handler calling its own probed function runs it unprobed (${boost ? 'boosted' : 'generic'})`, () => {
    const obj = {
      fn(a: number): number {
        return a + 1;
      },
    };
    const seen: number[] = [];
    const p = probe(
      obj,
      'fn',
      {
        onEnter(ctx) {
          seen.push(ctx.args[0] as number);
          assert.equal(obj.fn(100), 101, 'the inner call still works');
        },
        onLeave(_ctx, r: number) {
          return r + obj.fn(0) - 1;
        },
      },
      { registry: freshRegistry(), boost },
    );
    assert.equal(obj.fn(1), 2);
    assert.deepEqual(seen, [1]);
    assert.equal(p.stats.hits, 1);
    assert.equal(p.stats.missed, 2);
    p.remove();
  });
}

test('a call through another probed function from a handler is missed on both', () => {
  const reg = freshRegistry();
  const obj = {
    f(a: number): number {
      return a;
    },
    g(a: number): number {
      return obj.f(a) * 2;
    },
  };
  const pf = probe(obj, 'f', { onEnter: () => void obj.g(1) }, { registry: reg });
  const pg = probe(obj, 'g', {}, { registry: reg });
  assert.equal(obj.f(3), 3);
  assert.equal(pf.stats.hits, 1);
  assert.equal(pg.stats.hits, 0);
  assert.equal(pg.stats.missed, 1, "g was called from f's handler");
  assert.equal(pf.stats.missed, 1, 'and g called f again');
  assert.equal(obj.g(2), 4, 'outside handlers both are probed');
  assert.equal(pg.stats.hits, 1);
  assert.equal(pf.stats.hits, 2);
  pf.remove();
  pg.remove();
});

test("the probed function's own recursion is probed at every level", () => {
  const obj = {
    fact(n: number): number {
      return n <= 1 ? 1 : n * obj.fact(n - 1);
    },
  };
  const depths: number[] = [];
  const p = probe(obj, 'fact', { onEnter: (ctx) => void depths.push(ctx.args[0] as number) }, { registry: freshRegistry() });
  assert.equal(obj.fact(5), 120);
  assert.deepEqual(depths, [5, 4, 3, 2, 1]);
  assert.equal(p.stats.missed, 0);
  p.remove();
});
