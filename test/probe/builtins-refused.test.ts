// A JavaScript built-in (an ECMAScript intrinsic: Map.prototype.get, Array.prototype.map,
// Reflect.apply, …) cannot be probed, by any path: hookwire's own code calls built-ins, and a probe
// there would run inside hookwire. The refusal is ERR_PROBE_TARGET and changes nothing: the
// built-in's descriptor, the program's Map/Array, and every other probe work exactly as before.
// Host functions hookwire does not call on a wrapper's path (performance.now, node:path) stay
// probeable and are restored exactly.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { HookError } from '../../src/core/index.ts';
import { intrinsicName } from '../../src/probe/intrinsics.ts';
import { probe, probeSpec } from '../../src/probe/index.ts';
import { freshRegistry } from './harness.ts';

/** Built-ins by holder and key, with the accessor role when it is a getter. */
const BUILTINS: [label: string, holder: object, key: PropertyKey, accessor?: 'get'][] = [
  ['Map.prototype.get', Map.prototype, 'get'],
  ['Map.prototype.set', Map.prototype, 'set'],
  ['Array.prototype.map', Array.prototype, 'map'],
  ['Array.prototype.push', Array.prototype, 'push'],
  ['Array.prototype[Symbol.iterator]', Array.prototype, Symbol.iterator],
  ['Set.prototype.has', Set.prototype, 'has'],
  ['WeakMap.prototype.get', WeakMap.prototype, 'get'],
  ['Reflect.apply', Reflect, 'apply'],
  ['Function.prototype.call', Function.prototype, 'call'],
  ['Object.prototype.hasOwnProperty', Object.prototype, 'hasOwnProperty'],
  ['Object.keys', Object, 'keys'],
  ['Promise.prototype.then', Promise.prototype, 'then'],
  ['JSON.stringify', JSON, 'stringify'],
  ['Math.max', Math, 'max'],
  ['String.prototype.slice', String.prototype, 'slice'],
  ['Map.prototype.size (getter)', Map.prototype, 'size', 'get'],
];

function refused(label: string) {
  return (e: unknown) => {
    assert.ok(e instanceof HookError, `a HookError for ${label}`);
    assert.equal(e.code, 'ERR_PROBE_TARGET');
    assert.match(e.message, /JavaScript built-in/);
    assert.doesNotMatch(e.message, /\n/, 'one line');
    return true;
  };
}

/** What a program can see of the built-ins: their descriptors and some results. */
function observe(): unknown {
  const m = new Map([[1, 'a']]);
  const s = new Set([3]);
  const w = new WeakMap([[m, 5]]);
  return {
    descriptors: BUILTINS.map(([, holder, key]) => Reflect.getOwnPropertyDescriptor(holder, key)),
    keys: [Map.prototype, Array.prototype, Object.prototype, Function.prototype, Reflect, JSON].map((o) => Reflect.ownKeys(o)),
    results: [
      m.get(1),
      m.size,
      [1, 2].map((x) => x * 2),
      [...[7, 8]],
      s.has(3),
      w.get(m),
      Reflect.apply(Math.max, null, [1, 9]),
      JSON.stringify({ a: [1] }),
      Object.keys({ q: 1 }),
      'abc'.slice(1),
    ],
  };
}

test('probing a JavaScript built-in is refused with ERR_PROBE_TARGET, whatever the holder; nothing changes', () => {
  const reg = freshRegistry();
  const other = { f: (x: number) => x + 1 };
  const p = probe(other, 'f', { onEnter() {}, onLeave() {} }, { registry: reg });
  const before = observe();
  for (const [label, holder, key, accessor] of BUILTINS) {
    assert.throws(() => probe(holder, key, { onEnter() {} }, { registry: reg, ...(accessor && { accessor }) }), refused(label));
    // Boost or not, armed or not: the same refusal before anything is built.
    assert.throws(() => probe(holder, key, {}, { registry: reg, boost: false, armed: false, ...(accessor && { accessor }) }), refused(label));
  }
  // Reached through other holders: a subclass's prototype (inherited), a copy on a plain object.
  class MyMap extends Map<number, number> {}
  assert.throws(() => probe(MyMap.prototype, 'get', {}, { registry: reg }), refused('MyMap.prototype.get'));
  const copy = { each: Array.prototype.forEach };
  assert.throws(() => probe(copy, 'each', {}, { registry: reg }), refused('copy of forEach'));
  assert.equal(copy.each, Array.prototype.forEach);
  assert.equal(Object.getOwnPropertyDescriptor(MyMap.prototype, 'get'), undefined, 'no own property added');

  assert.deepEqual(observe(), before, 'the program sees the same built-ins and results');
  assert.deepEqual(
    reg.list().map((h) => h.name),
    [p.hook],
    'no hook was declared for a refused target',
  );
  // The probe that was there keeps working: hits, disarm, arm, remove.
  assert.equal(other.f(1), 2);
  assert.equal(p.stats.hits, 1);
  p.disarm();
  assert.equal(other.f(2), 3);
  assert.equal(p.stats.hits, 1);
  p.arm();
  assert.equal(other.f(3), 4);
  assert.equal(p.stats.hits, 2);
  assert.equal(p.remove(), true);
  assert.equal(reg.list().length, 0);
});

