// The probe reads the clock right around the original call and gives every probe of the call the
// same stamps, when a probe says it reads them (`timed: true`); otherwise no clock is read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { probe, type ProbeContext } from '../../src/probe/index.ts';
import { freshRegistry } from './harness.ts';

const targets = {
  'a method (boosted)': () => ({
    f(a: number): number {
      return a;
    },
  }),
  'a bound function (generic)': () => ({ f: ((a: number): number => a).bind(null) }),
};

for (const [what, make] of Object.entries(targets)) {
  test(`${what}: every probe of a call gets the same stamps, taken around the original`, () => {
    const obj = make();
    const reg = freshRegistry();
    const seen: ProbeContext[] = [];
    const record = { timed: true, onLeave: (ctx: ProbeContext) => void seen.push(ctx) };
    const ps = [probe(obj, 'f', record, { registry: reg }), probe(obj, 'f', record, { registry: reg })];
    const before = performance.now();
    try {
      assert.equal(obj.f(1), 1);
    } finally {
      for (const p of ps) p.remove();
    }
    const after = performance.now();
    assert.equal(seen.length, 2);
    const [a, b] = seen as [ProbeContext, ProbeContext];
    assert.ok(before <= a.startMs && a.startMs <= a.endMs && a.endMs <= after, `${a.startMs}..${a.endMs}`);
    assert.equal(b.startMs, a.startMs);
    assert.equal(b.endMs, a.endMs);
    assert.equal(a.settled, false);
  });

  test(`${what}: untimed probes leave the stamps unset (no clock read)`, () => {
    const obj = make();
    const seen: ProbeContext[] = [];
    const p = probe(obj, 'f', { onLeave: (ctx) => void seen.push(ctx) }, { registry: freshRegistry() });
    try {
      assert.equal(obj.f(3), 3);
    } finally {
      p.remove();
    }
    assert.ok(Number.isNaN(seen[0]!.startMs) && Number.isNaN(seen[0]!.endMs));
  });

  test(`${what}: enter-only probes leave the stamps unset`, () => {
    const obj = make();
    const seen: ProbeContext[] = [];
    const p = probe(obj, 'f', { onEnter: (ctx) => void seen.push(ctx) }, { registry: freshRegistry() });
    try {
      assert.equal(obj.f(2), 2);
    } finally {
      p.remove();
    }
    assert.ok(Number.isNaN(seen[0]!.startMs) && Number.isNaN(seen[0]!.endMs));
  });
}

test('an async target: endMs is its settlement, and settled says so', async () => {
  const obj = {
    async f(ms: number): Promise<number> {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return ms;
    },
  };
  const seen: ProbeContext[] = [];
  const p = probe(obj, 'f', { timed: true, onLeave: (ctx) => void seen.push(ctx) }, { registry: freshRegistry() });
  try {
    assert.equal(await obj.f(50), 50);
  } finally {
    p.remove();
  }
  assert.equal(seen[0]!.settled, true);
  assert.ok(seen[0]!.endMs - seen[0]!.startMs >= 40, `${seen[0]!.endMs - seen[0]!.startMs} ms covers the 50 ms timer`);
});

test('timed must be a boolean: anything else is ERR_INVALID_ARG, and nothing is probed', () => {
  const obj = { f: (a: number): number => a };
  const original = obj.f;
  assert.throws(() => probe(obj, 'f', { timed: 'yes' as unknown as boolean, onLeave() {} }, { registry: freshRegistry() }), {
    code: 'ERR_INVALID_ARG',
  });
  assert.equal(obj.f, original);
});
