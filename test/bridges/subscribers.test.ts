// Every way of subscribing to a channel goes through a path hookwire sees (subscribers.ts): the
// watcher is told of the first subscriber and of the last one leaving, and changes nothing else.
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import dc from 'node:diagnostics_channel';
import { test } from 'node:test';
import { watchSubscribers } from '../../src/exits/subscribers.ts';

let n = 0;
function watched() {
  const name = `hookwire:test:subscribers:${++n}`;
  const tc = dc.tracingChannel(name);
  const channels = [tc.start, tc.end, tc.asyncStart, tc.asyncEnd, tc.error];
  const seen: boolean[] = [];
  const watch = watchSubscribers(channels, (subscribed) => seen.push(subscribed));
  return { name, tc, seen, watch };
}

const noop = (): void => undefined;

test('dc.subscribe(name, fn) and dc.unsubscribe(name, fn) are seen', () => {
  const { name, seen, watch } = watched();
  assert.equal(watch.subscribed, false);
  dc.subscribe(`tracing:${name}:end`, noop);
  assert.deepEqual(seen, [true]);
  assert.equal(watch.subscribed, true);
  assert.equal(dc.unsubscribe(`tracing:${name}:end`, noop), true);
  assert.deepEqual(seen, [true, false]);
  watch.stop();
});

test('channel(name).subscribe(fn) is seen, and the channel still delivers', () => {
  const { name, tc, seen, watch } = watched();
  const got: unknown[] = [];
  const fn = (m: unknown): void => void got.push(m);
  dc.channel(`tracing:${name}:start`).subscribe(fn);
  tc.start.publish({ x: 1 });
  dc.channel(`tracing:${name}:start`).unsubscribe(fn);
  tc.start.publish({ x: 2 });
  assert.deepEqual(got, [{ x: 1 }]);
  assert.deepEqual(seen, [true, false]);
  watch.stop();
});

test('tracingChannel(name).subscribe({...}) is seen once for its five channels; so is a second subscriber leaving', () => {
  const { name, seen, watch } = watched();
  const handlers = { start: noop, end: noop, asyncStart: noop, asyncEnd: noop, error: noop };
  const other = { start: noop, end: noop, asyncStart: noop, asyncEnd: noop, error: noop };
  dc.tracingChannel(name).subscribe(handlers);
  dc.tracingChannel(name).subscribe(other);
  dc.tracingChannel(name).unsubscribe(handlers);
  assert.deepEqual(seen, [true]);
  dc.tracingChannel(name).unsubscribe(other);
  assert.deepEqual(seen, [true, false]);
  watch.stop();
});

test('bindStore / unbindStore (what runStores users call) are seen', () => {
  const { tc, seen, watch } = watched();
  const store = new AsyncLocalStorage();
  tc.start.bindStore(store, (m) => m);
  assert.deepEqual(seen, [true]);
  tc.start.unbindStore(store);
  assert.deepEqual(seen, [true, false]);
  watch.stop();
});

test('a subscriber from before the watch counts; a bad subscription throws as without the watch', () => {
  const name = `hookwire:test:subscribers:${++n}`;
  dc.subscribe(`tracing:${name}:error`, noop);
  const tc = dc.tracingChannel(name);
  const seen: boolean[] = [];
  const watch = watchSubscribers([tc.start, tc.end, tc.asyncStart, tc.asyncEnd, tc.error], (s) => seen.push(s));
  assert.equal(watch.subscribed, true);
  dc.unsubscribe(`tracing:${name}:error`, noop);
  assert.deepEqual(seen, [false]);
  // The same error as without the watch; the watch still agrees with the channel afterwards (Node
  // may have made it active before refusing the argument).
  assert.throws(() => tc.start.subscribe(42 as unknown as typeof noop), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.equal(watch.subscribed, tc.start.hasSubscribers);
  watch.stop();
});

test('stop() gives the channels their own methods back; a listener that throws never reaches the subscriber', () => {
  const name = `hookwire:test:subscribers:${++n}`;
  const tc = dc.tracingChannel(name);
  const channels = [tc.start, tc.end, tc.asyncStart, tc.asyncEnd, tc.error];
  const watch = watchSubscribers(channels, () => {
    throw new Error('listener fault');
  });
  assert.ok(Object.hasOwn(tc.start, 'subscribe'));
  tc.start.subscribe(noop); // the listener's throw stays inside
  tc.start.unsubscribe(noop);
  watch.stop();
  watch.stop();
  for (const c of channels) for (const m of ['subscribe', 'unsubscribe', 'bindStore', 'unbindStore']) assert.equal(Object.hasOwn(c, m), false);
  const seen: boolean[] = [];
  tc.start.subscribe(noop);
  assert.deepEqual(seen, []);
  tc.start.unsubscribe(noop);
});
