// The harness's own check, run first on every runtime and configuration: it must report exactly
// these outcomes (run.mjs compares). A shim that passed everything, lost a suite's tests, or missed
// an unhandled rejection would be caught here before the core's results are believed.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

let afterRan = false;
after(() => {
  afterRan = true;
});

test('canary: a passing test passes', () => {
  assert.deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] });
});

test('canary: a failed deep-equal fails', () => {
  assert.deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] });
});

test('canary: an unhandled rejection fails the test it happened in', async () => {
  void Promise.reject(new Error('stray rejection'));
  await new Promise((resolve) => setTimeout(resolve, 20));
});

test('canary: a test over its timeout fails', { timeout: 50 }, () => new Promise(() => undefined));

test("canary: the run's environment is visible through process.env", () => {
  assert.match(process.env['HOOKWIRE_CODEGEN'] ?? '', /^(on|off)$/);
});

describe('canary suite', () => {
  test('a nested test passes', async () => {
    await assert.rejects(Promise.reject(new TypeError('x')), TypeError);
    assert.throws(() => {
      throw new RangeError('bad range');
    }, /bad range/);
  });
  test('a skipped test is skipped', { skip: 'by design' }, () => {
    throw new Error('a skipped test ran');
  });
});

test('canary: after hooks have not run before the last test', () => {
  assert.equal(afterRan, false);
});
