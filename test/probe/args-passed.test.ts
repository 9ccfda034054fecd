// Handlers see exactly the arguments passed (arguments.length), not the declared parameters:
// fewer, as many, or more, through boosted (compiled or closure) and generic wrappers alike.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { probe } from '../../src/probe/index.ts';
import { freshRegistry } from './harness.ts';

function valid(this: unknown, version: unknown, options: unknown): unknown {
  return [version, options];
}

const targets = {
  'a method (boosted)': () => ({
    valid(version: unknown, options: unknown): unknown {
      return [version, options];
    },
  }),
  'a plain function (boosted)': () => ({ valid }),
  'an arrow (boosted)': () => ({ valid: (version: unknown, options: unknown): unknown => [version, options] }),
  'a bound function (generic)': () => ({ valid: valid.bind(null) }),
  'five parameters (boosted, past the closure mode fixed arities)': () => ({
    valid(a: unknown, b: unknown, _c?: unknown, _d?: unknown, _e?: unknown): unknown {
      return [a, b];
    },
  }),
};

for (const [what, make] of Object.entries(targets)) {
  test(`${what}: onEnter and onLeave see the arguments passed, however many`, () => {
    const obj = make();
    const seen: unknown[][] = [];
    const p = probe(
      obj,
      'valid',
      {
        onEnter: (ctx) => void seen.push([...ctx.args]),
        onLeave: (ctx) => void seen.push([...ctx.args]),
      },
      { registry: freshRegistry() },
    );
    try {
      const call: (...args: unknown[]) => unknown = obj.valid;
      assert.deepEqual(call('1.0.0'), ['1.0.0', undefined]);
      assert.deepEqual(call('1.0.0', { loose: true }), ['1.0.0', { loose: true }]);
      assert.deepEqual(call('1.0.0', undefined, 'extra'), ['1.0.0', undefined]);
      assert.deepEqual(call(), [undefined, undefined]);
    } finally {
      p.remove();
    }
    assert.deepEqual(seen, [
      ['1.0.0'],
      ['1.0.0'],
      ['1.0.0', { loose: true }],
      ['1.0.0', { loose: true }],
      ['1.0.0', undefined, 'extra'],
      ['1.0.0', undefined, 'extra'],
      [],
      [],
    ]);
  });
}
