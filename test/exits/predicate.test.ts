import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HookError } from '../../src/core/index.ts';
import { compilePredicate, type PredicateSubject } from '../../src/exits/predicate.ts';

const holds = (spec: unknown, subject: PredicateSubject): boolean => compilePredicate(spec).test(subject);
const args = (...a: unknown[]): PredicateSubject => ({ args: a });

test('comparison operators on arguments', () => {
  assert.equal(holds({ arg: 0, op: '==', value: 'a' }, args('a')), true);
  assert.equal(holds({ arg: 0, op: '==', value: 'a' }, args('b')), false);
  assert.equal(holds({ arg: 0, op: '!=', value: null }, args(null)), false);
  assert.equal(holds({ arg: 0, op: '!=', value: null }, args(0)), true);
  assert.equal(holds({ arg: 1, op: '<', value: 10 }, args(0, 9)), true);
  assert.equal(holds({ arg: 1, op: '<', value: 10 }, args(0, 10)), false);
  assert.equal(holds({ arg: 0, op: '<=', value: 10 }, args(10)), true);
  assert.equal(holds({ arg: 0, op: '>', value: 10 }, args(11n)), true, 'bigints compare with numbers');
  assert.equal(holds({ arg: 0, op: '>=', value: 'm' }, args('n')), true, 'strings compare with strings');
  assert.equal(holds({ arg: 0, op: '>=', value: 5 }, args('9')), false, 'no coercion between strings and numbers');
  assert.equal(holds({ arg: 0, op: '==', value: 1 }, args('1')), false, 'equality is strict');
});

test('typeof, with null and array as extra names', () => {
  assert.equal(holds({ arg: 0, op: 'typeof', value: 'string' }, args('s')), true);
  assert.equal(holds({ arg: 0, op: 'typeof', value: 'string' }, args(1)), false);
  assert.equal(holds({ arg: 0, op: 'typeof', value: 'null' }, args(null)), true);
  assert.equal(holds({ arg: 0, op: 'typeof', value: 'object' }, args(null)), true, 'JS typeof semantics are kept');
  assert.equal(holds({ arg: 0, op: 'typeof', value: 'array' }, args([])), true);
  assert.equal(holds({ arg: 0, op: 'typeof', value: 'array' }, args({})), false);
  assert.equal(holds({ arg: 3, op: 'typeof', value: 'undefined' }, args()), true, 'a missing argument is undefined');
});

test('matches: regular expression on strings only, with flags', () => {
  assert.equal(holds({ arg: 0, op: 'matches', value: '^/api/' }, args('/api/users')), true);
  assert.equal(holds({ arg: 0, op: 'matches', value: '^/API/' }, args('/api/users')), false);
  assert.equal(holds({ arg: 0, op: 'matches', value: '^/API/', flags: 'i' }, args('/api/users')), true);
  assert.equal(holds({ arg: 0, op: 'matches', value: '1' }, args(1)), false);
  const p = compilePredicate({ arg: 0, op: 'matches', value: 'a' });
  assert.equal(p.test(args('a')) && p.test(args('a')), true, 'no lastIndex state between tests');
});

test('exists: own data value other than undefined', () => {
  assert.equal(holds({ arg: '0.id', op: 'exists' }, args({ id: 0 })), true);
  assert.equal(holds({ arg: '0.id', op: 'exists' }, args({})), false);
  assert.equal(holds({ arg: '0.id', op: 'exists' }, args({ id: undefined })), false);
  assert.equal(holds({ arg: '0.toString', op: 'exists' }, args({})), false, 'inherited properties are not read');
});

test('paths read own data properties only: getters are never invoked', () => {
  let calls = 0;
  const user = {
    get id() {
      calls++;
      return 7;
    },
  };
  assert.equal(holds({ arg: '0.user.id', op: 'typeof', value: 'undefined' }, args({ user })), true);
  assert.equal(calls, 0);
  assert.equal(holds({ arg: '0.user.id', op: '==', value: 7 }, args({ user: { id: 7 } })), true);
  assert.equal(holds({ arg: '0.list.1', op: '==', value: 'b' }, args({ list: ['a', 'b'] })), true);
  assert.equal(holds({ arg: '0.length', op: '==', value: 3 }, args('abc')), true, 'string length is an own data property');
  assert.equal(holds({ arg: '0.a.b', op: 'exists' }, args(null)), false);
});

test('paths through a proxy read as undefined without running its traps', () => {
  let traps = 0;
  const p = new Proxy(
    { id: 1 },
    {
      getOwnPropertyDescriptor(t, k) {
        traps++;
        return Reflect.getOwnPropertyDescriptor(t, k);
      },
    },
  );
  assert.equal(holds({ arg: '0.id', op: 'exists' }, args(p)), false);
  assert.equal(traps, 0);
});

test('argument names: a path may start with a declared name', () => {
  const p = compilePredicate({ arg: 'req.method', op: '==', value: 'GET' });
  assert.deepEqual(p.argNames, ['req']);
  assert.equal(p.test({ args: ['x', { method: 'GET' }], argNames: ['id', 'req'] }), true);
  assert.equal(p.test({ args: ['x', { method: 'GET' }] }), false, 'without names the path reads nothing');
});

