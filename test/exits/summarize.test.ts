import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HookError } from '../../src/core/index.ts';
import { DEFAULT_LIMITS, errorStack, summarize } from '../../src/exits/summarize.ts';

test('plain JSON values pass through unchanged', () => {
  const value = { a: 1, b: 'two', c: [true, null, 3.5], d: { e: 'f' } };
  assert.deepEqual(summarize(value), value);
});

test('a getter is shown as [Getter] and never invoked', () => {
  let calls = 0;
  const o = {
    plain: 1,
    get costly() {
      calls++;
      return 'side effect';
    },
    set onlySet(_v: number) {
      calls++;
    },
  };
  Object.defineProperty(o, 'both', { get: () => ++calls, set: () => void ++calls, enumerable: true });
  assert.deepEqual(summarize(o), { plain: 1, costly: '[Getter]', onlySet: '[Setter]', both: '[Getter/Setter]' });
  assert.equal(calls, 0);
});

test('a getter on an array index is not invoked either', () => {
  let calls = 0;
  const a: unknown[] = [1];
  Object.defineProperty(a, 1, { get: () => ++calls, enumerable: true });
  assert.deepEqual(summarize(a), [1, '[Getter]']);
  assert.equal(calls, 0);
});

test('toJSON, toString and valueOf are never called', () => {
  let calls = 0;
  const o = {
    toJSON: () => {
      calls++;
      return 'x';
    },
  };
  const p = Object.create({
    toString() {
      calls++;
      return 'y';
    },
  }) as object;
  summarize([o, p]);
  assert.equal(calls, 0);
});

test('cycles are marked [Circular]; a value seen twice off the path is not a cycle', () => {
  const shared = { s: 1 };
  const o: Record<string, unknown> = { a: shared, b: shared };
  o['self'] = o;
  const list: unknown[] = [];
  list.push(list);
  assert.deepEqual(summarize(o), { a: { s: 1 }, b: { s: 1 }, self: '[Circular]' });
  assert.deepEqual(summarize(list), ['[Circular]']);
});

test('depth limit: deeper objects and arrays become markers', () => {
  class Point {
    x = 1;
  }
  const v = { l1: { l2: { l3: { l4: 1 }, arr: [1, 2, 3], p: new Point() } } };
  assert.deepEqual(summarize(v, { depth: 2 }), { l1: { l2: '[Object]' } });
  assert.deepEqual(summarize(v, { depth: 3 }), { l1: { l2: { l3: '[Object]', arr: '[Array(3)]', p: '[Point]' } } });
  assert.equal(summarize({ a: 1 }, { depth: 0 }), '[Object]');
});

test('length limits: items, keys, string characters', () => {
  assert.deepEqual(summarize([1, 2, 3, 4, 5], { items: 2 }), [1, 2, '[… 3 more]']);
  assert.deepEqual(summarize({ a: 1, b: 2, c: 3 }, { keys: 1 }), { a: 1, '…': '[2 more keys]' });
  assert.equal(summarize('abcdefgh', { string: 3 }), 'abc… (8 chars)');
  assert.equal(summarize('abc', { string: 3 }), 'abc');
  const long = 'k'.repeat(50);
  assert.deepEqual(Object.keys(summarize({ [long]: 1 }, { string: 5 }) as object), ['kkkkk… (50 chars)']);
});

test('the node budget bounds the total size', () => {
  const big = Array.from({ length: 50 }, (_, i) => ({ i }));
  const out = summarize(big, { items: 50, nodes: 5 }) as unknown[];
  assert.equal(out.length, 50);
  // the array, then {i:0} and 0, then {i:1} and 1: five values; everything after is cut
  assert.deepEqual(out.slice(0, 3), [{ i: 0 }, { i: 1 }, '[…]']);
  assert.ok(
    out.slice(2).every((x) => x === '[…]'),
    JSON.stringify(out),
  );
});

test('values JSON cannot hold become markers', () => {
  function named() {}
  const sym = Symbol('tag');
  assert.deepEqual(summarize([undefined, NaN, Infinity, -Infinity, -0, 12n, sym, named, () => 1]), [
    '[undefined]',
    '[NaN]',
    '[Infinity]',
    '[-Infinity]',
    0,
    '[12n]',
    '[Symbol(tag)]',
    '[Function named]',
    '[Function (anonymous)]',
  ]);
});

