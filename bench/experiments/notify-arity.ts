/**
 * Experiment (not a case; run with `node --expose-gc --import tsx bench/experiments/notify-arity.ts`):
 * what the learnt-arity test and the exact counts cost a notify hook with 10 exits (issue 8: on
 * Node 24, `npm run bench -- notify-10` read 1.05× the hand-written calls without `args` and 0.97×
 * with, and tapable ÷ hookwire without `args` 0.96×). The prototypes are the dispatcher codegen.ts
 * writes for 10 counted notify exits with fixed parameters `a0, a1`, varying the first line (the
 * arity test and what its mismatch branch does) or the body (without the per-exit `try`s that keep
 * the counts exact when an exit throws, without the count). Each site is compiled from its own
 * source, so no two share feedback; compare rows of one run.
 *
 * What it showed (2026-12-02, 2-core AMD EPYC; ns per fire, median of 5 rounds; the hand-written
 * row is the notify-10 case's own baseline, its module-level site):
 * - Node 24.22 (two runs): hand-written 10.15-10.25, tapable 9.61, hookwire with `args` 10.0-10.3,
 *   without 10.3-10.4; the prototype with no test 9.9-10.2, with the test and a bare `return`
 *   10.15-10.4, with `slow(...arguments)` (what codegen.ts writes) 10.4-10.45, with `slow` behind a
 *   Proxy (never inlined into the dispatcher) 10.3-10.5. So the test costs 0.1-0.3 ns whatever its
 *   branch holds; it is not V8 inlining `slow` into the dispatcher. Without the per-exit `try`s
 *   9.5-9.55, without the count too the same: tapable's speed; the `try`s are ~0.6 ns of it.
 * - Node 20.20 (three runs, two of them before the baseline was the case's): hookwire with or
 *   without `args` and every test variant within 1% of one another (9.8 ns in the last run),
 *   tapable 8.3, without the `try`s 7.95-8.0: in its own site tapable's lead is the `try`s (~1.8 ns).
 * - Node 22.23: every hookwire row and prototype 10.2-10.4, tapable 10.1, without the `try`s 9.7.
 * - The `try`s' cost depends on the exits: in a plain loop (no mitata, no harness) where the exits
 *   write one shared object, as these do, the `try`s cost ~0.4 ns of ~10.5 (Node 20 and 24); where
 *   each exit writes its own object, nothing (10.5 either way). Where they cost, it is a store the
 *   next exit's load cannot be forwarded from across the `try`'s exception edge, a guess this file
 *   does not prove. The counts stay exact, so the `try`s stay: one `try` around all the exits with
 *   the position in a variable measured 1.13× these (docs/benchmarks.md).
 */
import { do_not_optimize } from 'mitata';
import { SyncHook } from 'tapable';
import { hook, STOP } from '../../src/core/index.ts';
import { keep, X } from '../exits.ts';
import { OPS, tick, type Bench } from '../harness.ts';
import { cases } from '../notify.bench.ts';
import { medians } from './rounds.ts';

type Fire = (a: number, b: number) => void;

const EXITS = 10;
const BODY = Array.from({ length: EXITS }, (_, i) =>
  i === EXITS - 1 ? `e${i}(a0, a1);` : `try { if (e${i}(a0, a1) === STOP) { count.end(${i}); return; } } catch (error) { count.end(${i}); throw error; }`,
);

/** Bodies without the exact-count machinery, for comparison only: what tapable's `call` does. */
const PLAIN = Array.from({ length: EXITS }, (_, i) => `e${i}(a0, a1);`);

function build(label: string, test: string | null, slow: (...args: unknown[]) => unknown, body = ['count.n++;', ...BODY]): { fire: Fire } {
  const src = [
    '"use strict";',
    `// ${label}`,
    'return function fire(a0, a1) {',
    ...(test === null ? [] : [`  ${test}`]),
    ...body.map((l) => `  ${l}`),
    '};',
  ].join('\n');
  const count = {
    n: 0,
    end(k: number) {
      this.n += k - EXITS + 1;
    },
  };
  const params = ['STOP', 'slow', 'count', ...X.slice(0, EXITS).map((_, i) => `e${i}`)];
  const fire = new Function(...params, src)(STOP, slow, count, ...X.slice(0, EXITS)) as Fire;
  return Object.create({ fire }, {}) as { fire: Fire };
}

const slowPlain = (...args: unknown[]): unknown => args.length; // never called here
/** The same function behind a Proxy: a call through it is never inlined into the dispatcher. */
const slowProxied = new Proxy(slowPlain, {});

const variants: Array<[string, { fire: Fire }]> = [
  ['no test (args)', build('no test', null, slowPlain)],
  ['test, return', build('return', 'if (arguments.length !== 2) return;', slowPlain)],
  ['test, slow(...arguments)', build('spread', 'if (arguments.length !== 2) return slow(...arguments);', slowPlain)],
  ['test, proxied slow(...arguments)', build('proxied', 'if (arguments.length !== 2) return slow(...arguments);', slowProxied)],
  ['no test, count, no trys', build('count only', null, slowPlain, ['count.n++;', ...PLAIN])],
  ['no test, no count, no trys', build('calls only', null, slowPlain, PLAIN)],
];

const realArgs = hook<[a: number, b: number]>('experiment:notify-args', { args: ['a', 'b'] });
const realRest = hook<[a: number, b: number]>('experiment:notify-rest');
for (const h of [realArgs, realRest]) for (const fn of X.slice(0, EXITS)) h.register(fn, { armed: true });
const tapable = new SyncHook<[number, number]>(['a', 'b']);
X.slice(0, EXITS).forEach((fn, i) => tapable.tap(`x${i}`, fn));

function ownSite(name: string, h: object, method = 'fire'): Bench {
  const src = `"use strict";\n// ${name}\nreturn () => {\n  const base = (tick.i = (tick.i + OPS) & 0xfffff);\n  for (let i = base; i < base + OPS; i++) h.${method}(i, 7);\n  keep();\n};`;
  return { name, role: 'reference', ops: OPS, fn: new Function('h', 'tick', 'OPS', 'keep', src)(h, tick, OPS, keep) as () => void };
}

/** The notify-10 case's own baseline (bench/notify.bench.ts): the 10 exits called at the site. */
const handWritten: Bench = baselineOf('notify-10');

function baselineOf(id: string): Bench {
  const c = cases.find((k) => k.id === id);
  const bench = c?.kind === 'time' ? c.benches.find((b) => b.role === 'baseline') : undefined;
  if (bench === undefined) throw new Error(`${id} has no timed baseline`);
  return bench;
}
const benches: Bench[] = [
  handWritten,
  ownSite('tapable SyncHook', tapable, 'call'),
  ownSite('hookwire (args)', realArgs),
  ownSite('hookwire (rest)', realRest),
  ...variants.map(([name, h]) => ownSite(name, h)),
];

const figures = await medians(benches);
const base = figures.get(handWritten.name)!;
const tap = figures.get('tapable SyncHook')!;
for (const b of benches) {
  const m = figures.get(b.name)!;
  console.log(`${b.name.padEnd(36)} ${m.toFixed(2).padStart(7)} ns  ${(m / base).toFixed(3)}×  tapable ÷ it ${(tap / m).toFixed(3)}×`);
}
do_not_optimize(slowProxied);