test('result and error operands', () => {
  const r = compilePredicate({ result: true, op: '<=', value: 100 });
  assert.equal(r.readsOutcome, true);
  assert.equal(r.test({ args: [], result: 50 }), true);
  assert.equal(r.test({ args: [], result: 500 }), false);
  assert.equal(r.test({ args: [], error: new Error('x') }), false, 'a call that threw has no result');
  const e = compilePredicate({ not: { error: true, op: 'exists' } });
  assert.equal(e.test({ args: [], result: 1 }), true);
  assert.equal(e.test({ args: [], error: new Error('x') }), false);
  assert.equal(holds({ error: 'code', op: '==', value: 'E1' }, { args: [], error: Object.assign(new Error(), { code: 'E1' }) }), true);
  assert.equal(holds({ result: 'status', op: '<', value: 400 }, { args: [], result: { status: 200 } }), true);
  assert.equal(compilePredicate({ arg: 0, op: 'exists' }).readsOutcome, false);
});

test('all, any, not', () => {
  const p = compilePredicate({
    all: [
      { arg: 0, op: 'typeof', value: 'number' },
      {
        any: [
          { arg: 0, op: '<', value: 0 },
          { arg: 0, op: '>', value: 10 },
        ],
      },
    ],
  });
  assert.equal(p.test(args(-1)), true);
  assert.equal(p.test(args(5)), false);
  assert.equal(p.test(args(11)), true);
  assert.equal(p.test(args('11')), false);
  assert.equal(holds({ not: { arg: 0, op: '==', value: 1 } }, args(1)), false);
});

test('the compiled spec is a frozen copy', () => {
  const spec = { arg: 0, op: '==', value: 1 };
  const p = compilePredicate(spec);
  spec.value = 2;
  assert.deepEqual(p.spec, { arg: 0, op: '==', value: 1 });
  assert.ok(Object.isFrozen(p.spec));
});

test('validation: every malformed predicate throws ERR_INVALID_ARG saying where', () => {
  const cases: [unknown, RegExp][] = [
    [null, /^predicate: must be an object/],
    [[], /^predicate: must be an object/],
    ['arg0 == 1', /^predicate: must be an object/],
    [{ op: '==', value: 1 }, /exactly one operand/],
    [{ arg: 0, result: true, op: '==', value: 1 }, /exactly one operand/],
    [{ arg: 0, op: '=~', value: 1 }, /^predicate\.op: must be one of/],
    [{ arg: 0, op: '==' }, /^predicate\.value: "==" needs a value/],
    [{ arg: 0, op: 'exists', value: true }, /"exists" takes no value/],
    [{ arg: 0, op: '==', value: { a: 1 } }, /compares with a string, finite number, boolean or null/],
    [{ arg: 0, op: '<', value: true }, /compares with a finite number or a string/],
    [{ arg: 0, op: 'typeof', value: 'integer' }, /"typeof" takes one of/],
    [{ arg: 0, op: 'matches', value: '(' }, /not a valid regular expression/],
    [{ arg: 0, op: 'matches', value: 'a'.repeat(300) }, /at most 256 characters/],
    [{ arg: 0, op: 'matches', value: 'a', flags: 'g' }, /distinct letters of "imsu"/],
    [{ arg: 0, op: '==', value: 'a', flags: 'i' }, /only "matches" takes flags/],
    [{ arg: -1, op: 'exists' }, /integer from 0 to 255/],
    [{ arg: 1.5, op: 'exists' }, /integer from 0 to 255/],
    [{ arg: '', op: 'exists' }, /1 to 16 dot-separated segments/],
    [{ arg: '0..a', op: 'exists' }, /path segments must be/],
    [{ arg: '0.__proto__', op: 'exists' }, /__proto__/],
    [{ arg: 'a-b.c', op: 'exists' }, /argument index or a declared argument name/],
    [{ arg: Array(17).fill('a').join('.'), op: 'exists' }, /1 to 16/],
    [{ result: false, op: 'exists' }, /^predicate\.result: must be true or a path/],
    [{ arg: 0, op: 'exists', extra: 1 }, /unknown key "extra"/],
    [{ all: [] }, /^predicate\.all: must be an array of 1 to 64/],
    [{ all: [{ arg: 0, op: 'exists' }], any: [] }, /must be the only key/],
    [
      {
        any: [
          { arg: 0, op: 'exists' },
          { arg: 0, op: 'bad' },
        ],
      },
      /^predicate\.any\[1\]\.op:/,
    ],
    [{ not: 'x' }, /^predicate\.not: must be an object/],
  ];
  for (const [spec, message] of cases) {
    assert.throws(
      () => compilePredicate(spec),
      (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG' && message.test(e.message),
      JSON.stringify(spec),
    );
  }
});

test('validation: size and nesting limits', () => {
  let deep: unknown = { arg: 0, op: 'exists' };
  for (let i = 0; i < 20; i++) deep = { not: deep };
  assert.throws(() => compilePredicate(deep), /nested deeper than 16/);
  const wide = { all: Array.from({ length: 64 }, () => ({ all: Array.from({ length: 5 }, () => ({ arg: 0, op: 'exists' })) })) };
  assert.throws(() => compilePredicate(wide), /at most 256 parts/);
});

test('matches refuses nested repetition, the shape of catastrophic backtracking', () => {
  for (const bad of ['(a+)+$', '(a*)*', '((ab)*c)*', '(\\d+){2,}', '(?:x+y?)+']) {
    assert.throws(() => compilePredicate({ arg: 0, op: 'matches', value: bad }), /exponential time/, bad);
  }
  for (const fine of ['^/api/(v\\d+)/users$', '(ab)+', '[a+]+', '(a{1})+', '\\(a+\\)+', '(a+)?', '(a+){1}']) {
    assert.doesNotThrow(() => compilePredicate({ arg: 0, op: 'matches', value: fine }), fine);
  }
});
