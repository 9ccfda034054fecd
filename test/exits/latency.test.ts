import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry, hook, HookError } from '../../src/core/index.ts';
import { EXACT_SAMPLES, Histogram } from '../../src/exits/histogram.ts';
import { latency } from '../../src/exits/latency.ts';
import { call, ctx, fakeClock } from './helpers.ts';

test('histogram: exact nearest-rank percentiles while samples are kept', () => {
  const h = new Histogram();
  for (const v of [6, 1, 5, 2, 4, 3, 10, 9, 8, 7]) h.record(v);
  assert.equal(h.percentile(50), 5);
  assert.equal(h.percentile(90), 9);
  assert.equal(h.percentile(99), 10);
  assert.equal(h.percentile(10), 1);
});

test('histogram: exact below 128 µs in the buckets too', () => {
  const h = new Histogram();
  assert.equal(h.percentile(50), null);
  assert.equal(h.max, null);
  for (let round = 0; round < 11; round++) {
    for (let us = 1; us <= 100; us++) h.record(us / 1000); // 0.001 .. 0.100 ms, 11 times over
  }
  assert.ok(h.count > EXACT_SAMPLES, 'past the exact samples: the buckets answer');
  assert.equal(h.percentile(50), 0.05);
  assert.equal(h.percentile(90), 0.09);
  assert.equal(h.percentile(99), 0.099);
  assert.equal(h.percentile(100), 0.1);
  assert.equal(h.min, 0.001);
  assert.equal(h.max, 0.1);
  assert.ok(Math.abs((h.mean ?? 0) - 0.0505) < 1e-9, String(h.mean));
});

test('histogram: large values within 1/128 of the true percentile', () => {
  const h = new Histogram();
  const values = Array.from({ length: 5000 }, (_, i) => (i + 1) * 1.46); // 1.46 ms .. 7300 ms
  for (const v of [...values].reverse()) h.record(v);
  for (const [p, expected] of [
    [50, values[2499]],
    [90, values[4499]],
    [99, values[4949]],
  ] as const) {
    const got = h.percentile(p) ?? NaN;
    assert.ok(Math.abs(got - (expected as number)) / (expected as number) <= 1 / 128, `p${p}: ${got} vs ${expected}`);
  }
  assert.equal(h.max, 7300);
  assert.equal(h.percentile(100), 7300);
});

test('histogram: negative and non-finite durations count as 0', () => {
  const h = new Histogram();
  h.record(-5);
  h.record(Number.NaN);
  assert.equal(h.count, 2);
  assert.equal(h.max, 0);
});

test('latency on a probe measures entry to leave with the given clock', () => {
  const clock = fakeClock();
  const l = latency({ clock: clock.clock });
  const handlers = l.forProbe();
  const durations = [5, 1, 3, 2, 4, 10, 6, 8, 7, 9]; // ms
  for (const d of durations) call(handlers, 'probe:db#query', [], { result: 'row' }, () => clock.advance(d));
  call(handlers, 'probe:db#query', [], { error: new Error('x') }, () => clock.advance(100));
  const site = l.report().sites['probe:db#query'];
  assert.deepEqual(site, {
    hits: 11,
    errors: 1,
    faults: 0,
    count: 11,
    settled: 0,
    p50Ms: 6,
    p90Ms: 10,
    p99Ms: 100,
    maxMs: 100,
    minMs: 1,
    meanMs: 14.091, // 155 / 11, rounded to the microsecond
  });
});

test('latency of an async call runs until its completion handler, however late', async () => {
  const clock = fakeClock();
  const l = latency({ clock: clock.clock });
  const handlers = l.forProbe();
  const c = ctx('probe:net#fetch');
  handlers.onEnter(c);
  await new Promise((resolve) => setImmediate(resolve));
  clock.advance(42);
  handlers.onLeave(c, 'body');
  assert.equal(l.report().sites['probe:net#fetch']?.p50Ms, 42);
});

test('interleaved calls of one site keep their own start times', () => {
  const clock = fakeClock();
  const l = latency({ clock: clock.clock });
  const handlers = l.forProbe();
  const a = ctx('probe:x#f');
  const b = ctx('probe:x#f');
  handlers.onEnter(a); // t=0
  clock.advance(10);
  handlers.onEnter(b); // t=10
  clock.advance(5);
  handlers.onLeave(b, 1); // 5 ms
  clock.advance(5);
  handlers.onLeave(a, 1); // 20 ms
  const site = l.report().sites['probe:x#f'];
  assert.equal(site?.minMs, 5);
  assert.equal(site?.maxMs, 20);
});

test('a declared hook counts hits and has no durations', () => {
  const registry = createRegistry();
  const h = hook<[number]>('latency:h', { registry });
  const l = latency();
  h.register(l.forHook(h), { armed: true });
  h.fire(1);
  h.fire(2);
  assert.deepEqual(l.report().sites['latency:h'], {
    hits: 2,
    errors: 0,
    faults: 0,
    count: 0,
    settled: 0,
    p50Ms: null,
    p90Ms: null,
    p99Ms: null,
    maxMs: null,
    minMs: null,
    meanMs: null,
  });
});

test('a leave without an enter, or a clock that throws, is a contained fault', () => {
  let broken = false;
  const l = latency({
    clock: () => {
      if (broken) throw new Error('clock');
      return 0;
    },
  });
  const handlers = l.forProbe();
  assert.equal(handlers.onLeave(ctx('probe:f#a'), 1), undefined);
  broken = true;
  assert.doesNotThrow(() => call(handlers, 'probe:f#b', [], { result: 1 }));
  assert.doesNotThrow(() => handlers.onEnter(null as never));
  const report = l.report();
  assert.equal(report.sites['probe:f#a']?.faults, 1);
  assert.equal(report.sites['probe:f#b']?.faults, 2); // enter and leave both failed to read the clock
  assert.equal(report.faults, 4); // + the context with no site
});

test('bad options throw ERR_INVALID_ARG', () => {
  for (const options of [{ clock: 1 }, { unknown: true }, 'fast']) {
    assert.throws(
      () => latency(options as never),
      (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG',
    );
  }
});
