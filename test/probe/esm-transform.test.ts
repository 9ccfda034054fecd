// The one source change hookwire makes to a named ES module (esm-transform.ts): lines appended
// after the original, which stays a byte-exact prefix; one getter/setter pair per export with a
// local binding; names it introduces never collide with the module's own.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { bindingSuffix, type ModuleLexer } from '../../src/probe/esm-transform.ts';

const lexer = createRequire(import.meta.url)('es-module-lexer') as ModuleLexer & { initSync(): void };
lexer.initSync();
const URL_ = 'file:///app/m.mjs';

test('accessors for local bindings only; re-exports and default expressions listed with the reason; a self-import only when needed', () => {
  const plain = bindingSuffix('export let a = 1; function b() {} export { b as c };', URL_, lexer);
  assert.match(plain, /^\n;try \{ globalThis\[Symbol\.for\("hookwire\.esm"\)\]\?\.bound\(import\.meta\.url, \{ "a": \[\(\) => a, /u);
  assert.match(plain, /"c": \[\(\) => b, \(__hookwire_value\) => \{ b = __hookwire_value; \}\]/u);
  assert.doesNotMatch(plain, /import \* as/u);
  const other = bindingSuffix("export { x } from './y.mjs'; export default 1 + 1;", URL_, lexer);
  assert.match(other, /"x": "it is re-exported from \\"\.\/y\.mjs\\"/u);
  assert.match(other, /"default": "it is an export default of an expression/u);
  assert.match(other, /\nimport \* as __hookwire_ns from "file:\/\/\/app\/m\.mjs";\n$/u);
});

test('the names it adds avoid every name in the module', () => {
  const source = 'export let __hookwire_value = 1; export * from "./z.mjs"; const __hookwire_ns = 2;';
  const suffix = bindingSuffix(source, URL_, lexer);
  assert.match(suffix, /\(__hookwire_value2\) => \{ __hookwire_value = __hookwire_value2; \}/u);
  assert.match(suffix, /import \* as __hookwire_ns2 from/u);
  assert.match(suffix, /\["\.\/z\.mjs"\], __hookwire_ns2\); \} catch \{\}/u);
});

test('a module with no exports still registers (an empty set), so a spec naming it gets a clear "no such property"', () => {
  assert.match(bindingSuffix('console.log(1);', URL_, lexer), /bound\(import\.meta\.url, \{ {2}\}, \{ {2}\}, \[\]\); \} catch \{\}\n$/u);
});

test('the lexer refusing a source is thrown (the hook then leaves the module as it is)', () => {
  assert.throws(() => bindingSuffix('export { a b c', URL_, lexer));
});
