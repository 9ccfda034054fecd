// The refusal of built-ins (intrinsics.ts) walks the realm's standard objects only when a probe
// names a native function: probing the program's own functions never pays for the walk (issue 8:
// ~5 ms of an attaching agent's start). This file runs in a process of its own, so the walk's
// state is this file's alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HookError } from '../../src/core/index.ts';
import { intrinsicName, intrinsicsWalked } from '../../src/probe/intrinsics.ts';
import { probe } from '../../src/probe/index.ts';
import { freshRegistry } from './harness.ts';

test('probes on functions written in JavaScript, of every kind, never walk the built-ins', () => {
  const reg = freshRegistry();
  class Shape {
    area(): number {
      return 1;
    }
  }
  const lib = {
    plain: function plain(x: number) {
      return x + 1;
    },
    arrow: (x: number) => x * 2,
    async later() {
      return 3;
    },
    *gen() {
      yield 4;
    },
    Shape,
  };
  assert.equal(intrinsicsWalked(), false, 'nothing walked at load');
  const probes = (['plain', 'arrow', 'later', 'gen', 'Shape'] as const).map((key) => probe(lib, key, {}, { registry: reg }));
  probes.push(probe(Shape.prototype, 'area', {}, { registry: reg }));
  assert.equal(lib.plain(1), 2);
  assert.equal(new lib.Shape().area(), 1);
  assert.equal(intrinsicName(lib.arrow), undefined);
  assert.equal(intrinsicsWalked(), false, 'no JavaScript function made it walk');
  for (const p of probes) p.remove();
});

test('the first native function walks once: a bound function is probed, a built-in refused, both as before', () => {
  const reg = freshRegistry();
  const bound = {
    f: function f(this: unknown, x: number) {
      return x + 1;
    }.bind(null),
  };
  const p = probe(bound, 'f', {}, { registry: reg });
  assert.equal(intrinsicsWalked(), true, 'a native function made it walk');
  assert.equal(bound.f(1), 2);
  assert.equal(p.stats.hits, 1);
  p.remove();
  assert.throws(
    () => probe(Map.prototype, 'get', {}, { registry: reg }),
    (e: unknown) => e instanceof HookError && e.code === 'ERR_PROBE_TARGET' && /JavaScript built-in Map\.prototype\.get/.test(e.message),
  );
  assert.equal(intrinsicName(Array.prototype.map), 'Array.prototype.map');
  assert.equal(reg.list().length, 0);
});
