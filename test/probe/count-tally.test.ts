// The count exit on a probe is counted by the wrapper itself (src/probe/tally.ts), not by running
// its handlers: the counts must be exactly what the handlers counted, on every path (a throw, an
// onEnter override of another probe, an earlier probe's recovery, a rejection, a stack overflow),
// and a missed call is missed, not counted. Each case runs on the boosted wrapper (compiled or
// closure, by the runner's mode) and on the generic one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeGenerationEnabled } from '../../src/core/index.ts';
import { withBudget } from '../../src/exits/budget.ts';
import { count, type CountSiteReport } from '../../src/exits/index.ts';
import { probe, type Probe } from '../../src/probe/index.ts';
import { freshRegistry } from './harness.ts';

const siteOf = (c: ReturnType<typeof count>, p: Probe): CountSiteReport | undefined => c.report().sites[p.hook];

function target() {
  return {
    fn(a: number, b: number): number {
      if (b < 0) throw new RangeError(`negative ${b}`);
      return a + b;
    },
  };
}

for (const boost of [true, false]) {
  const how = boost ? 'boosted' : 'generic';

  test(`count: every call is a hit and every throw an error, results and errors untouched (${how})`, () => {
    const c = count();
    const obj = target();
    const p = probe(obj, 'fn', c.forProbe(), { registry: freshRegistry(), boost });
    let thrown = 0;
    for (let i = 0; i < 50; i++) {
      if (i % 5 === 4) {
        assert.throws(() => obj.fn(i, -i), { name: 'RangeError', message: `negative ${-i}` });
        thrown++;
      } else assert.equal(obj.fn(i, 1), i + 1);
    }
    // Fewer and more arguments than declared reach the original as passed.
    assert.equal(obj.fn(1, 2, ...([3] as unknown as [])), 3);
    assert.ok(Number.isNaN(obj.fn(1, ...([] as unknown as [number]))));
    assert.deepEqual(siteOf(c, p), { hits: 52, errors: thrown, faults: 0 });
    assert.deepEqual(p.stats, { hits: 52, faults: 0, missed: 0 });
    p.remove();
    obj.fn(1, 1);
    assert.equal(siteOf(c, p)?.hits, 52, 'nothing counted after removal');
  });

  test(`count: a call made while another probe's handler runs is missed, not counted (${how})`, () => {
    const reg = freshRegistry();
    const c = count();
    const obj = target();
    const other = { g: (x: number) => x };
    const p = probe(obj, 'fn', c.forProbe(), { registry: reg, boost });
    const q = probe(other, 'g', { onEnter: () => void obj.fn(1, 1) }, { registry: reg, boost });
    other.g(1);
    other.g(2);
    obj.fn(0, 0);
    assert.deepEqual(siteOf(c, p), { hits: 1, errors: 0, faults: 0 });
    assert.deepEqual(p.stats, { hits: 1, faults: 0, missed: 2 });
    p.remove();
    q.remove();
  });

  test(`count: another probe's onEnter override is a hit, and an { error } override an error (${how})`, () => {
    const reg = freshRegistry();
    const c = count();
    const obj = target();
    let mode: 'value' | 'error' | 'none' = 'none';
    const q = probe(
      obj,
      'fn',
      {
        onEnter() {
          if (mode === 'value') return { value: 42 };
          if (mode === 'error') return { error: new TypeError('injected') };
          return undefined;
        },
      },
      { registry: reg, boost, order: 'first' },
    );
    const p = probe(obj, 'fn', c.forProbe(), { registry: reg, boost });
    mode = 'value';
    assert.equal(obj.fn(1, -1), 42);
    mode = 'error';
    assert.throws(() => obj.fn(1, 1), { name: 'TypeError', message: 'injected' });
    mode = 'none';
    assert.throws(() => obj.fn(1, -1), RangeError);
    assert.deepEqual(siteOf(c, p), { hits: 3, errors: 2, faults: 0 });
    p.remove();
    q.remove();
  });

  test(`count: an error an earlier probe recovers is not counted; a later one's recovery does not hide it (${how})`, () => {
    for (const recoverFirst of [true, false]) {
      const reg = freshRegistry();
      const c = count();
      const obj = target();
      const p = probe(obj, 'fn', c.forProbe(), { registry: reg, boost, order: recoverFirst ? 'last' : 'first' });
      const q = probe(obj, 'fn', { onError: () => ({ value: -1 }) }, { registry: reg, boost, order: recoverFirst ? 'first' : 'last' });
      assert.equal(obj.fn(1, -1), -1);
      assert.equal(obj.fn(1, 1), 2);
      assert.deepEqual(siteOf(c, p), { hits: 2, errors: recoverFirst ? 0 : 1, faults: 0 }, `recovering probe ${recoverFirst ? 'first' : 'last'}`);
      p.remove();
      q.remove();
    }
  });

  test(`count: an async function's rejections and a generator's throws are errors (${how})`, async () => {
    const reg = freshRegistry();
    const c = count();
    const obj = {
      async af(x: number): Promise<number> {
        await null;
        if (x < 0) throw new RangeError('async');
        return x;
      },
      *gen(x: number): Generator<number> {
        yield x;
        if (x < 0) throw new RangeError('gen');
      },
    };
    const pa = probe(obj, 'af', c.forProbe(), { registry: reg, boost });
    const pg = probe(obj, 'gen', c.forProbe(), { registry: reg, boost });
    assert.equal(await obj.af(1), 1);
    await assert.rejects(obj.af(-1), { message: 'async' });
    assert.deepEqual([...obj.gen(1)], [1]);
    assert.throws(() => [...obj.gen(-1)], { message: 'gen' });
    assert.deepEqual(siteOf(c, pa), { hits: 2, errors: 1, faults: 0 });
    assert.deepEqual(siteOf(c, pg), { hits: 2, errors: 1, faults: 0 });
    pa.remove();
    pg.remove();
  });

  test(`count: a recursion that overflows the stack counts every level it entered as an error (${how})`, () => {
    const c = count();
    const obj = {
      rec(n: number): number {
        return n === 0 ? 0 : 1 + obj.rec(n - 1);
      },
    };
    const p = probe(obj, 'rec', c.forProbe(), { registry: freshRegistry(), boost });
    assert.throws(() => obj.rec(1e7), RangeError);
    const site = siteOf(c, p)!;
    assert.ok(site.hits > 100);
    // Every level entered threw (the RangeError passed through all of them): exact on the throw path.
    assert.equal(site.errors, site.hits);
    assert.deepEqual(p.stats, { hits: site.hits, faults: 0, missed: 0 });
    assert.equal(obj.rec(10), 10, 'the probe still counts after the overflow');
    assert.equal(siteOf(c, p)!.hits, site.hits + 11);
    assert.equal(siteOf(c, p)!.errors, site.errors);
    p.remove();
  });

  test(`count: class constructors, constructed, subclassed and called without new (${how})`, () => {
    const c = count();
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {
        if (x < 0) throw new RangeError('x');
      }
    }
    const h: Record<string, any> = { Point };
    const p = probe(h, 'Point', c.forProbe(), { registry: freshRegistry(), boost });
    assert.equal(new h['Point'](1, 2).y, 2);
    assert.throws(() => new h['Point'](-1, 2), RangeError);
    class Sub extends (h['Point'] as typeof Point) {}
    assert.ok(new Sub(3, 4) instanceof Sub);
    assert.throws(() => (h['Point'] as (a: number, b: number) => unknown)(1, 2), TypeError);
    assert.deepEqual(siteOf(c, p), { hits: 4, errors: 2, faults: 0 });
    p.remove();
  });
}

test('count: the compiled wrapper counts inline and calls no handler', { skip: !codeGenerationEnabled() && 'compiled mode only' }, () => {
  const obj = target();
  const p = probe(obj, 'fn', count().forProbe(), { registry: freshRegistry() });
  const src = p.source();
  assert.match(src, /k0\.hits\+\+/);
  assert.match(src, /k0\.errors\+\+/);
  assert.doesNotMatch(src, /\bn0\.call|\bl0\.call|Ctx\(/);
  p.remove();
});

test('count: a budget-wrapped count (sampling every 2nd hit) still counts through its handlers', () => {
  const c = withBudget(count(), { every: 2 }, { defer: () => {} });
  const obj = target();
  const p = probe(obj, 'fn', c.forProbe(), { registry: freshRegistry() });
  for (let i = 0; i < 10; i++) {
    if (i === 2) assert.throws(() => obj.fn(i, -1), RangeError);
    else obj.fn(i, 1);
  }
  assert.deepEqual((c.report() as { sites: Record<string, CountSiteReport> }).sites[p.hook], { hits: 5, errors: 1, faults: 0 });
  assert.equal(p.stats.hits, 10);
  p.remove();
});
