/**
 * Experiment (not a case; run with `node --expose-gc --import tsx bench/experiments/waterfall-count.ts`):
 * a synchronous waterfall counted once per dispatch, as a synchronous notify hook is (hit-counts.ts),
 * instead of once per exit (issue 8: tapable ÷ hookwire ≥ 1.0 at bench/waterfall.bench.ts). The
 * prototypes are built as codegen.ts builds a waterfall dispatcher with 3 exits and fixed
 * parameters, varying only the counting; each site is compiled from its own source.
 *
 * What it showed (2026-12-01, quiet 2-core AMD EPYC, Node 20, three runs), ns per fire: hand-written
 * 2.00-2.05, tapable 2.00-2.06 (sites made like these read it faster than the case's module-level
 * ones do); one count per exit (hookwire until then) 1.73-1.82; one count per dispatch with a `try`
 * per exit but the last 1.36-1.39, without the `try`s (not exact on a throw) 1.36; no counts
 * 1.11-1.14. Adopted: codegen.ts and closures.ts count a synchronous waterfall once per dispatch,
 * and the row hookwire (args), run after the change, reads 1.36 like the prototype. Through the case
 * (`bench/run.ts --file waterfall.bench.ts --case waterfall`, 4 processes): hand-written 1.95-1.99,
 * hookwire with `args` 1.94-1.99, without 2.16-2.23 (2.80-2.87 before), tapable 2.79-2.92.
 *
 * 2026-12-02, Node 22.23 and 24.22 (the binaries .ci/run caches, this file run by each, two to four
 * runs on each; ns per fire), where tapable ÷ hookwire reads 0.85x in the case: tapable
 * 1.15-1.50, no counts 1.18-1.42, one count per dispatch 1.38-1.88. There V8 compiles `count.n++`
 * to a load, five ALU operations (untag, zero-extend, add, sign-extend, retag) and a store, and
 * each fire's load waits on the last fire's store: that chain is longer than a whole tapable fire.
 * Two ways to shorten it, tried and not kept: counting on the way out (after the exits, on every
 * return and throw) 1.43-1.97, no better; an Int32Array over an ArrayBuffer of its own (one add on
 * the chain, a carry word past 2^32) 1.34-1.93: 0.03-0.04 ns better on 22 in all three runs, worse
 * on 24 in both (on Node 20, worse than the Smi field once any buffer was detached: hit-counter.ts).
 */
import { STOP, waterfall } from '../../src/core/index.ts';
import { w0, w1, w2 } from '../exits.ts';
import type { Bench } from '../harness.ts';
import { medians } from './rounds.ts';
import { handWritten, ownSite, report, tapableWaterfall } from './waterfall-sites.ts';

type Fire = (v: number, b: number) => number;
const N = 3;

function build(label: string, body: string[], count: unknown): { fire: Fire } {
  const c = new Int32Array(new ArrayBuffer(8));
  const src = ['"use strict";', `// ${label}`, 'return function fire(a0, a1) {', '  let r;', ...body.map((l) => `  ${l}`), '  return a0;', '};'].join(
    '\n',
  );
  const stats = [0, 1, 2].map(() => ({ hits: 0, faults: 0 }));
  const fire = new Function('STOP', 'e0', 'e1', 'e2', 's0', 's1', 's2', 'count', 'c', src)(STOP, w0, w1, w2, ...stats, count, c) as Fire;
  return Object.create({ fire }, {}) as { fire: Fire };
}

const thread = 'if (r !== undefined) { if (r === STOP) return a0; a0 = r; }';
const threadCounted = (i: number): string => `if (r !== undefined) { if (r === STOP) { count.end(${i}); return a0; } a0 = r; }`;
class Count {
  n = 0;
  ended: number[] | null = null;
  end(k: number): void {
    (this.ended ??= new Array<number>(N).fill(0))[k]!++;
  }
}

/** Counted once per dispatch by `count` (one statement), with a `try` per exit but the last, as codegen.ts does. */
function perDispatch(label: string, count: string): { fire: Fire } {
  const exits = [0, 1, 2].flatMap((i) => [
    i < N - 1 ? `try { r = e${i}(a0, a1); } catch (error) { count.end(${i}); throw error; }` : `r = e${i}(a0, a1);`,
    threadCounted(i),
  ]);
  return build(label, [count, ...exits], new Count());
}

const variants: Array<[string, { fire: Fire }]> = [
  [
    'per exit (as it was)',
    build(
      'per exit',
      [0, 1, 2].flatMap((i) => [`s${i}.hits++;`, `r = e${i}(a0, a1);`, thread]),
      null,
    ),
  ],
  ['per dispatch, try per exit', perDispatch('per dispatch', 'count.n++;')],
  [
    'per dispatch, not exact on a throw',
    build('no try', ['count.n++;', ...[0, 1, 2].flatMap((i) => [`r = e${i}(a0, a1);`, threadCounted(i)])], new Count()),
  ],
  [
    // The count written once the dispatch is over, on every way out, so that no fire's count
    // has to wait for the last one's store (issue 8, Node 22 and 24).
    'per dispatch, counted on the way out',
    build(
      'on the way out',
      [
        ...[0, 1, 2].flatMap((i) => [
          i < N - 1
            ? `try { r = e${i}(a0, a1); } catch (error) { count.n++; count.end(${i}); throw error; }`
            : `try { r = e${i}(a0, a1); } catch (error) { count.n++; throw error; }`,
          `if (r !== undefined) { if (r === STOP) { count.n++; ${i < N - 1 ? `count.end(${i}); ` : ''}return a0; } a0 = r; }`,
        ]),
        'count.n++;',
      ],
      new Count(),
    ),
  ],
  [
    // One ALU operation on the chain from one fire's count to the next (the Smi field takes five:
    // untag, add, sign-extend, retag); exact past 2^32 through the carry word.
    'per dispatch, Int32Array off-heap',
    perDispatch('int32 count', 'if ((c[0] = (c[0] + 1) | 0) === 0) c[1]++;'),
  ],
  [
    'no counts',
    build(
      'no counts',
      [0, 1, 2].flatMap((i) => [`r = e${i}(a0, a1);`, thread]),
      null,
    ),
  ],
];

const real = waterfall<[v: number, b: number]>('experiment:waterfall-count', { args: ['v', 'b'] });
for (const fn of [w0, w1, w2]) real.register(fn, { armed: true });
const benches: Bench[] = [
  handWritten,
  ownSite('tapable SyncWaterfallHook', tapableWaterfall, 'call'),
  ownSite('hookwire (args)', real),
  ...variants.map(([name, h]) => ownSite(name, h)),
];

report(benches, await medians(benches), 'tapable SyncWaterfallHook');
