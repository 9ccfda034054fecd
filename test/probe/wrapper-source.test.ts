// The boosted wrapper is compiled for the target's kind and arity: fixed parameters, no rest,
// no apply on the hot path and `arguments` read only for its length (copied when the count differs
// from the declared one, so handlers see exactly what was passed), handlers unrolled for exactly
// the armed probes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeGenerationEnabled } from '../../src/core/index.ts';
import { probe } from '../../src/probe/index.ts';
import { freshRegistry } from './harness.ts';

const codegen = codeGenerationEnabled();

test(
  'the compiled wrapper takes exactly the passed arguments and unrolls exactly the armed handlers',
  { skip: !codegen && 'closure mode compiles no code' },
  () => {
    const obj = {
      fn(a: number, b: number, c: number) {
        return a + b + c;
      },
    };
    const reg = freshRegistry();
    const p1 = probe(obj, 'fn', { onEnter() {} }, { registry: reg });
    const p2 = probe(obj, 'fn', { onLeave() {} }, { registry: reg });
    const src = p1.source();
    assert.match(src, /^"use strict";/);
    // A rest parameter is the context's args: exactly what was passed, one array, no `arguments`
    // (reading `arguments` cost a boosted probe 1.08x -> 1.43x in bench/probe.bench.ts).
    assert.match(src, /w\(\.\.\.args\) \{/);
    assert.match(src, /n0\.call\(h0, c0\)/, "the first probe's onEnter");
    assert.match(src, /l1\.call\(h1, c1, r\)/, "the second probe's onLeave");
    assert.doesNotMatch(src, /n1|l0|q0|q1/, 'no code for handlers that are absent');
    assert.doesNotMatch(src, /\barguments\b/);
    assert.match(src, /args\.length === 3 \? orig\.call\(this, args\[0\], args\[1\], args\[2\]\)/, 'the declared count calls directly');
    assert.doesNotMatch(src, /try \{ r = /, "no onError armed: the original's exception propagates untouched");
    const hot = src.split('\n').filter((l) => !/detour|apply\(orig, this, args\)/.test(l));
    assert.ok(
      hot.every((l) => !/apply\(/.test(l)),
      'apply only on the changed-argument-count branch',
    );
    assert.equal(obj.fn(1, 2, 3), 6);
    assert.equal(reg.get(p1.hook)!.source(), src, 'the hook shows the wrapper that runs');
    p2.disarm();
    assert.doesNotMatch(p1.source(), /l1/, 'recompiled for the armed set');
    p1.remove();
    p2.remove();
  },
);

test('counting-only probes compile to a direct call', { skip: !codegen && 'closure mode compiles no code' }, () => {
  function plain(this: unknown, x: number) {
    return x;
  }
  const obj = { plain };
  const p = probe(obj, 'plain', {}, { registry: freshRegistry() });
  const src = p.source();
  assert.match(src, /return function self\(a0\) \{/, 'a plain function gets a constructible function wrapper');
  assert.match(src, /orig\.call\(this, a0\)/);
  assert.doesNotMatch(src, /new Ctx/);
  p.remove();
});

test('in closure mode the source says which wrapper runs', { skip: codegen && 'code generation is on' }, () => {
  const obj = { fn: (a: number) => a };
  const p = probe(obj, 'fn', {}, { registry: freshRegistry() });
  assert.match(p.source(), /closure wrapper/);
  p.remove();
});

test('snapshots report the wrapper actually in use', () => {
  const reg = freshRegistry();
  const obj = { fn: (a: number) => a, cls: function (this: unknown) {}.bind(null) };
  const p = probe(obj, 'fn', {}, { registry: reg });
  const q = probe(obj, 'cls', {}, { registry: reg });
  const byName = Object.fromEntries(reg.snapshot().hooks.map((h) => [h.name, h.meta]));
  assert.equal(byName[p.hook]?.['wrapper'], codegen ? 'compiled' : 'closure');
  assert.equal(byName[p.hook]?.['boosted'], true);
  assert.equal(byName[q.hook]?.['wrapper'], 'generic');
  assert.equal(byName[q.hook]?.['boosted'], false);
  assert.equal(typeof byName[q.hook]?.['reason'], 'string');
  p.remove();
  q.remove();
});
