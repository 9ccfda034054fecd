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
 */
import { STOP, waterfall } from '../../src/core/index.ts';
import { w0, w1, w2 } from '../exits.ts';
import type { Bench } from '../harness.ts';
import { medians } from './rounds.ts';
import { handWritten, ownSite, report, tapableWaterfall } from './waterfall-sites.ts';

type Fire = (v: number, b: number) => number;
const N = 3;

function build(label: string, body: string[], count: unknown): { fire: Fire } {
  const src = ['"use strict";', `// ${label}`, 'return function fire(a0, a1) {', '  let r;', ...body.map((l) => `  ${l}`), '  return a0;', '};'].join(
    '\n',
  );
  const stats = [0, 1, 2].map(() => ({ hits: 0, faults: 0 }));
  const fire = new Function('STOP', 'e0', 'e1', 'e2', 's0', 's1', 's2', 'count', src)(STOP, w0, w1, w2, ...stats, count) as Fire;
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

const variants: Array<[string, { fire: Fire }]> = [
  [
    'per exit (as it was)',
    build(
      'per exit',
      [0, 1, 2].flatMap((i) => [`s${i}.hits++;`, `r = e${i}(a0, a1);`, thread]),
      null,
    ),
  ],
  [
    'per dispatch, try per exit',
    build(
      'per dispatch',
      [
        'count.n++;',
        ...[0, 1, 2].flatMap((i) => [
          i < N - 1 ? `try { r = e${i}(a0, a1); } catch (error) { count.end(${i}); throw error; }` : `r = e${i}(a0, a1);`,
          threadCounted(i),
        ]),
      ],
      new Count(),
    ),
  ],
  [
    'per dispatch, not exact on a throw',
    build('no try', ['count.n++;', ...[0, 1, 2].flatMap((i) => [`r = e${i}(a0, a1);`, threadCounted(i)])], new Count()),
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
