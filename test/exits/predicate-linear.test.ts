// `matches` runs on a linear-time engine (RE2JS), never on the backtracking RegExp: a pattern
// that backtracks catastrophically (`^(\w|\d)*!$` on 200+ characters) answers like any other.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilePattern, compilePredicate } from '../../src/exits/predicate.ts';

const CATASTROPHIC = '^(\\w|\\d)*!$';

test('a catastrophic pattern is compiled by the linear-time engine, not by RegExp', () => {
  const seen: string[] = [];
  const Original = globalThis.RegExp;
  // Every `new RegExp(source)` (or RegExp(source)) while compiling is recorded.
  globalThis.RegExp = new Proxy(Original, {
    construct(target, args: [string | RegExp, string?], newTarget) {
      seen.push(String(args[0]));
      return Reflect.construct(target, args, newTarget) as object;
    },
    apply(target, thisArg, args: [string | RegExp, string?]) {
      seen.push(String(args[0]));
      return Reflect.apply(target, thisArg, args) as unknown;
    },
  });
  let predicate;
  try {
    predicate = compilePredicate({ arg: 0, op: 'matches', value: CATASTROPHIC });
  } finally {
    globalThis.RegExp = Original;
  }
  assert.ok(!seen.includes(CATASTROPHIC), 'the pattern never reached the RegExp constructor');
  assert.equal(compilePattern(CATASTROPHIC).engine, 're2js');
  // The input that froze a backtracking engine gets its answer.
  assert.equal(predicate.test({ args: ['a'.repeat(250)] }), false);
  assert.equal(predicate.test({ args: [`${'a1'.repeat(125)}!`] }), true);
  assert.equal(predicate.test({ args: [`${'a'.repeat(9_999)}!`] }), true);
});

test('flags map to the engine; JavaScript-only syntax it cannot run in linear time is refused', () => {
  assert.equal(compilePattern('^/API/', 'i').test('/api/users'), true);
  assert.equal(compilePattern('^b$', 'm').test('a\nb'), true);
  assert.equal(compilePattern('^a.b$', 's').test('a\nb'), true);
  assert.equal(compilePattern('^a.b$').test('a\nb'), false);
  assert.equal(compilePattern('^.$', 'u').test('😀'), true);
  assert.equal(compilePattern('\\u00e9').test('café'), true, 'JavaScript escapes are translated');
  for (const bad of ['(a)\\1', '(?=a)b', 'a(?!b)']) {
    assert.throws(() => compilePredicate({ arg: 0, op: 'matches', value: bad }), { code: 'ERR_INVALID_ARG', message: /linear-time engine/u }, bad);
  }
});
