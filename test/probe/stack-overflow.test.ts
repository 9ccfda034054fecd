// A stack overflow inside a probed call (in the program or in a handler) never leaves the probes'
// recursion guard raised: later hits of this and every other probe are counted, not missed. And
// should the guard ever stay up, the next missed hit lowers it again and reports the problem.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeGenerationEnabled } from '../../src/core/index.ts';
import { probe, type ProbeHandlers } from '../../src/probe/index.ts';
import { guard } from '../../src/probe/engine.ts';
import { freshRegistry } from './harness.ts';

/** Uses `k` frames of stack, so a handler near the limit overflows at a different point each time. */
function deep(k: number): number {
  return k <= 0 ? 0 : 1 + deep(k - 1);
}

const HANDLERS: Record<string, (k: number) => ProbeHandlers> = {
  onEnter: (k) => ({ onEnter: () => void deep(k) }),
  onLeave: (k) => ({ onLeave: () => void deep(k) }),
  'onEnter+onLeave+onError': (k) => ({ onEnter: () => void deep(k), onLeave: () => void deep(k), onError: () => void deep(k) }),
  'counting only': () => ({}),
};

for (const boost of [true, false]) {
  for (const [label, make] of Object.entries(HANDLERS)) {
    test(`a stack overflow in a probed call leaves later hits counted (${boost ? 'boosted' : 'generic Proxy'}, ${label})`, () => {
      const reg = freshRegistry();
      const faults: string[] = [];
      reg.onFault((e) => faults.push(e.error.message));
      // A plain function (a `function` wrapper) and a method (a method wrapper), both recursive.
      const holder = {
        plain: function down(n: number): number {
          return n <= 0 ? 0 : 1 + holder.plain(n - 1);
        },
        method(n: number): number {
          return n <= 0 ? 0 : 1 + holder.method(n - 1);
        },
      };
      const other = { fn: (a: number) => a + 1 };
      for (const key of ['plain', 'method'] as const) {
        // Several handler depths, so the overflow lands in the program, in a handler, and in the
        // bookkeeping around them.
        for (let k = 0; k <= 40; k += 4) {
          const p = probe(holder, key, make(k), { registry: reg, boost });
          assert.throws(() => holder[key](1e7), RangeError, 'the program still overflows');
          assert.equal(guard.depth, 0, `guard lowered after the overflow (${key}, handler depth ${k})`);
          const { hits, missed } = p.stats;
          assert.equal(holder[key](3), 3, 'results unchanged');
          assert.equal(p.stats.hits, hits + 4, 'later hits are counted');
          assert.equal(p.stats.missed, missed, 'and none missed');
          const q = probe(other, 'fn', make(0), { registry: reg, boost });
          assert.equal(other.fn(1), 2);
          assert.deepEqual([q.stats.hits, q.stats.missed], [1, 0], 'a probe attached later is not switched off either');
          q.remove();
          p.remove();
        }
      }
      assert.ok(
        faults.every((m) => !/guard/.test(m)),
        'the guard never needed its safety net',
      );
    });
  }
}

test('a guard left raised is lowered at the next missed hit and reported', async () => {
  const reg = freshRegistry();
  const faults: { exit: string; message: string }[] = [];
  reg.onFault((e) => faults.push({ exit: e.exit, message: e.error.message }));
  const obj = { fn: (a: number) => a * 2 };
  const p = probe(obj, 'fn', { onEnter() {} }, { registry: reg });
  guard.depth = 1; // what a fault in the guard's bookkeeping would leave behind
  assert.equal(obj.fn(2), 4);
  assert.deepEqual([p.stats.hits, p.stats.missed], [0, 1]);
  await Promise.resolve();
  assert.equal(guard.depth, 0, 'lowered by the next microtask');
  assert.equal(faults.length, 1);
  assert.equal(faults[0]!.exit, '(guard)');
  assert.match(faults[0]!.message, /guard was left raised/);
  assert.equal(obj.fn(3), 6);
  assert.deepEqual([p.stats.hits, p.stats.missed], [1, 1], 'counted again');
  p.remove();
});

test(
  "the boosted wrapper's guarded region cannot throw, and needs no try/finally",
  { skip: !codeGenerationEnabled() && 'closure mode compiles no code' },
  () => {
    const obj = { fn: (a: number) => a };
    const p = probe(obj, 'fn', { onEnter() {}, onLeave() {}, onError() {} }, { registry: freshRegistry() });
    const src = p.source();
    // onEnter and onLeave are inline; onError runs out of line (failed -> leaveAll, with the same rule).
    assert.equal(src.match(/fault\(/g)?.length, 2, 'one fault() per inline handler');
    assert.equal(src.match(/try \{ fault\(P, p0, e\); \} catch \{\}/g)?.length, 2, 'each inside a try of its own');
    assert.match(src, /catch \(e\) \{ return failed\(P, \[c0\], e\); \}/);
    assert.doesNotMatch(src, /finally/);
    p.remove();
  },
);
