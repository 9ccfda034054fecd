// Many probes on one function share one wrapper and one hook; the hook lives in the registry like
// any other, so listing, snapshots, group arming, sealing and synchronize() work for probes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { armAll, disarmAll, HookError } from '../../src/core/index.ts';
import { probe } from '../../src/probe/index.ts';
import { freshRegistry } from './harness.ts';

const make = () => ({
  fn(a: number) {
    return a + 1;
  },
});

test('several probes share one wrapper in running order; the last removal restores', () => {
  const obj = make();
  const orig = obj.fn;
  const reg = freshRegistry();
  const order: string[] = [];
  const a = probe(obj, 'fn', { onEnter: () => void order.push('a'), onLeave: (_c, r: number) => r * 2 }, { registry: reg, name: 'a' });
  const b = probe(obj, 'fn', { onEnter: () => void order.push('b'), onLeave: (_c, r: number) => r + 100 }, { registry: reg, name: 'b', order: 'first' });
  const wrapper = obj.fn;
  assert.equal(reg.list().length, 1, 'one hook for the function');
  assert.equal(a.hook, b.hook);
  assert.equal(obj.fn(1), 204, 'b (first) then a');
  assert.deepEqual(order, ['b', 'a']);
  assert.equal(Object.getPrototypeOf(obj.fn), Object.getPrototypeOf(orig));
  a.remove();
  assert.notEqual(obj.fn, wrapper);
  assert.equal(obj.fn(1), 102);
  b.remove();
  assert.equal(obj.fn, orig);
  assert.equal(reg.list().length, 0, 'the hook is gone with its last probe');
});

test('the probe hook shows in snapshots with target kind and boost state', () => {
  const reg = freshRegistry();
  const obj = make();
  const p = probe(obj, 'fn', {}, { registry: reg, name: 'count' });
  obj.fn(1);
  const snap = reg.snapshot();
  assert.equal(snap.hooks.length, 1);
  const h = snap.hooks[0]!;
  assert.match(h.name, /^probe:Object\.fn$/);
  assert.equal(h.meta?.['target'], 'method');
  assert.equal(h.meta?.['boosted'], true);
  assert.deepEqual(h.exits, [{ name: 'count', order: 0, armed: true, hits: 1, faults: 0 }]);
  p.remove();
});

test('probes arm and disarm as a group through armAll/disarmAll on their exits', () => {
  const reg = freshRegistry();
  const x = make();
  const y = make();
  const px = probe(x, 'fn', {}, { registry: reg, armed: false });
  const py = probe(y, 'fn', {}, { registry: reg, armed: false });
  const exits = reg.list().flatMap((h) => h.exits);
  armAll(exits);
  assert.equal(px.armed && py.armed, true);
  x.fn(1);
  y.fn(1);
  assert.deepEqual([px.stats.hits, py.stats.hits], [1, 1]);
  disarmAll(exits);
  assert.equal(px.armed || py.armed, false);
  px.remove();
  py.remove();
});

test('arming through the registry (as the control layer does) installs the wrapper', () => {
  const reg = freshRegistry();
  const obj = make();
  const orig = obj.fn;
  const p = probe(obj, 'fn', { onLeave: () => 'probed' }, { registry: reg, armed: false });
  reg.get(p.hook)!.exits[0]!.arm();
  assert.equal(obj.fn(1), 'probed');
  reg.get(p.hook)!.exits[0]!.disarm();
  assert.equal(obj.fn, orig);
  p.remove();
});

test('a sealed probe hook refuses changes and nothing changes', () => {
  const reg = freshRegistry();
  const obj = make();
  const p = probe(obj, 'fn', {}, { registry: reg });
  const wrapper = obj.fn;
  reg.seal();
  assert.throws(
    () => p.disarm(),
    (e: unknown) => e instanceof HookError && e.code === 'ERR_HOOK_SEALED',
  );
  assert.throws(
    () => p.remove(),
    (e: unknown) => e instanceof HookError && e.code === 'ERR_HOOK_SEALED',
  );
  assert.throws(
    () => probe(make(), 'fn', {}, { registry: reg }),
    (e: unknown) => e instanceof HookError && e.code === 'ERR_HOOK_SEALED',
  );
  assert.equal(obj.fn, wrapper);
  assert.equal(p.armed, true);
});

test('synchronize() waits for async probed calls that started before it', async () => {
  const reg = freshRegistry();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const obj = {
    async work() {
      await gate;
      return 1;
    },
  };
  const left: number[] = [];
  probe(obj, 'work', { onLeave: (_c, r: number) => void left.push(r) }, { registry: reg });
  const call = obj.work();
  let synced = false;
  const s = reg.synchronize().then(() => (synced = true));
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(synced, false, 'a probed call is still in flight');
  release();
  await s;
  assert.deepEqual(left, [1], 'its onLeave ran before synchronize resolved');
  assert.equal(await call, 1);
});

test('exclusive orders apply to probes as to exits', () => {
  const reg = freshRegistry();
  const obj = make();
  const a = probe(obj, 'fn', {}, { registry: reg, order: 'only' });
  const wrapper = obj.fn;
  assert.throws(
    () => probe(obj, 'fn', {}, { registry: reg }),
    (e: unknown) => e instanceof HookError && e.code === 'ERR_HOOK_ORDER',
  );
  assert.equal(obj.fn, wrapper);
  a.remove();
});

test('a generator that completes after its probe was disarmed does not run that probe (the grace-period promise)', async () => {
  const reg = freshRegistry();
  const obj = {
    *count(n: number) {
      for (let i = 0; i < n; i++) yield i;
      return n;
    },
  };
  const left: string[] = [];
  const stays = probe(obj, 'count', { onLeave: () => void left.push('stays') }, { registry: reg, name: 'stays' });
  const goes = probe(obj, 'count', { onLeave: () => void left.push('goes') }, { registry: reg, name: 'goes' });
  const suspended = obj.count(2);
  assert.equal(suspended.next().value, 0);
  goes.disarm();
  await reg.synchronize(); // a suspended generator does not hold the grace period back
  assert.deepEqual([...suspended], [1]);
  assert.deepEqual(left, ['stays'], 'the disarmed probe did not run after synchronize()');
  const fresh = obj.count(1);
  assert.deepEqual([...fresh], [0]);
  assert.deepEqual(left, ['stays', 'stays']);
  stays.remove();
  goes.remove();
});

test("firing a probe's hook directly runs nothing and counts no probe hit (the wrapper is the dispatcher)", () => {
  const reg = freshRegistry();
  const obj = make();
  const p = probe(obj, 'fn', { onEnter: () => undefined }, { registry: reg });
  const h = reg.get(p.hook)!;
  assert.equal(h.enabled, true);
  h.fire(1);
  assert.equal(p.stats.hits, 0);
  assert.equal(obj.fn(1), 2);
  assert.equal(p.stats.hits, 1);
  p.remove();
});
