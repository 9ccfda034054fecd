// The publish exit follows its channel's subscribers: disarmed (the site's zero-cost state) while
// hookwire:<site> has none, armed again when one subscribes, whatever way it subscribes.
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import dc from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { createRegistry, hook, type Exit } from '../../src/core/index.ts';
import { attach, publish } from '../../src/exits/index.ts';
import type { Probe } from '../../src/probe/index.ts';

const require = createRequire(import.meta.url);
const work = require('./fixtures/work.cjs') as { step(n: number): number };
const original = work.step;
const SPEC = './test/bridges/fixtures/work.cjs';
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const noop = (): void => undefined;
const handlers = () => ({ start: noop, end: noop, asyncStart: noop, asyncEnd: noop, error: noop });

let n = 0;
function publishedHook() {
  const registry = createRegistry();
  const h = hook<[x: number]>(`app:follow${++n}`, { registry, args: ['x'] });
  const p = publish();
  const exit = attach(p, h) as Exit;
  return { h, p, exit, channel: `hookwire:${h.name}` };
}

test('a published hook waits disarmed (idle fire) until a subscriber comes, and again after the last leaves', async () => {
  const { h, p, exit, channel } = publishedHook();
  await tick();
  assert.equal(exit.armed, false);
  assert.equal(h.enabled, false);
  h.fire(1); // idle: nothing runs
  const seen: unknown[] = [];
  const sub = { ...handlers(), start: (m: unknown) => void seen.push((m as { args: unknown[] }).args) };
  dc.tracingChannel(channel).subscribe(sub);
  assert.equal(exit.armed, true);
  h.fire(2);
  dc.tracingChannel(channel).unsubscribe(sub);
  assert.equal(exit.armed, false);
  h.fire(3);
  assert.deepEqual(seen, [[2]]);
  assert.deepEqual(p.report().sites[h.name], { hits: 1, published: 1, faults: 0, subscribed: false, waiting: true });
  dc.tracingChannel(channel).subscribe(sub);
  exit.disarm(); // by its owner: no longer waiting after the subscriber leaves
  dc.tracingChannel(channel).unsubscribe(sub);
  assert.equal(p.report().sites[h.name]?.waiting, false);
});

test('every way of subscribing arms it: dc.subscribe(name), channel(name).subscribe, bindStore', async () => {
  const { exit, channel } = publishedHook();
  await tick();
  const ways: [string, () => void, () => void][] = [
    ['dc.subscribe', () => dc.subscribe(`tracing:${channel}:start`, noop), () => dc.unsubscribe(`tracing:${channel}:start`, noop)],
    [
      'channel().subscribe',
      () => dc.channel(`tracing:${channel}:asyncEnd`).subscribe(noop),
      () => dc.channel(`tracing:${channel}:asyncEnd`).unsubscribe(noop),
    ],
  ];
  const store = new AsyncLocalStorage();
  ways.push(['bindStore', () => dc.channel(`tracing:${channel}:start`).bindStore(store), () => dc.channel(`tracing:${channel}:start`).unbindStore(store)]);
  for (const [way, on, off] of ways) {
    on();
    assert.equal(exit.armed, true, way);
    off();
    assert.equal(exit.armed, false, way);
  }
});

test('armed at once when a subscriber was there first; fired before the first look, it parks itself', async () => {
  const registry = createRegistry();
  const h = hook<[x: number]>(`app:first${++n}`, { registry });
  const sub = handlers();
  dc.tracingChannel(`hookwire:${h.name}`).subscribe(sub);
  const exit = attach(publish(), h) as Exit;
  await tick();
  assert.equal(exit.armed, true);
  dc.tracingChannel(`hookwire:${h.name}`).unsubscribe(sub);
  assert.equal(exit.armed, false);

  const other = hook<[x: number]>(`app:early${++n}`, { registry });
  const e2 = attach(publish(), other) as Exit;
  other.fire(1); // before the observer looked for its exit: the hit itself parks it
  assert.equal(e2.armed, false);
});

test("its owner's disarm holds across subscriber changes; its arm comes back when a subscriber does", async () => {
  const { exit, channel } = publishedHook();
  await tick();
  const sub = handlers();
  dc.tracingChannel(channel).subscribe(sub);
  exit.disarm(); // by hand, while subscribed
  dc.tracingChannel(channel).unsubscribe(sub);
  dc.tracingChannel(channel).subscribe(sub);
  assert.equal(exit.armed, false);
  exit.arm();
  dc.tracingChannel(channel).unsubscribe(sub);
  assert.equal(exit.armed, false);
  dc.tracingChannel(channel).subscribe(sub);
  assert.equal(exit.armed, true);
  dc.tracingChannel(channel).unsubscribe(sub);
  exit.deregister();
  dc.tracingChannel(channel).subscribe(sub); // a removed exit is forgotten, never re-armed
  assert.equal(exit.armed, false);
  dc.tracingChannel(channel).unsubscribe(sub);
});

test('a followed probe: the original function while nobody listens, the wrapper while someone does', () => {
  const p = publish();
  const probe = attach(p, `${SPEC}#step`) as Probe;
  p.follow(probe);
  assert.equal(probe.armed, false);
  assert.equal(work.step, original);
  const name = `hookwire:${probe.hook}`;
  const got: string[] = [];
  const sub = { ...handlers(), start: () => void got.push('start'), end: () => void got.push('end') };
  dc.tracingChannel(name).subscribe(sub);
  assert.equal(probe.armed, true);
  assert.notEqual(work.step, original);
  work.step(2);
  dc.tracingChannel(name).unsubscribe(sub);
  assert.equal(work.step, original);
  work.step(3);
  assert.deepEqual(got, ['start', 'end']);
  assert.equal(p.report().sites[probe.hook]?.published, 1);
  probe.remove();
  assert.equal(work.step, original);
  assert.throws(() => p.follow({} as Probe), { code: 'ERR_INVALID_ARG' });
});

test('close() stops following: the channels get their own methods back', async () => {
  const { p, exit, channel } = publishedHook();
  await tick();
  p.close();
  const start = dc.channel(`tracing:${channel}:start`);
  assert.equal(Object.hasOwn(start, 'subscribe'), false);
  start.subscribe(noop);
  assert.equal(exit.armed, false);
  start.unsubscribe(noop);
});
