// The portable shims (test/portable/assert.ts, node-test.ts) checked against Node's own behaviour,
// so a core test that passes on Bun, Deno or Chromium means what it means under Node.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import shim, { AssertionError, isDeepStrictEqual as shimDeepEqual } from './assert.ts';
import { after, beginRegistration, describe, runRegistered, test as shimTest, type Outcome } from './node-test.ts';

const cyclic = (): object => {
  const o: Record<string, unknown> = { a: 1 };
  o['self'] = o;
  return o;
};
class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
const sym = Symbol('k');
// a hole at index 1 (written without a sparse literal)
const holey = (): unknown[] => {
  const a: unknown[] = [1];
  a[2] = 3;
  return a;
};
const sparse = holey();

const PAIRS: [string, unknown, unknown][] = [
  ['equal numbers', 1, 1],
  ['NaN and NaN', NaN, NaN],
  ['0 and -0', 0, -0],
  ['1 and "1"', 1, '1'],
  ['null and undefined', null, undefined],
  ['equal plain objects', { a: 1, b: [1, 2, { c: 'x' }] }, { b: [1, 2, { c: 'x' }], a: 1 }],
  ['a key more', { a: 1 }, { a: 1, b: undefined }],
  ['different values', { a: 1 }, { a: 2 }],
  ['arrays of different length', [1, 2], [1, 2, 3]],
  ['an array and an array-like object', [1], { 0: 1, length: 1 }],
  ['a hole and undefined', sparse, [1, undefined, 3]],
  ['equal sparse arrays', sparse, holey()],
  ['an extra property on an array', Object.assign([1], { x: 1 }), [1]],
  ['class instance and plain object', new Point(1, 2), { x: 1, y: 2 }],
  ['equal class instances', new Point(1, 2), new Point(1, 2)],
  ['null prototype and plain', Object.assign(Object.create(null), { a: 1 }), { a: 1 }],
  ['equal dates', new Date(5), new Date(5)],
  ['different dates', new Date(5), new Date(6)],
  ['equal regexps', /a+/gi, /a+/gi],
  ['regexps with other flags', /a+/g, /a+/i],
  [
    'equal maps',
    new Map<unknown, unknown>([
      ['a', 1],
      [2, { b: 2 }],
    ]),
    new Map<unknown, unknown>([
      [2, { b: 2 }],
      ['a', 1],
    ]),
  ],
  ['maps with other values', new Map([['a', 1]]), new Map([['a', 2]])],
  ['maps with equal object keys', new Map([[{ k: 1 }, 'v']]), new Map([[{ k: 1 }, 'v']])],
  ['equal sets', new Set([1, 'a', { b: 1 }]), new Set([{ b: 1 }, 'a', 1])],
  ['sets with other members', new Set([1, 2]), new Set([1, 3])],
  ['symbol keys', { [sym]: 1 }, { [sym]: 1 }],
  ['different symbol key values', { [sym]: 1 }, { [sym]: 2 }],
  ['errors with the same message', new TypeError('x'), new TypeError('x')],
  ['errors with other messages', new TypeError('x'), new TypeError('y')],
  ['error classes differ', new TypeError('x'), new RangeError('x')],
  ['typed arrays', new Uint8Array([1, 2]), new Uint8Array([1, 2])],
  ['typed arrays that differ', new Uint8Array([1, 2]), new Uint8Array([1, 3])],
  ['typed arrays of other types', new Uint8Array([1]), new Int8Array([1])],
  ['boxed numbers', Object(1), Object(1)],
  ['boxed and primitive', Object(1), 1],
  ['functions by identity', () => 1, () => 1],
  ['cycles of the same shape', cyclic(), cyclic()],
  ['a cycle and a copy without it', cyclic(), { a: 1, self: { a: 1 } }],
  ['nested arrays of objects', [{ a: [{ b: 1 }] }], [{ a: [{ b: 1 }] }]],
  ['nested difference deep down', [{ a: [{ b: 1 }] }], [{ a: [{ b: 2 }] }]],
];

