// Argument and result replacement, error recovery, and fault injection (onEnter overrides).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { probe } from '../../src/probe/index.ts';
import { freshRegistry } from './harness.ts';

const cases = [
  {
    kind: 'sync',
    make: () => ({
      fn: (a: number, b: number) => {
        if (b < 0) throw new Error('neg');
        return a - b;
      },
    }),
    run: async (h: any, a: number, b: number) => h.fn(a, b),
  },
  {
    kind: 'async',
    make: () => ({
      fn: async (a: number, b: number) => {
        if (b < 0) throw new Error('neg');
        return a - b;
      },
    }),
    run: async (h: any, a: number, b: number) => await h.fn(a, b),
  },
  {
    kind: 'generator',
    make: () => ({
      *fn(a: number, b: number) {
        yield 0;
        if (b < 0) throw new Error('neg');
        return a - b;
      },
    }),
    run: async (h: any, a: number, b: number) => {
      const it = h.fn(a, b);
      it.next();
      return it.next().value;
    },
  },
];

for (const c of cases) {
  for (const boost of [true, false]) {
    const label = `${c.kind}, ${boost ? 'boosted' : 'generic'}`;

    test(`onEnter replaces arguments and onLeave the result (${label})`, async () => {
      const h = c.make();
      const p = probe(
        h,
        'fn',
        {
          onEnter(ctx) {
            ctx.args[1] = 1;
          },
          onLeave(_ctx, r: number) {
            return r * 100;
          },
        },
        { registry: freshRegistry(), boost },
      );
      assert.equal(await c.run(h, 10, 5), 900);
      p.remove();
    });

    test(`onError recovers with { value }; returning nothing keeps the error (${label})`, async () => {
      const h = c.make();
      const reg = freshRegistry();
      const observer = probe(h, 'fn', { onError: () => undefined }, { registry: reg, boost, name: 'observer' });
      await assert.rejects(() => c.run(h, 1, -1), /neg/);
      const rescuer = probe(h, 'fn', { onError: (_ctx, e) => ({ value: `rescued ${(e as Error).message}` }) }, { registry: reg, boost, name: 'rescuer' });
      assert.equal(await c.run(h, 1, -1), 'rescued neg');
      observer.remove();
      rescuer.remove();
    });

    test(`onEnter { value } skips the original; { error } injects a fault (${label})`, async () => {
      let calls = 0;
      const h = c.make();
      const orig = h.fn;
      (h as any).fn = orig; // same function, counted below through a probe of our own
      const reg = freshRegistry();
      const counter = probe(
        h,
        'fn',
        {
          onLeave: (_c, r) => {
            calls++;
            return r;
          },
        },
        { registry: reg, boost, name: 'later' },
      );
      const inject = probe(
        h,
        'fn',
        {
          onEnter(ctx) {
            if (ctx.args[0] === 1) return { value: 42 };
            if (ctx.args[0] === 2) return { error: new Error('injected') };
            return undefined;
          },
        },
        { registry: reg, boost, order: 'first', name: 'inject' },
      );
      if (c.kind === 'generator') {
        // For generator targets an override is the call's result as is.
        assert.equal(h.fn(1, 0), 42);
        assert.throws(() => h.fn(2, 0), /injected/);
      } else {
        assert.equal(await c.run(h, 1, 0), 42);
        await assert.rejects(() => c.run(h, 2, 0), /injected/);
      }
      assert.equal(await c.run(h, 3, 1), 2);
      assert.equal(calls, c.kind === 'generator' ? 2 : 2);
      inject.remove();
      counter.remove();
    });
  }
}
