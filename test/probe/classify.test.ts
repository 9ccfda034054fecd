// describeTarget: kinds, declared arity, and when (and why) a target is not boosted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isNativeSource, sourceText } from '../../src/probe/classify.ts';
import { describeTarget } from '../../src/probe/index.ts';

test('simple parameter lists are boosted at their declared arity', () => {
  assert.deepEqual(
    describeTarget(function three(a: unknown, b: unknown, c: unknown) {
      return [a, b, c];
    }),
    { kind: 'plain', name: 'three', arity: 3, boosted: true },
  );
  assert.equal(describeTarget(async (x: unknown) => x).arity, 1);
  assert.equal(describeTarget(async (a: unknown, b: unknown) => [a, b]).arity, 2);
  const getter = Object.getOwnPropertyDescriptor(
    {
      get x() {
        return 1;
      },
    },
    'x',
  )!.get!;
  assert.deepEqual(describeTarget(getter), { kind: 'method', name: 'get x', arity: 0, boosted: true });
  assert.equal(
    describeTarget(
      class {
        static s(a: unknown) {
          return a;
        }
      }.s,
    ).kind,
    'method',
  );
});

test('defaults, destructuring, rest and `arguments` fall back to the generic wrapper, with a reason', () => {
  for (const fn of [
    function (a: unknown, b = 1) {
      return [a, b];
    },
    function ({ a }: { a: unknown }) {
      return a;
    },
    function (...rest: unknown[]) {
      return rest;
    },
  ]) {
    const d = describeTarget(fn);
    assert.equal(d.boosted, false);
    assert.match(d.reason!, /parameter list/);
  }
  assert.match(
    describeTarget(function (a: unknown) {
      return [a, arguments.length];
    }).reason!,
    /arguments/,
  );
});

test('classes are described and boosted; bound and native functions are not boosted', () => {
  assert.equal(describeTarget(class A {}).kind, 'class');
  assert.equal(describeTarget(class A {}).boosted, true);
  assert.equal(describeTarget(class A {}).reason, undefined);
  assert.equal(describeTarget(Math.max).kind, 'native');
  assert.equal(describeTarget(function f() {}.bind(null)).kind, 'bound');
  for (const fn of [Math.max, function f() {}.bind(null)]) assert.equal(describeTarget(fn).boosted, false);
});

test('generators and async generators are told apart from plain functions', () => {
  assert.equal(
    describeTarget(function* g(a: unknown) {
      yield a;
    }).kind,
    'generator',
  );
  assert.equal(
    describeTarget(async function* g(a: unknown) {
      yield a;
    }).kind,
    'asyncGenerator',
  );
  assert.equal(describeTarget({ *m() {} }.m).kind, 'generator');
});

test('native source text is told from JavaScript by its end, whatever the function length', () => {
  for (const fn of [Math.max, Array.prototype.push, function () {}.bind(null), Map]) assert.equal(isNativeSource(sourceText(fn)), true, fn.name);
  // JavaScript never ends in the native form, even with it written just before its end.
  const mimics = [
    function commented() {
      /* { [native code] } */
    },
    function quoted() {
      return '{ [native code] }';
    },
  ];
  for (const fn of mimics) assert.equal(isNativeSource(sourceText(fn)), false, fn.name);
  // A long function (a bundle's wrapper, say) is judged by its end like a short one.
  assert.equal(isNativeSource(`function wrapper() {\n${'x += 1;\n'.repeat(70_000)}}`), false);
  assert.equal(isNativeSource(`${' '.repeat(100_000)}function f() { [native code] }`), true);
  assert.equal(isNativeSource(`function f() { [native code] }${' '.repeat(10)}`), true);
});
