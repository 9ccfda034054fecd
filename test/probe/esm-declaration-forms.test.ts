// Issue 11, defect 1: every declaration form of an ES module export under a probe by spec.
// function, let, var, class, `export { local as name }` and `export default function named()`
// are probed through their binding (static importers, the namespace and import() all see the
// wrapper while armed, and the exact original, same function and source text, after removal);
// const, re-exports and `export default <expression>` are refused with a code and a message that
// says what to do instead.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FORMS = ['fn', 'letFn', 'varFn', 'Klass', 'renamed', 'default'] as const;

test('each declaration form: probed through its binding, seen by every importer, restored exactly; the rest refused clearly', () => {
  const out = execFileSync(process.execPath, ['--import', './dist/probe/register.js', 'test/fixtures/probe-modules/esm/app-forms.mjs'], {
    cwd: root,
    encoding: 'utf8',
  });
  const got = JSON.parse(out.trim().split('\n').pop()!) as Record<string, Record<string, unknown>>;
  const each = <T>(f: (n: (typeof FORMS)[number]) => T) => Object.fromEntries(FORMS.map((n) => [n, f(n)]));
  assert.deepEqual(
    got['status'],
    each(() => 'attached'),
  );
  assert.deepEqual(
    got['disarmed'],
    each(() => true),
  );
  const wrapped = { fn: '[fn 1]', letFn: '[let 1]', varFn: '[var 1]', Klass: 1, renamed: '[local 1]', default: '[default 1]' };
  assert.deepEqual(
    got['armed'],
    each((n) => ({ binding: wrapped[n], namespaceIsWrapper: true, hits: 1 })),
  );
  const plain = { fn: 'fn 2', letFn: 'let 2', varFn: 'var 2', Klass: 2, renamed: 'local 2', default: 'default 2' };
  assert.deepEqual(
    got['removed'],
    each((n) => [true, plain[n]]),
  );
  assert.deepEqual(got['deep'], ['attached', 'HI K']);
  assert.equal(got['deepRemoved'], 'hi k');

  const refused = got['refused'] as Record<string, { code: string; message: string }>;
  assert.equal(refused['constFn']!.code, 'ERR_PROBE_CONST');
  assert.match(refused['constFn']!.message, /export "constFn" of .*forms\.mjs: its binding is a const/u);
  assert.equal(refused['constNum']!.code, 'ERR_PROBE_TARGET');
  assert.match(refused['constNum']!.message, /it is number, not a function/u);
  assert.equal(refused['helper']!.code, 'ERR_PROBE_TARGET');
  assert.match(refused['helper']!.message, /re-exported from "\.\/forms-helper\.mjs": probe it in the module that declares it/u);
  assert.equal(refused['starred']!.code, 'ERR_PROBE_TARGET');
  assert.match(refused['starred']!.message, /export \* from "\.\/forms-star\.mjs": probe it in the module that declares it/u);
  assert.equal(refused['nothing']!.code, 'ERR_PROBE_TARGET');
  assert.match(refused['nothing']!.message, /no such property/u);
  assert.equal(got['defaultExprWaiting'], 'pending');
  const expr = got['defaultExpr'] as unknown as { code: string; message: string };
  assert.equal(expr.code, 'ERR_PROBE_TARGET');
  assert.match(expr.message, /export default of an expression, which has no binding to replace/u);
});