test('probeSpec refuses a built-in reached through a module path (node:console#_times.constructor.prototype.get)', () => {
  const reg = freshRegistry();
  const before = observe();
  for (const spec of ['node:console#_times.constructor.prototype.get', 'node:events#EventEmitter.prototype.hasOwnProperty', 'node:util#inspect.call']) {
    assert.throws(() => probeSpec(spec, { onEnter() {} }, { registry: reg }), refused(spec));
  }
  assert.deepEqual(observe(), before);
  assert.equal(reg.list().length, 0);
});

test('every intrinsic the refusal knows is one the realm reaches from its standard globals', () => {
  // Spot checks of the walk: hidden intrinsics (no global name) and accessors are in; host functions are out.
  assert.equal(intrinsicName(Map.prototype.get), 'Map.prototype.get');
  assert.equal(intrinsicName(Function.prototype.call), 'Function.prototype.call');
  const arrayIterator = Object.getPrototypeOf([][Symbol.iterator]()) as { next: () => unknown };
  assert.ok(intrinsicName(arrayIterator.next) !== undefined, '%ArrayIteratorPrototype%.next');
  const genProto = Object.getPrototypeOf(Object.getPrototypeOf((function* () {})())) as { next: () => unknown };
  assert.ok(intrinsicName(genProto.next) !== undefined, '%GeneratorPrototype%.next');
  assert.ok(intrinsicName(Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get!) !== undefined, 'a getter');
  assert.equal(intrinsicName(path.join), undefined, 'node:path#join is not an intrinsic');
  assert.equal(intrinsicName(performance.now), undefined, 'performance.now is a host function');
  assert.equal(
    intrinsicName(function mine() {}),
    undefined,
  );
});

test('a host built-in hookwire does not call on its own path stays probeable: performance.now, timed, restored exactly', () => {
  const reg = freshRegistry();
  const holder = Object.prototype.hasOwnProperty.call(performance, 'now') ? performance : (Object.getPrototypeOf(performance) as object);
  const desc = Object.getOwnPropertyDescriptor(holder, 'now');
  const seen: number[] = [];
  // A timed probe reads the clock around the original: the clock must not be the probed function.
  const p = probe(
    performance,
    'now',
    {
      timed: true,
      onLeave(ctx, result: number) {
        seen.push(ctx.endMs - ctx.startMs, result);
      },
    },
    { registry: reg },
  );
  const t = performance.now();
  assert.equal(typeof t, 'number');
  assert.equal(p.stats.hits, 1);
  assert.equal(seen.length, 2);
  assert.ok(seen[0]! >= 0 && seen[1] === t);
  p.disarm();
  performance.now();
  assert.equal(p.stats.hits, 1);
  p.arm();
  performance.now();
  assert.equal(p.stats.hits, 2);
  assert.equal(p.remove(), true);
  assert.deepEqual(Object.getOwnPropertyDescriptor(holder, 'now'), desc, 'the descriptor is back exactly');
  if (holder !== performance) assert.equal(Object.getOwnPropertyDescriptor(performance, 'now'), undefined);
});

test('a node: module function stays probeable by spec and is restored exactly', () => {
  const reg = freshRegistry();
  const desc = Object.getOwnPropertyDescriptor(path, 'basename');
  const p = probeSpec('node:path#basename', {}, { registry: reg });
  assert.equal(path.basename('/a/b.txt'), 'b.txt');
  assert.equal(p.stats.hits, 1);
  p.remove();
  assert.deepEqual(Object.getOwnPropertyDescriptor(path, 'basename'), desc);
});
