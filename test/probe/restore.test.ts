// Undo is exact: removing (or disarming) the last probe puts the original descriptor back, a
// wrapper someone replaced meanwhile is left alone and reported, and stale references forward.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { probe } from '../../src/probe/index.ts';
import { freshRegistry } from './harness.ts';

function target() {
  const obj = {} as Record<string, any>;
  Object.defineProperty(obj, 'fn', {
    value: function fn(a: number) {
      return a + 1;
    },
    writable: true,
    enumerable: false,
    configurable: true,
  });
  return obj;
}

test('removing the only probe restores the exact descriptor and identity', () => {
  const obj = target();
  const before = Object.getOwnPropertyDescriptor(obj, 'fn');
  const orig = obj.fn;
  const p = probe(obj, 'fn', {}, { registry: freshRegistry() });
  assert.notEqual(obj.fn, orig);
  assert.equal(Object.getOwnPropertyDescriptor(obj, 'fn')!.enumerable, false);
  assert.equal(p.remove(), true);
  assert.equal(obj.fn, orig);
  assert.deepEqual(Object.getOwnPropertyDescriptor(obj, 'fn'), before);
  assert.equal(p.remove(), true, 'remove is idempotent');
  assert.equal(p.status, 'removed');
});

test('disarming the last armed probe puts the original back; arming reinstalls', () => {
  const obj = target();
  const orig = obj.fn;
  const p = probe(obj, 'fn', {}, { registry: freshRegistry() });
  p.disarm();
  assert.equal(obj.fn, orig);
  assert.equal(p.armed, false);
  obj.fn(1);
  assert.equal(p.stats.hits, 0);
  p.arm();
  assert.notEqual(obj.fn, orig);
  obj.fn(1);
  assert.equal(p.stats.hits, 1);
  p.remove();
  assert.equal(obj.fn, orig);
});

test('probes created disarmed do not touch the target until armed', () => {
  const obj = target();
  const orig = obj.fn;
  const p = probe(obj, 'fn', {}, { registry: freshRegistry(), armed: false });
  assert.equal(obj.fn, orig);
  p.arm();
  assert.notEqual(obj.fn, orig);
  p.remove();
});

test('an inherited method is probed on the object and removal deletes the own property', () => {
  class Base {
    greet(name: string) {
      return `hi ${name}`;
    }
  }
  const b = new Base();
  const other = new Base();
  const p = probe(b, 'greet', { onLeave: (_c, r: string) => r.toUpperCase() }, { registry: freshRegistry() });
  assert.equal(b.greet('x'), 'HI X');
  assert.equal(other.greet('x'), 'hi x', 'other instances are untouched');
  assert.ok(Object.hasOwn(b, 'greet'));
  p.remove();
  assert.equal(Object.hasOwn(b, 'greet'), false);
  assert.equal(b.greet, Base.prototype.greet);
});

test('a non-configurable but writable property is probed by assignment and restored', () => {
  const obj = {} as Record<string, any>;
  const fn = (a: number) => a * 2;
  Object.defineProperty(obj, 'fn', { value: fn, writable: true, enumerable: true, configurable: false });
  const p = probe(obj, 'fn', { onLeave: (_c, r: number) => r + 1 }, { registry: freshRegistry() });
  assert.equal(obj.fn(2), 5);
  p.remove();
  assert.equal(obj.fn, fn);
  assert.deepEqual(Object.getOwnPropertyDescriptor(obj, 'fn'), { value: fn, writable: true, enumerable: true, configurable: false });
});

test('a wrapper replaced by someone else is not clobbered: removal leaves it and reports', () => {
  const reg = freshRegistry();
  const faults: string[] = [];
  reg.onFault((e) => faults.push((e.error as { code?: string }).code ?? ''));
  const obj = target();
  const orig = obj.fn;
  const p = probe(obj, 'fn', {}, { registry: reg });
  const ours = obj.fn;
  const theirs = function theirs(a: number) {
    return ours(a) * 10;
  };
  obj.fn = theirs;
  assert.equal(obj.fn(1), 20);
  assert.equal(p.stats.hits, 1, 'our wrapper still runs inside theirs');
  assert.equal(p.remove(), false);
  assert.equal(obj.fn, theirs);
  assert.deepEqual(faults, ['ERR_PROBE_REPLACED']);
  assert.equal(obj.fn(1), 20, 'the retired wrapper forwards to the original');
  assert.equal(orig(1), 2);
});

test('a reference kept while armed keeps working and follows the current probes', () => {
  const obj = target();
  const reg = freshRegistry();
  const a = probe(obj, 'fn', {}, { registry: reg });
  const kept = obj.fn;
  const b = probe(obj, 'fn', {}, { registry: reg });
  assert.notEqual(obj.fn, kept, 'the wrapper was recompiled for two probes');
  assert.equal(kept(1), 2);
  assert.equal(a.stats.hits, 1);
  assert.equal(b.stats.hits, 1);
  a.remove();
  b.remove();
  assert.equal(kept(1), 2);
  assert.equal(a.stats.hits, 1, 'after removal the kept reference runs unprobed');
});

test('properties added to the wrapper while probed survive removal on the original', () => {
  const obj = target();
  const orig = obj.fn;
  const p = probe(obj, 'fn', {}, { registry: freshRegistry() });
  obj.fn.cache = 'kept';
  p.remove();
  assert.equal(obj.fn, orig);
  assert.equal(orig.cache, 'kept');
});

test('a removed probe keeps its final counts but drops its handlers', () => {
  const obj = { fn: (a: number) => a };
  const p = probe(obj, 'fn', { onEnter() {} }, { registry: freshRegistry() });
  obj.fn(1);
  obj.fn(2);
  p.remove();
  obj.fn(3);
  assert.deepEqual({ ...p.stats }, { hits: 2, faults: 0, missed: 0 });
  assert.deepEqual((p as unknown as { _parts: unknown[] })._parts, []);
});

test('odd keys (symbols, spaces, control characters) still make valid hook names', () => {
  const sym = Symbol('my key');
  const obj = { [sym]: () => 1, 'a b\nc': () => 2 } as Record<PropertyKey, () => number>;
  const reg = freshRegistry();
  const p = probe(obj, sym, {}, { registry: reg });
  const q = probe(obj, 'a b\nc', {}, { registry: reg });
  assert.equal(obj[sym]!(), 1);
  assert.equal(obj['a b\nc']!(), 2);
  assert.deepEqual([p.stats.hits, q.stats.hits], [1, 1]);
  assert.match(q.hook, /^probe:\S+$/);
  p.remove();
  q.remove();
});
