// Budgets of one attachment (src/exits/budget.ts): expiry after N hits or T seconds, sampling,
// a rate limit and an overhead share, each checked as a spec field and each ending as specified;
// through the control layer an expired probe is removed (the original back) and listed with why.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { createRegistry, hook, HookError } from '../../src/core/index.ts';
import { Attachments } from '../../src/control/attachments.ts';
import { exitCatalogue } from '../../src/control/catalogue.ts';
import { budgetOf } from '../../src/control/protocol.ts';
import { validateAttachRequest } from '../../src/control/requests.ts';
import { checkBudget, withBudget, type BudgetEnd } from '../../src/exits/budget.ts';
import { count, parseExitSpec, type Observer, type ProbeHandlers } from '../../src/exits/index.ts';
import { call, fakeClock } from './helpers.ts';

const require = createRequire(import.meta.url);
const lib = require('./fixtures/lib.cjs') as { add(a: number, b: number): number };
const isInvalid = (pattern: RegExp) => (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG' && pattern.test(e.message);

/** withBudget with a fake clock, and deferred actions run by hand. */
function budgeted(observer: Observer, budget: object, clock = fakeClock(), random?: () => number) {
  const deferred: (() => void)[] = [];
  const b = withBudget(observer, budget, { clock: clock.clock, defer: (fn) => deferred.push(fn), ...(random && { random }) });
  const ends: BudgetEnd[] = [];
  b.onEnd((end) => ends.push(end));
  return { b, ends, flush: () => deferred.splice(0).forEach((fn) => fn()) };
}

function countHits(o: Observer, site: string): number {
  return (o.report().sites[site] as { hits: number } | undefined)?.hits ?? 0;
}

test('a budget is checked field by field, as a spec field of every exit type', () => {
  assert.deepEqual(checkBudget({ hits: 10, overhead: 0.05, windowMs: 500 }), { hits: 10, overhead: 0.05, windowMs: 500 });
  assert.throws(() => checkBudget({}), isInvalid(/budget is empty/u));
  assert.throws(() => checkBudget([]), isInvalid(/must be an object/u));
  assert.throws(() => checkBudget({ hitz: 1 }), isInvalid(/unknown field "hitz" in budget \(allowed: hits, seconds/u));
  assert.throws(() => checkBudget({ hits: 0 }), isInvalid(/"hits" must be a whole number from 1/u));
  assert.throws(() => checkBudget({ hits: 1.5 }), isInvalid(/"hits" must be a whole number/u));
  assert.throws(() => checkBudget({ seconds: -1 }), isInvalid(/"seconds" must be a number of seconds above 0/u));
  assert.throws(() => checkBudget({ probability: 1.5 }), isInvalid(/"probability" must be a number above 0, at most 1/u));
  assert.throws(() => checkBudget({ overhead: 1 }), isInvalid(/"overhead" must be a share above 0 and below 1/u));
  assert.throws(() => checkBudget({ windowMs: 1000 }), isInvalid(/"windowMs" needs "overhead"/u));
  assert.throws(() => checkBudget({ every: 2, probability: 0.5 }), isInvalid(/"every" or "probability", not both/u));
  assert.throws(() => checkBudget({ ratePerSec: Number.NaN }), isInvalid(/"ratePerSec"/u));
  for (const type of ['trace', 'count', 'latency']) {
    assert.deepEqual(parseExitSpec({ type, budget: { hits: 5 } }), { type, budget: { hits: 5 } });
    assert.throws(() => parseExitSpec({ type, budget: { hits: -5 } }), isInvalid(new RegExp(`${type} spec "budget" "hits"`, 'u')));
  }
});

test('hits: the Nth hit is the last recorded, then the budget expires once', () => {
  const c = count();
  const { b, ends, flush } = budgeted(c, { hits: 3 });
  const fn = b.forHook(hook('budget:hits', { registry: createRegistry() }));
  for (let i = 0; i < 5; i++) fn(i);
  assert.equal(countHits(c, 'budget:hits'), 3);
  assert.deepEqual(ends, [], 'the action waits until the hit is over');
  flush();
  assert.deepEqual(ends, ['expired']);
  assert.deepEqual(b.budget, { state: 'expired', reason: 'expired after 3 hits', hits: 3, recorded: 3, skipped: 0, share: null });
  assert.deepEqual(budgetOf(b.report()), b.budget);
});

test('seconds: a hit after the deadline finds the budget expired', () => {
  const clock = fakeClock(1000);
  const c = count();
  const { b, ends, flush } = budgeted(c, { seconds: 2 }, clock);
  const handlers = b.forProbe();
  call(handlers, 'probe:s', [], { result: 1 });
  clock.advance(2500);
  call(handlers, 'probe:s', [], { result: 1 });
  flush();
  assert.equal(countHits(c, 'probe:s'), 1);
  assert.deepEqual(ends, ['expired']);
  assert.equal(b.budget.reason, 'expired after 2 s');
  b.close();
});

test('sampling: every Nth hit, or with a probability', () => {
  const c = count();
  const { b } = budgeted(c, { every: 3 });
  const handlers = b.forProbe();
  for (let i = 0; i < 9; i++) call(handlers, 'probe:e', [i], { result: i });
  assert.equal(countHits(c, 'probe:e'), 3);
  assert.equal(b.budget.recorded, 3);
  assert.equal(b.budget.skipped, 6);

  const p = count();
  const draws = [0.1, 0.9, 0.2, 0.8];
  const { b: bp } = budgeted(p, { probability: 0.5 }, fakeClock(), () => draws.shift() ?? 1);
  const fn = bp.forHook(hook('budget:p', { registry: createRegistry() }));
  for (let i = 0; i < 4; i++) fn();
  assert.equal(countHits(p, 'budget:p'), 2);
  assert.equal(bp.budget.state, 'active');
});

test('a hit held back at entry is not seen at leave or error either', () => {
  const seen: string[] = [];
  const handlers: ProbeHandlers = {
    onEnter: (ctx) => void seen.push(`enter ${String(ctx.args[0])}`),
    onLeave: (ctx) => void seen.push(`leave ${String(ctx.args[0])}`),
    onError: (ctx) => void seen.push(`error ${String(ctx.args[0])}`),
  };
  const inner: Observer = {
    type: 'count',
    forHook: () => () => {},
    forProbe: () => handlers,
    report: () => ({ type: 'count', faults: 0, sites: {} }),
    close() {},
  };
  const { b } = budgeted(inner, { every: 2 });
  const h = b.forProbe();
  call(h, 'probe:x', [1], { result: 1 });
  call(h, 'probe:x', [2], { error: new Error('x') });
  call(h, 'probe:x', [3], { error: new Error('x') });
  assert.deepEqual(seen, ['enter 1', 'leave 1', 'enter 3', 'error 3']);
});

test('rate limit: at most R hits per second, one second of burst', () => {
  const clock = fakeClock();
  const c = count();
  const { b } = budgeted(c, { ratePerSec: 2 }, clock);
  const fn = b.forHook(hook('budget:r', { registry: createRegistry() }));
  for (let i = 0; i < 5; i++) fn();
  assert.equal(countHits(c, 'budget:r'), 2);
  clock.advance(500);
  for (let i = 0; i < 5; i++) fn();
  assert.equal(countHits(c, 'budget:r'), 3);
  clock.advance(10_000);
  for (let i = 0; i < 5; i++) fn();
  assert.equal(countHits(c, 'budget:r'), 5, 'the bucket holds one second of hits, not ten');
  assert.deepEqual([b.budget.recorded, b.budget.skipped, b.budget.state], [5, 10, 'active']);
});

test('overhead: an exit whose own time exceeds its share of the window is disarmed, with the reason', () => {
  const clock = fakeClock();
  let cost = 1;
  const inner: Observer = {
    type: 'count',
    forHook: () => () => clock.advance(cost),
    forProbe: () => ({ onEnter() {}, onLeave: () => undefined, onError: () => undefined }),
    report: () => ({ type: 'count', faults: 0, sites: {} }),
    close() {},
  };
  const { b, ends, flush } = budgeted(inner, { overhead: 0.1, windowMs: 1000 }, clock);
  const fn = b.forHook(hook('budget:o', { registry: createRegistry() }));
  // 1 ms of own time every 20 ms: 5%, under 10%, over three windows.
  for (let i = 0; i < 150; i++) {
    fn();
    clock.advance(19);
  }
  flush();
  assert.equal(b.budget.state, 'active');
  assert.ok(b.budget.share !== null && Math.abs(b.budget.share - 0.05) < 0.01, String(b.budget.share));
  // Now 5 ms each: 25%, disarmed within the window.
  cost = 5;
  for (let i = 0; i < 150; i++) {
    fn();
    clock.advance(15);
  }
  flush();
  assert.deepEqual(ends, ['disarmed']);
  assert.equal(b.budget.state, 'disarmed');
  assert.match(b.budget.reason ?? '', /^own time \d+\.\d% of \d+ ms > 10\.0% \(overhead budget\)$/u);
  const hitsAtEnd = b.budget.hits;
  fn();
  assert.equal(b.budget.hits, hitsAtEnd, 'nothing reaches a disarmed budget');
});

test('through the control layer: an expired probe is removed, the original restored, and listed with the reason', async () => {
  const original = lib.add;
  const registry = createRegistry();
  const attachments = new Attachments(registry, exitCatalogue(registry), () => {});
  attachments.attach(validateAttachRequest({ target: './test/exits/fixtures/lib.cjs#add', exit: { type: 'count', budget: { hits: 2 } }, name: 'two' }));
  assert.notEqual(lib.add, original);
  assert.equal(lib.add(1, 2), 3);
  assert.equal(lib.add(2, 2), 4);
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(lib.add, original, 'the probe is gone, the original back');
  const [info] = attachments.list();
  assert.equal(info?.status, 'removed');
  assert.deepEqual(budgetOf(info?.report), { state: 'expired', reason: 'expired after 2 hits', hits: 2, recorded: 2, skipped: 0, share: null });
  attachments.remove({ name: 'two' });
  assert.deepEqual(attachments.list(), []);

  // On a declared hook: the exit is deregistered; removing the attachment afterwards is fine.
  const h = hook<[number]>('budget:ctl', { registry });
  attachments.attach(validateAttachRequest({ target: 'budget:ctl', exit: { type: 'count', budget: { hits: 1 } }, name: 'one' }));
  h.fire(1);
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(h.exits.length, 0);
  assert.equal(budgetOf(attachments.list()[0]?.report)?.state, 'expired');
  attachments.remove({ name: 'one' });
});
