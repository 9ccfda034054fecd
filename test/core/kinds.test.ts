// What each kind's dispatch does with its exits' returns (sync and async variants side by side).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { STOP } from '../../src/core/index.ts';
import { KIND_CASES, fire, fresh } from './harness.ts';

for (const kind of KIND_CASES) {
  describe(`${kind.name}`, () => {
    test('a disarmed hook calls nothing and fire returns the idle result', async () => {
      const { hook } = fresh(kind);
      let calls = 0;
      hook.register(() => void calls++);
      assert.equal(hook.enabled, false);
      const result = await fire(hook, 5, 6);
      assert.equal(calls, 0);
      assert.equal(result, kind.combine === 'waterfall' ? 5 : undefined);
      if (kind.async) assert.ok(hook.fire(1) instanceof Promise, 'async fire returns a promise even when idle');
    });

    test('armed exits receive every argument in running order', async () => {
      const { hook } = fresh(kind);
      const seen: unknown[] = [];
      hook.register((...args: unknown[]) => void seen.push(['a', ...args]), { armed: true });
      hook.register((...args: unknown[]) => void seen.push(['b', ...args]), { armed: true });
      assert.equal(hook.enabled, true);
      await fire(hook, 1, 'two', 3);
      assert.deepEqual(seen, [
        ['a', 1, 'two', 3],
        ['b', 1, 'two', 3],
      ]);
      assert.deepEqual(
        hook.exits.map((e) => e.stats.hits),
        [1, 1],
      );
    });

    test('an exit with fixed declared args receives exactly those', async () => {
      const { hook } = fresh(kind, { args: ['x', 'y'] });
      const seen: unknown[][] = [];
      hook.register((...args: unknown[]) => void seen.push(args), { armed: true });
      await fire(hook, 1, 2, 3);
      assert.deepEqual(seen, [[1, 2]]);
      assert.deepEqual(hook.args, ['x', 'y']);
    });

    if (kind.combine !== 'parallel') {
      test('STOP ends the dispatch: later exits do not run', async () => {
        const { hook } = fresh(kind);
        const seen: string[] = [];
        hook.register(() => (seen.push('a'), kind.async ? Promise.resolve(STOP) : STOP), { armed: true });
        hook.register(() => void seen.push('b'), { armed: true });
        const result = await fire(hook, 'v');
        assert.deepEqual(seen, ['a']);
        assert.equal(result, kind.combine === 'waterfall' ? 'v' : undefined);
        assert.deepEqual(
          hook.exits.map((e) => e.stats.hits),
          [1, 0],
        );
      });
    }

    if (kind.combine === 'notify') {
      test('values other than STOP are ignored and every exit runs', async () => {
        const { hook } = fresh(kind);
        const seen: string[] = [];
        hook.register(() => (seen.push('a'), 42), { armed: true });
        hook.register(() => (seen.push('b'), 'x'), { armed: true });
        assert.equal(await fire(hook), undefined);
        assert.deepEqual(seen, ['a', 'b']);
      });
    }

    if (kind.combine === 'gate') {
      test('the first exit returning a value decides fire, later ones do not run', async () => {
        const { hook } = fresh(kind);
        const seen: string[] = [];
        hook.register(() => void seen.push('a'), { armed: true });
        hook.register((n: unknown) => (seen.push('b'), (n as number) > 1 ? `big ${String(n)}` : undefined), { armed: true });
        hook.register(() => (seen.push('c'), 'c'), { armed: true });
        assert.equal(await fire(hook, 5), 'big 5');
        assert.deepEqual(seen, ['a', 'b']);
        seen.length = 0;
        assert.equal(await fire(hook, 0), 'c');
        assert.deepEqual(seen, ['a', 'b', 'c']);
      });

      test('falsy values other than undefined count as a decision', async () => {
        const { hook } = fresh(kind);
        hook.register(() => 0, { armed: true });
        hook.register(() => 1, { armed: true });
        assert.equal(await fire(hook), 0);
        hook.exits[0]!.disarm();
        hook.register(() => null, { armed: true, order: 'first' });
        assert.equal(await fire(hook), null);
      });
    }

    if (kind.combine === 'waterfall') {
      test('each exit gets the current value and may replace it; undefined keeps it', async () => {
        const { hook } = fresh(kind);
        const seen: unknown[] = [];
        hook.register((v: unknown, k: unknown) => (seen.push([v, k]), (v as number) * (k as number)), { armed: true });
        hook.register((v: unknown) => void seen.push(v), { armed: true });
        hook.register((v: unknown, k: unknown) => (seen.push([v, k]), (v as number) + 1), { armed: true });
        assert.equal(await fire(hook, 3, 4), 13);
        assert.deepEqual(seen, [[3, 4], 12, [12, 4]]);
      });
    }

    if (kind.async) {
      test('series exits are awaited one after the other', async () => {
        const { hook } = fresh(kind);
        const events: string[] = [];
        hook.register(
          async () => {
            events.push('a start');
            await new Promise((r) => setTimeout(r, 5));
            events.push('a end');
          },
          { armed: true },
        );
        hook.register(async () => void events.push('b'), { armed: true });
        await fire(hook, 1);
        if (kind.combine === 'parallel') assert.deepEqual(events, ['a start', 'b', 'a end']);
        else assert.deepEqual(events, ['a start', 'a end', 'b']);
      });

      test('a rejecting exit rejects fire when faults propagate', async () => {
        const { hook } = fresh(kind);
        hook.register(
          async () => {
            throw new Error('boom');
          },
          { armed: true },
        );
        await assert.rejects(fire(hook, 1), /boom/);
      });
    } else {
      test('a throwing exit throws into the site when faults propagate', () => {
        const { hook } = fresh(kind);
        hook.register(
          () => {
            throw new Error('boom');
          },
          { armed: true },
        );
        assert.throws(() => hook.fire(1), /boom/);
        assert.equal(hook.exits[0]!.stats.faults, 0);
      });
    }
  });
}
