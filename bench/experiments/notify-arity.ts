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
 * What it showed (2026-12-02, 2-core AMD EPYC; ns per fire, median of 5 rounds, runs agreed):
 * - Node 24.22 (four runs): hand-written 10.6-10.8, tapable 10.1-10.4, hookwire with `args`
 *   10.6-10.8, without 10.8-11.2; the prototype with no test 10.5-10.9, with the test and a bare
 *   `return` 10.7-11.0, with `slow(...arguments)` (what codegen.ts writes) 10.8-11.1, with `slow`
 *   behind a Proxy (never inlined into the dispatcher) the same. So the test itself costs 0.1-0.3 ns
 *   here whatever its branch holds; it is not V8 inlining `slow` into the dispatcher. Without the
 *   `try`s 10.15, without the count too 10.10: tapable's speed, the `try`s ~0.7 ns of it.
 * - Node 20.20 (four runs): hand-written 10.9-11.2, tapable 8.9-9.0, hookwire 10.5-10.9 with or
 *   without `args`, every test variant the same; without the `try`s 8.6-8.7, without the count too
 *   8.5-8.7. In this harness the per-exit `try`s are the whole of tapable's lead (~2 ns).
 * - Node 22.23 (two runs, the second on a busy machine): 11.0-11.1 for every hookwire row and
 *   prototype, tapable 10.8, hand-written 11.2.
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
import { keep, X, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9 } from '../exits.ts';
import { OPS, tick, type Bench } from '../harness.ts';
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

const handWritten: Bench = {
  name: 'hand-written calls',
  role: 'baseline',
  ops: OPS,
  fn: () => {
    const base = (tick.i = (tick.i + OPS) & 0xfffff);
    for (let i = base; i < base + OPS; i++) {
      x0(i, 7);
      x1(i, 7);
      x2(i, 7);
      x3(i, 7);
      x4(i, 7);
      x5(i, 7);
      x6(i, 7);
      x7(i, 7);
      x8(i, 7);
      x9(i, 7);
    }
    keep();
  },
};
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
