// describeTarget(probe): what a probe is on. A wrapper probe describes the function it replaced
// (via 'wrapper'); a probe on the breakpoint path says where it is, why no wrapper, and its cost
// per hit (via 'breakpoint'); a removed probe and anything that is neither are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HookError } from '../../src/core/index.ts';
import { describeTarget, probe, probeSpec } from '../../src/probe/index.ts';

test('a wrapper probe is described by the function it replaced, via the wrapper', () => {
  const o = {
    add(a: number, b: number) {
      return a + b;
    },
  };
  const fn = o.add;
  const p = probe(o, 'add', { onEnter() {} });
  try {
    assert.deepEqual(describeTarget(p), { ...describeTarget(fn), via: 'wrapper' });
    assert.equal(describeTarget(p).boosted, true);
  } finally {
    p.remove();
  }
});

test('a source-line probe is described as a breakpoint: where, why, and its cost per hit', () => {
  const p = probeSpec('./test/fixtures/breakpoint/lines.cjs:5', {});
  try {
    assert.equal(p.via, 'breakpoint');
    const d = describeTarget(p);
    assert.equal(d.kind, 'breakpoint');
    assert.equal(d.via, 'breakpoint');
    assert.equal(d.boosted, false);
    assert.match(d.name, /lines\.cjs:5/u);
    assert.match(d.reason ?? '', /breakpoint/u);
    assert.match(d.costPerHit ?? '', /µs per hit/u);
  } finally {
    p.remove();
  }
});

test('a removed probe and a value that is neither a function nor a probe are refused with ERR_INVALID_ARG', () => {
  const o = { f: () => 1 };
  const p = probe(o, 'f', {});
  p.remove();
  assert.throws(
    () => describeTarget(p),
    (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG' && /is removed: it is on no target/u.test(e.message),
  );
  for (const bad of [undefined, 42, {}, 'f']) {
    assert.throws(
      () => describeTarget(bad as never),
      (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG',
    );
  }
});
