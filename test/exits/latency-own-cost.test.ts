// latency measures the probed function only: another exit's cost on the same site (a trace
// formatting its record, here a handler that busy-waits 5 ms) is in no duration, whatever the order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry } from '../../src/core/index.ts';
import { latency, trace, type TraceRecord } from '../../src/exits/index.ts';
import { probe, type ProbeHandlers } from '../../src/probe/index.ts';

const busy = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

/** A trace-like exit that is slow in every handler. */
const slow: ProbeHandlers = {
  onEnter: () => busy(5),
  onLeave: () => busy(5),
  onError: () => busy(5),
};

const targets = {
  // ~0 ms; a plain function (boosted wrapper), a class (generic wrapper).
  quick(a: number, b: number): number {
    return a + b;
  },
  Quick: class {
    v: number;
    constructor(a: number) {
      this.v = a;
    }
  },
};

for (const slowFirst of [true, false]) {
  for (const key of ['quick', 'Quick'] as const) {
    test(`latency of ${key} leaves out a slow exit's 5 ms (slow exit ${slowFirst ? 'first' : 'last'})`, () => {
      const registry = createRegistry();
      const l = latency();
      const obj = { ...targets };
      const attachSlow = () => probe(obj, key, slow, { registry, name: 'slow' });
      const attachLatency = () => probe(obj, key, l.forProbe(), { registry, name: 'latency' });
      const probes = slowFirst ? [attachSlow(), attachLatency()] : [attachLatency(), attachSlow()];
      try {
        for (let i = 0; i < 5; i++) {
          if (key === 'quick') assert.equal(obj.quick(i, 1), i + 1);
          else assert.equal(new obj.Quick(i).v, i);
        }
      } finally {
        for (const p of probes) p.remove();
      }
      const site = Object.values(l.report().sites)[0]!;
      assert.equal(site.count, 5);
      // Had the slow exit's 5 ms been counted, it would be in every sample: the fastest and the
      // median say so, where the slowest is at the mercy of a busy machine's scheduler.
      assert.ok(site.minMs !== null && site.minMs < 2.5, `min ${site.minMs} ms includes the slow exit's 5 ms`);
      assert.ok(site.p50Ms !== null && site.p50Ms < 2.5, `p50 ${site.p50Ms} ms includes the slow exit's 5 ms`);
    });
  }
}

test('an async target: latency runs until settlement and still leaves out the slow exit', async () => {
  const registry = createRegistry();
  const l = latency();
  const obj = {
    async wait(ms: number): Promise<number> {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return ms;
    },
  };
  const probes = [probe(obj, 'wait', slow, { registry, name: 'slow' }), probe(obj, 'wait', l.forProbe(), { registry, name: 'latency' })];
  try {
    assert.equal(await obj.wait(50), 50);
  } finally {
    for (const p of probes) p.remove();
  }
  const site = Object.values(l.report().sites)[0]!;
  assert.equal(site.count, 1);
  assert.equal(site.settled, 1);
  assert.ok(site.p50Ms !== null && site.p50Ms >= 40, `p50 ${site.p50Ms} ms covers the 50 ms timer`);
});

test("trace's durationMs leaves out its own work and another exit's 5 ms too", () => {
  const registry = createRegistry();
  const records: TraceRecord[] = [];
  const t = trace({ sink: { callback: (r) => records.push(r) } });
  const obj = { ...targets };
  // A large argument makes the trace's own summarising measurable.
  const big = Array.from({ length: 5000 }, (_, i) => ({ i, s: 'x'.repeat(20) }));
  const probes = [probe(obj, 'quick', t.forProbe(), { registry, name: 'trace' }), probe(obj, 'quick', slow, { registry, name: 'slow' })];
  try {
    for (let i = 0; i < 3; i++) assert.equal(obj.quick(i, 1), i + 1);
    (obj.quick as (...args: unknown[]) => unknown)(0, 1, big); // passed, so traced: summarised by the trace
  } finally {
    for (const p of probes) p.remove();
  }
  assert.equal(records.length, 4);
  for (const r of records) assert.ok(typeof r.durationMs === 'number' && r.durationMs < 2.5, `durationMs ${r.durationMs} includes the exits' work`);
});
