// hookwire's own code never shows up in probes: builtin() hands out the built-ins' functions as
// they were when hookwire loaded, and what runs through asHookwire() counts nowhere.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { probe } from '../../src/probe/index.ts';
import { asHookwire, guard } from '../../src/probe/engine.ts';
import { builtin } from '../../src/probe/host.ts';
import { freshRegistry } from './harness.ts';

test('builtin() keeps the original functions of a built-in that a probe replaced', () => {
  const original = path.join;
  const p = probe(path, 'join', {}, { registry: freshRegistry() });
  assert.notEqual(path.join, original, 'the module holds the wrapper');
  const own = builtin('node:path')!;
  assert.equal(own.join, original, "hookwire's copy holds the original");
  assert.equal(own.join('a', 'b'), 'a/b');
  assert.equal(own.sep, path.sep, 'other properties are the live ones');
  assert.equal(p.stats.hits, 0);
  p.remove();
});

test('calls made through asHookwire() run unprobed and count nowhere, not even as missed', () => {
  const obj = { fn: (a: number) => a + 1 };
  const p = probe(obj, 'fn', { onEnter() {} }, { registry: freshRegistry() });
  assert.equal(
    asHookwire(() => obj.fn(1)),
    2,
  );
  assert.deepEqual([p.stats.hits, p.stats.missed], [0, 0]);
  assert.throws(
    () =>
      asHookwire(() => {
        obj.fn(0);
        throw new Error('own');
      }),
    /own/,
  );
  assert.deepEqual([guard.depth, guard.own], [0, 0], 'the marker comes down, also when the code throws');
  assert.equal(obj.fn(1), 2);
  assert.deepEqual([p.stats.hits, p.stats.missed], [1, 0]);
  p.remove();
});
