// A hook's fault policy is `faultPolicy` (what to do on a fault); `stats.faults` counts faults.
// `faults`, the policy's older documented name, is still accepted as an option and a getter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectTypeOf } from 'expect-type';
import { createRegistry, hook, HookError, type Exit, type FaultPolicy } from '../../src/core/index.ts';

const invalid = (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG';

test('faultPolicy sets the policy; the count stays in stats.faults', () => {
  const registry = createRegistry();
  const h = hook('policy:new', { registry, faultPolicy: 'isolate' });
  expectTypeOf(h.faultPolicy).toEqualTypeOf<FaultPolicy>();
  expectTypeOf<Exit['stats']['faults']>().toEqualTypeOf<number>();
  assert.equal(h.faultPolicy, 'isolate');
  assert.equal(h.faults, 'isolate');
  const exit = h.register(
    () => {
      throw new Error('boom');
    },
    { armed: true },
  );
  h.fire();
  assert.equal(exit.stats.faults, 1);
  assert.equal(registry.snapshot().hooks[0]?.faults, 'isolate');
  assert.equal(hook('policy:default', { registry }).faultPolicy, 'propagate');
});

test('faults, the older name, still sets the policy; both names must agree', () => {
  const registry = createRegistry();
  assert.equal(hook('policy:old', { registry, faults: 'isolate' }).faultPolicy, 'isolate');
  assert.equal(hook('policy:both', { registry, faults: 'isolate', faultPolicy: 'isolate' }).faultPolicy, 'isolate');
  assert.throws(() => hook('policy:clash', { registry, faults: 'isolate', faultPolicy: 'propagate' }), invalid);
  assert.throws(() => hook('policy:bad', { registry, faultPolicy: 'ignore' as never }), invalid);
  assert.equal(registry.get('policy:clash'), undefined);
});