test('deep equality agrees with util.isDeepStrictEqual on every case', () => {
  for (const [label, a, b] of PAIRS) {
    assert.equal(shimDeepEqual(a, b), isDeepStrictEqual(a, b), label);
    assert.equal(shimDeepEqual(b, a), isDeepStrictEqual(b, a), `${label} (swapped)`);
  }
});

test("equal, deepEqual, ok, match: pass and fail as Node's do, with an AssertionError", () => {
  shim.equal(NaN, NaN);
  shim.deepEqual({ a: [1] }, { a: [1] });
  shim.ok(1);
  shim.match('abc', /b/);
  shim.doesNotMatch('abc', /x/);
  shim.notEqual(1, 2);
  for (const failing of [
    () => shim.equal(0, -0),
    () => shim.equal(1, '1'),
    () => shim.deepEqual([1], [2]),
    () => shim.ok(0),
    () => shim.match('abc', /x/),
    () => shim.doesNotMatch('abc', /b/),
    () => shim.notEqual(1, 1),
  ]) {
    assert.throws(failing, (e: unknown) => e instanceof AssertionError && e instanceof shim.AssertionError && e.code === 'ERR_ASSERTION');
  }
  assert.throws(() => shim.equal(1, 2, 'custom words'), { message: 'custom words' });
  const own = new RangeError('mine');
  assert.throws(
    () => shim.equal(1, 2, own),
    (e: unknown) => e === own,
  );
});

test("throws and rejects follow Node's rules for a RegExp, a class, a validation function and an object", async () => {
  const boom = () => {
    throw new TypeError('boom here');
  };
  shim.throws(boom);
  shim.throws(boom, /boom/);
  shim.throws(boom, /TypeError: boom/, 'the RegExp sees String(error)');
  shim.throws(boom, TypeError);
  shim.throws(boom, Error);
  shim.throws(boom, (e: unknown) => e instanceof TypeError);
  shim.throws(boom, { name: 'TypeError', message: /here/ });
  assert.throws(() => shim.throws(() => undefined), /Missing expected exception/);
  assert.throws(() => shim.throws(boom, /nope/), AssertionError);
  assert.throws(() => shim.throws(boom, RangeError), AssertionError);
  assert.throws(() => shim.throws(boom, () => false), AssertionError);
  assert.throws(() => shim.throws(boom, { message: 'other' }), AssertionError);
  await shim.rejects(Promise.reject(new Error('later')), /later/);
  await shim.rejects(async () => Promise.reject(new RangeError('fn')), RangeError);
  await assert.rejects(shim.rejects(Promise.resolve(1)), /Missing expected rejection/);
});

test('the test shim runs suites and tests in order, names them as the names reporter does, and reports failures', async () => {
  const order: string[] = [];
  beginRegistration('test/example.test.ts');
  shimTest('first', () => void order.push('first'));
  describe('group', () => {
    shimTest('inner passes', async () => {
      await new Promise((r) => setTimeout(r, 1));
      order.push('inner');
    });
    shimTest('inner fails', () => {
      throw new Error('inner failure');
    });
    after(() => void order.push('group after'));
  });
  shimTest('skipped', { skip: true }, () => void order.push('must not run'));
  shimTest('too slow', { timeout: 20 }, () => new Promise(() => undefined));
  after(() => void order.push('file after'));
  assert.throws(() => shimTest('bad option', { concurrency: 2 } as never, () => undefined), /option "concurrency" is not supported/);
  const outcomes: Outcome[] = [];
  await runRegistered(
    (o) => outcomes.push(o),
    () => undefined,
  );
  assert.deepEqual(order, ['first', 'inner', 'group after', 'file after']);
  assert.deepEqual(
    outcomes.map((o) => [o.name, o.ok, o.skipped]),
    [
      ['first', true, false],
      ['group > inner passes', true, false],
      ['group > inner fails', false, false],
      ['skipped', true, true],
      ['too slow', false, false],
    ],
  );
  assert.match(outcomes[2]!.error ?? '', /inner failure/);
  assert.match(outcomes[4]!.error ?? '', /timed out after 20 ms/);
  assert.throws(() => shimTest('late', () => undefined), /outside a test file's registration/);
});
