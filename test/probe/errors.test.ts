// Bad input gets a HookError with a stable code, and nothing changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HookError } from '../../src/core/index.ts';
import { probe, probeSpec } from '../../src/probe/index.ts';
import { freshRegistry } from './harness.ts';

function code(expected: string) {
  return (e: unknown) => e instanceof HookError && e.code === expected;
}

test('a path that names nothing, a non-function, and a non-object target: ERR_PROBE_TARGET', () => {
  const reg = freshRegistry();
  const obj = { n: 1, fn() {} };
  assert.throws(() => probe(obj, 'missing', {}, { registry: reg }), code('ERR_PROBE_TARGET'));
  assert.throws(() => probe(obj, 'n', {}, { registry: reg }), code('ERR_PROBE_TARGET'));
  assert.throws(() => probe(null as unknown as object, 'x', {}, { registry: reg }), code('ERR_PROBE_TARGET'));
  assert.equal(reg.list().length, 0);
});

test('a frozen object and a non-configurable read-only property: ERR_PROBE_TARGET, nothing changed', () => {
  const reg = freshRegistry();
  const fn = () => 1;
  const frozen = Object.freeze({ fn });
  const readOnly = Object.defineProperty({}, 'fn', { value: fn, writable: false, configurable: false }) as { fn: () => number };
  assert.throws(() => probe(frozen, 'fn', {}, { registry: reg }), code('ERR_PROBE_TARGET'));
  assert.throws(() => probe(readOnly, 'fn', {}, { registry: reg }), code('ERR_PROBE_TARGET'));
  assert.equal(frozen.fn, fn);
  assert.equal(readOnly.fn, fn);
  assert.equal(reg.list().length, 0);
});

test('bad handlers and options: ERR_INVALID_ARG, nothing changed', () => {
  const reg = freshRegistry();
  const obj = { fn() {} };
  const orig = obj.fn;
  assert.throws(() => probe(obj, 'fn', null as never, { registry: reg }), code('ERR_INVALID_ARG'));
  assert.throws(() => probe(obj, 'fn', { onEnter: 1 } as never, { registry: reg }), code('ERR_INVALID_ARG'));
  assert.throws(() => probe(obj, 'fn', {}, { registry: reg, armd: true } as never), code('ERR_INVALID_ARG'));
  assert.throws(() => probe(obj, 'fn', {}, { registry: reg, order: 'middle' } as never), code('ERR_INVALID_ARG'));
  assert.throws(() => probe(obj, 'fn', {}, { registry: {} } as never), code('ERR_INVALID_ARG'));
  assert.throws(() => probe(obj, 'fn', {}, { registry: reg, accessor: 'get' }), code('ERR_INVALID_ARG'));
  assert.equal(obj.fn, orig);
  assert.equal(reg.list().length, 0);
});

test('a function already probed in another registry: ERR_PROBE_TARGET', () => {
  const obj = { fn() {} };
  const p = probe(obj, 'fn', {}, { registry: freshRegistry() });
  const wrapper = obj.fn;
  const other = freshRegistry();
  assert.throws(() => probe(obj, 'fn', {}, { registry: other }), code('ERR_PROBE_TARGET'));
  assert.equal(obj.fn, wrapper);
  assert.equal(other.list().length, 0);
  p.remove();
});

test('malformed specs, missing modules and missing paths', () => {
  const reg = freshRegistry();
  assert.throws(() => probeSpec('node:fs', {}, { registry: reg }), code('ERR_INVALID_ARG'));
  assert.throws(() => probeSpec('#readFileSync', {}, { registry: reg }), code('ERR_INVALID_ARG'));
  assert.throws(() => probeSpec('node:fs#a..b', {}, { registry: reg }), code('ERR_INVALID_ARG'));
  assert.throws(() => probeSpec('./no/such/file.js#x', {}, { registry: reg }), code('ERR_MODULE_NOT_FOUND'));
  assert.throws(() => probeSpec('no-such-package-hookwire#x', {}, { registry: reg }), code('ERR_MODULE_NOT_FOUND'));
  assert.throws(() => probeSpec('node:fs#noSuchFunction', {}, { registry: reg }), code('ERR_PROBE_TARGET'));
  assert.throws(() => probeSpec('node:fs#constants', {}, { registry: reg }), code('ERR_PROBE_TARGET'));
  assert.throws(() => probeSpec('node:fs#nothing.here', {}, { registry: reg }), code('ERR_PROBE_TARGET'));
  assert.equal(reg.list().length, 0);
});

test('a removed probe cannot be armed again', () => {
  const obj = { fn() {} };
  const p = probe(obj, 'fn', {}, { registry: freshRegistry() });
  p.remove();
  assert.throws(() => p.arm(), code('ERR_EXIT_DEREGISTERED'));
});

test('a real ES module namespace is read-only: ERR_PROBE_TARGET, not a silent failure', async () => {
  const url = new URL('../fixtures/probe-modules/esm-lib.mjs', import.meta.url).href;
  const ns = (await import(url)) as Record<string, unknown>;
  const reg = freshRegistry();
  assert.throws(() => probe(ns, 'greet', {}, { registry: reg }), code('ERR_PROBE_TARGET'));
  assert.equal(reg.list().length, 0);
  assert.equal(reg.snapshot().faults, 0);
});

test('a spec probe names its hook probe:<spec> and shows the spec in the snapshot', () => {
  const reg = freshRegistry();
  const p = probeSpec('node:path#posix.basename', {}, { registry: reg });
  assert.equal(p.hook, 'probe:node:path#posix.basename');
  assert.equal(p.status, 'attached');
  const meta = reg.snapshot().hooks[0]!.meta!;
  assert.equal(meta['spec'], 'node:path#posix.basename');
  assert.equal(meta['target'], 'method', 'node:path defines its functions as object methods');
  p.remove();
});
