// armAll / disarmAll: all or nothing, across hooks of one registry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HookError, armAll, createRegistry, disarmAll, hook } from '../../src/core/index.ts';

test('armAll arms exits across several hooks; disarmAll disarms them', () => {
  const registry = createRegistry();
  const open = hook<[string]>('fs:open', { registry });
  const close = hook<[string]>('fs:close', { registry });
  const seen: string[] = [];
  const exits = [
    open.register((p) => void seen.push(`open ${p}`)),
    close.register((p) => void seen.push(`close ${p}`)),
    close.register((p) => void seen.push(`close2 ${p}`)),
  ];
  armAll(exits);
  assert.ok(exits.every((e) => e.armed));
  open.fire('a');
  close.fire('a');
  disarmAll(exits);
  open.fire('b');
  close.fire('b');
  assert.deepEqual(seen, ['open a', 'close a', 'close2 a']);
  assert.equal(open.enabled || close.enabled, false);
});

test('if one exit cannot be armed, none is, and the error names it', () => {
  const registry = createRegistry();
  const a = hook('grp:a', { registry });
  const b = hook('grp:b', { registry });
  const ok1 = a.register(() => undefined, { name: 'ok1' });
  const gone = a.register(() => undefined, { name: 'gone' });
  const ok2 = b.register(() => undefined, { name: 'ok2' });
  gone.deregister();
  assert.throws(
    () => armAll([ok1, ok2, gone]),
    (e: unknown) => e instanceof HookError && e.code === 'ERR_EXIT_DEREGISTERED' && /nothing changed/.test(e.message) && /gone/.test(e.message),
  );
  assert.equal(ok1.armed, false);
  assert.equal(ok2.armed, false);
  b.seal();
  assert.throws(
    () => armAll([ok1, ok2]),
    (e: unknown) => e instanceof HookError && e.code === 'ERR_HOOK_SEALED' && /grp:b/.test(e.message),
  );
  assert.equal(ok1.armed, false, 'the first hook was not armed either');
});

test('disarmAll is all-or-nothing too', () => {
  const registry = createRegistry();
  const a = hook('grp:c', { registry });
  const b = hook('grp:d', { registry });
  const ea = a.register(() => undefined, { armed: true });
  const eb = b.register(() => undefined, { armed: true });
  b.seal();
  assert.throws(
    () => disarmAll([ea, eb]),
    (e: unknown) => e instanceof HookError && e.code === 'ERR_HOOK_SEALED',
  );
  assert.equal(ea.armed, true);
});

test('armAll recompiles each hook once and accepts duplicates and any iterable', () => {
  const registry = createRegistry();
  const h = hook('grp:e', { registry });
  const e1 = h.register(() => undefined);
  const e2 = h.register(() => undefined);
  armAll(new Set([e1, e2, e1]));
  assert.ok(e1.armed && e2.armed);
  assert.match(h.source(), /2 exits/);
  armAll([]);
});