test('built-ins become short markers', () => {
  const out = summarize({
    map: new Map([[1, 2]]),
    set: new Set([1, 2, 3]),
    weakMap: new WeakMap(),
    weakSet: new WeakSet(),
    u8: new Uint8Array(4),
    buf: Buffer.from('hi'),
    ab: new ArrayBuffer(8),
    dv: new DataView(new ArrayBuffer(2)),
    date: new Date(0),
    bad: new Date(NaN),
    re: /a+b/g,
    promise: Promise.resolve(1),
  });
  assert.deepEqual(out, {
    map: '[Map size=1]',
    set: '[Set size=3]',
    weakMap: '[WeakMap]',
    weakSet: '[WeakSet]',
    u8: '[Uint8Array length=4]',
    buf: '[Buffer length=2]',
    ab: '[ArrayBuffer byteLength=8]',
    dv: '[DataView byteLength=2]',
    date: '[Date 1970-01-01T00:00:00.000Z]',
    bad: '[Date Invalid]',
    re: '[RegExp /a+b/]',
    promise: '[Promise]',
  });
});

test('a Map subclass with a hostile size getter is read through the built-in brand', () => {
  let calls = 0;
  class Sneaky extends Map<number, number> {
    override get size() {
      calls++;
      return 99;
    }
  }
  assert.equal(summarize(new Sneaky([[1, 1]])), '[Map size=1]');
  assert.equal(calls, 0);
});

test('errors show name, code and message without invoking accessors', () => {
  const e = Object.assign(new TypeError('bad thing'), { code: 'ERR_X' });
  assert.equal(summarize(e), '[TypeError ERR_X: bad thing]');
  assert.equal(summarize(new HookError('ERR_INVALID_ARG', 'nope')), '[HookError ERR_INVALID_ARG: nope]');
  class MyError extends Error {}
  assert.equal(summarize(new MyError('m')), '[Error: m]');
  let calls = 0;
  const sneaky = new Error('x');
  Object.defineProperty(sneaky, 'message', { get: () => `${++calls}` });
  assert.equal(summarize(sneaky), '[Error]');
  assert.equal(calls, 0);
});

test('class instances carry their class name; null-prototype objects say so', () => {
  class User {
    id = 7;
  }
  assert.deepEqual(summarize(new User()), { '[class]': 'User', id: 7 });
  const bare = Object.create(null) as Record<string, number>;
  bare['k'] = 1;
  assert.deepEqual(summarize(bare), { '[class]': 'null prototype', k: 1 });
});

test('array holes, symbol keys and non-enumerable keys', () => {
  const holes = [1, , 3]; // eslint-disable-line no-sparse-arrays
  assert.deepEqual(summarize(holes), [1, '[empty]', 3]);
  const o = { [Symbol('s')]: 1 };
  Object.defineProperty(o, 'hidden', { value: 2, enumerable: false });
  assert.deepEqual(summarize(o), { '[Symbol(s)]': 1 });
});

test('proxies are marked without running their traps', () => {
  let traps = 0;
  const handler: ProxyHandler<object> = new Proxy(
    {},
    {
      get() {
        traps++;
        return () => {
          traps++;
          throw new Error('trap');
        };
      },
    },
  );
  const p = new Proxy({ a: 1 }, handler);
  const fnProxy = new Proxy(function f() {}, handler);
  assert.deepEqual(summarize({ p, fnProxy }), { p: '[Proxy]', fnProxy: '[Proxy]' });
  assert.equal(traps, 0);
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  assert.equal(summarize(proxy), '[Proxy]');
});

test('the result is plain JSON: it survives JSON round trips unchanged', () => {
  const o: Record<string, unknown> = { n: 1n, u: undefined, f() {}, m: new Map(), nested: { deeper: { deepest: { x: 1 } } } };
  o['loop'] = o;
  const s = summarize(o);
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
});

test('bad limits throw ERR_INVALID_ARG naming the field', () => {
  for (const limits of [{ depth: -1 }, { items: 1.5 }, { string: '3' }, { nodes: 0 }, { depht: 2 }, [1], null]) {
    assert.throws(
      () => summarize(1, limits as never),
      (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG',
      JSON.stringify(limits),
    );
  }
  assert.throws(() => summarize(1, { depht: 2 } as never), /unknown limits field "depht"/);
  assert.equal(DEFAULT_LIMITS.depth, 3);
});

test("errorStack reads the engine's stack (a data property, or V8 12+'s own accessor) but never a program's getter", () => {
  const error = new RangeError('out of range');
  assert.match(errorStack(error) ?? '', /^RangeError: out of range\n/);
  class Sub extends Error {}
  assert.match(errorStack(new Sub('sub')) ?? '', /sub/);
  let calls = 0;
  const fake = Object.defineProperty(new Error('fake'), 'stack', {
    get() {
      calls++;
      return 'from a getter';
    },
  });
  assert.equal(errorStack(fake), undefined);
  assert.equal(calls, 0);
  assert.equal(errorStack({ stack: 'a plain object says so' }), 'a plain object says so');
  assert.equal(errorStack('not an object'), undefined);
  assert.equal(errorStack(null), undefined);
});
