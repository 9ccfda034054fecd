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
import { SyncWaterfallHook } from 'tapable';
import { do_not_optimize } from 'mitata';
import { STOP, waterfall } from '../../src/core/index.ts';
import { w0, w1, w2 } from '../exits.ts';
import { OPS, tick, type Bench } from '../harness.ts';
import { medians } from './rounds.ts';

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
    'per exit (today)',
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
const fall = new SyncWaterfallHook<[number, number]>(['v', 'b']);
fall.tap('w0', w0);
fall.tap('w1', w1);
fall.tap('w2', w2);

/** A site compiled from its own source, so no two share feedback. */
function site(name: string, h: object, method = 'fire'): Bench {
  const src = `"use strict";\n// ${name}\nreturn () => {\n  const base = (tick.i = (tick.i + OPS) & 0xfffff);\n  let acc = 0;\n  for (let i = base; i < base + OPS; i++) acc ^= h.${method}(i, 7);\n  keep(acc);\n};`;
  return { name, role: 'reference', ops: OPS, fn: new Function('h', 'tick', 'OPS', 'keep', src)(h, tick, OPS, do_not_optimize) as () => void };
}

const benches: Bench[] = [
  {
    name: 'hand-written calls',
    role: 'baseline',
    ops: OPS,
    fn: () => {
      const base = (tick.i = (tick.i + OPS) & 0xfffff);
      let acc = 0;
      for (let i = base; i < base + OPS; i++) {
        let v = i;
        v = w0(v, 7);
        v = w1(v, 7);
        v = w2(v, 7);
        acc ^= v;
      }
      do_not_optimize(acc);
    },
  },
  site('tapable SyncWaterfallHook', fall, 'call'),
  site('hookwire (args)', real),
  ...variants.map(([name, h]) => site(name, h)),
];

const figures = await medians(benches);
const base = figures.get('hand-written calls')!;
const tapable = figures.get('tapable SyncWaterfallHook')!;
for (const b of benches) {
  const m = figures.get(b.name)!;
  console.log(`${b.name.padEnd(36)} ${m.toFixed(2).padStart(7)} ns  ${(m / base).toFixed(3)}×  tapable ÷ it ${(tapable / m).toFixed(3)}×`);
}
