// A hook declared without `args` passes every call's arguments exactly, before and after its
// dispatcher specialises for the arity of its first dispatch (issue 8), in every kind.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { STOP, codeGenerationEnabled } from '../../src/core/index.ts';
import { KIND_CASES, fire, fresh } from './harness.ts';

for (const kind of KIND_CASES) {
  describe(kind.name, () => {
    test('every call passes exactly its own arguments, whatever the first call passed', async () => {
      const { hook } = fresh(kind);
      const seen: unknown[][] = [];
      hook.register(
        function (this: unknown, ...args: unknown[]) {
          seen.push([arguments.length, ...args]);
        },
        { armed: true },
      );
      await fire(hook, 1, 2);
      await fire(hook, 3, 4);
      await fire(hook, 5);
      await fire(hook);
      await fire(hook, 6, 7, 8);
      await fire(hook, 9, 10);
      // A waterfall always passes its threaded value (undefined when the site passed nothing).
      const none = kind.combine === 'waterfall' ? [1, undefined] : [0];
      assert.deepEqual(seen, [[2, 1, 2], [2, 3, 4], [1, 5], none, [3, 6, 7, 8], [2, 9, 10]]);
      assert.deepEqual(
        hook.exits.map((e) => e.stats.hits),
        [6],
      );
    });

    test('the arity learnt stays through disarm, re-arm and new exits; results are unchanged', async () => {
      const { hook } = fresh(kind);
      const a = hook.register((x: unknown) => (kind.combine === 'waterfall' ? (x as number) + 1 : undefined), { armed: true });
      await fire(hook, 1, 'b');
      a.disarm();
      assert.equal(await fire(hook, 1, 'b'), kind.combine === 'waterfall' ? 1 : undefined);
      a.arm();
      const b = hook.register((x: unknown) => (kind.combine === 'gate' ? STOP : kind.combine === 'waterfall' ? (x as number) * 10 : undefined), {
        armed: true,
      });
      const result = await fire(hook, 1, 'b');
      if (kind.combine === 'waterfall') assert.equal(result, 20);
      else assert.equal(result, undefined);
      assert.equal(await fire(hook, 2), kind.combine === 'waterfall' ? 30 : undefined, 'another arity takes the general path');
      assert.deepEqual([a.stats.hits, b.stats.hits], [3, 2]);
    });

    test('source() shows the dispatcher specialised for the arity of the first dispatch', { skip: !codeGenerationEnabled() }, async () => {
      const { hook } = fresh(kind);
      hook.register(() => undefined, { armed: true });
      assert.match(hook.source(), /learn\(arguments\.length\)/);
      await fire(hook, 1, 2);
      const source = hook.source();
      assert.match(source, /function fire\(a0, a1\) \{\n {2}if \(arguments\.length !== 2\) return slow\(\.\.\.arguments\);/);
      assert.doesNotMatch(source, /learn\(/);
    });

    test('a first dispatch with more than 8 arguments keeps rest parameters for good', { skip: !codeGenerationEnabled() }, async () => {
      const { hook } = fresh(kind);
      const seen: number[] = [];
      hook.register((...args: unknown[]) => void seen.push(args.length), { armed: true });
      await fire(hook, 1, 2, 3, 4, 5, 6, 7, 8, 9);
      await fire(hook, 1);
      assert.deepEqual(seen, [9, 1]);
      assert.doesNotMatch(hook.source(), /learn\(|slow/);
    });
  });
}

test('a hook declared with args is never specialised by what its sites pass', () => {
  const { hook } = fresh(KIND_CASES[0]!, { args: ['a', 'b'] });
  const seen: number[] = [];
  hook.register((...args: unknown[]) => void seen.push(args.length), { armed: true });
  hook.fire(1);
  hook.fire(1, 2, 3);
  assert.deepEqual(seen, [2, 2], 'declared args: exactly that many, as before');
});
