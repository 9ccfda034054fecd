// Probes change through core transactions: arm/disarm of all parts at once, and a removal that
// deregisters and terminates in one step, rebuilding the probed function's wrapper once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HookError, transaction } from '../../src/core/index.ts';
import { probe } from '../../src/probe/index.ts';
import type { ProbeImpl } from '../../src/probe/probe.ts';
import { Site } from '../../src/probe/site.ts';
import { freshRegistry } from './harness.ts';

const make = () => ({
  fn(a: number) {
    return a + 1;
  },
});

/** Counts the rebuilds of the site behind `p` (the core calls `site.rebuild` once per hook rebuild). */
function countRebuilds(p: unknown): { n: number } {
  const site = (p as ProbeImpl)._parts[0]!.site;
  const count = { n: 0 };
  site.rebuild = function (this: Site, armed) {
    count.n++;
    Site.prototype.rebuild.call(this, armed);
  };
  return count;
}

test('removing the last probe of a function rebuilds its wrapper once and restores the original', () => {
  const obj = make();
  const orig = obj.fn;
  const reg = freshRegistry();
  const a = probe(obj, 'fn', {}, { registry: reg, name: 'a' });
  const b = probe(obj, 'fn', {}, { registry: reg, name: 'b' });
  const count = countRebuilds(a);
  assert.equal(b.remove(), true);
  assert.equal(count.n, 1, 'a probe that stays: one rebuild for the one that goes');
  assert.notEqual(obj.fn, orig);
  assert.equal(a.remove(), true);
  assert.equal(count.n, 2, 'the last probe: deregistered and its hook terminated with one rebuild');
  assert.equal(obj.fn, orig);
  assert.equal(reg.list().length, 0);
});

test('a sealed probe hook refuses arm, disarm and remove with nothing changed, naming the probe', () => {
  const obj = make();
  const reg = freshRegistry();
  const p = probe(obj, 'fn', {}, { registry: reg, name: 'sealed-one' });
  const wrapper = obj.fn;
  reg.seal();
  const before = JSON.stringify(reg.snapshot());
  for (const change of [() => p.disarm(), () => p.remove()]) {
    assert.throws(
      change,
      (e: unknown) => e instanceof HookError && e.code === 'ERR_HOOK_SEALED' && /^probe "sealed-one": nothing changed/.test(e.message),
    );
  }
  assert.equal(p.armed, true);
  assert.equal(p.status, 'attached');
  assert.equal(obj.fn, wrapper);
  assert.equal(JSON.stringify(reg.snapshot()), before);
});

test('probe changes inside a core transaction are refused (transactions do not nest)', () => {
  const obj = make();
  const reg = freshRegistry();
  const p = probe(obj, 'fn', {}, { registry: reg, name: 'nested' });
  transaction(() => {
    for (const change of [() => p.disarm(), () => p.remove()]) {
      assert.throws(change, (e: unknown) => e instanceof HookError && e.code === 'ERR_TRANSACTION_OPEN');
    }
  });
  assert.equal(p.armed, true);
  assert.equal(p.remove(), true);
});
