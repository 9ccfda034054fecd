/**
 * Experiment (not a case; run with `node --expose-gc --import tsx bench/experiments/waterfall-arity.ts`):
 * what the learnt-arity test costs a waterfall declared without `args` (issue 8: tapable ÷ hookwire
 * ≥ 1.0 at bench/waterfall.bench.ts, which read ~1.0 without `args` and 1.17× with, before
 * waterfalls were counted once a dispatch: waterfall-count.ts). The prototypes are built as
 * codegen.ts built a learnt-arity waterfall dispatcher with 3 exits then (one count per exit),
 * varying only the first line. Each site is compiled from its own source, so no two share feedback;
 * such sites read faster than the case's module-level ones (hookwire with `args`: 1.77-2.02 ns here,
 * 2.37-2.52 there), so compare rows of one run, not figures across files.
 *
 * What it showed (2026-12-01, 2-core AMD EPYC, Node 20; ns per fire, two quiet runs; the machine
 * was loaded in three more, whose order agreed). The variants were also swapped into codegen.ts one
 * at a time and timed by `bench/run.ts --file waterfall.bench.ts --case waterfall`, with the same
 * result (hookwire rest 2.80-2.87 ns with the spread, 2.37-2.39 with `return a0`, args 2.37-2.52).
 * - hand-written 2.02, tapable 2.81-2.85; no test (what `args` gives) 1.75-1.77;
 * - the test with `return a0` or `return null` on a mismatch: 1.73-1.84, free;
 * - the test with any call on the mismatch branch: `slow(...arguments)` (what codegen.ts writes)
 *   2.27-2.29, `slow.apply(undefined, arguments)`, `slow()` with no arguments, `throw`, a method of
 *   a constant object or a keyed load with no feedback, a rest parameter for the extra arguments:
 *   2.22-2.29 each; all parameters as one rest array: 2.54-2.63.
 * So neither the spread nor the arguments object costs: the branch is not folded away at this site
 * (`arguments.length` is not a constant there), and any operation on it that can call or deoptimise
 * costs ~0.5 ns in the site's loop, where a branch without one costs nothing. No exact fallback
 * needs no call, so codegen.ts keeps the spread. A notify site ignores the result and pays nothing.
 * The real hooks (rows hookwire args and rest, added later) read 1.77-2.02 and 2.39-2.73 ns
 * then; they count once a dispatch now, so they read below these prototypes.
 */
import { do_not_optimize } from 'mitata';
import { STOP, waterfall } from '../../src/core/index.ts';
import { w0, w1, w2 } from '../exits.ts';
import { OPS, tick, type Bench } from '../harness.ts';
import { medians } from './rounds.ts';
import { handWritten, ownSite, report, tapableWaterfall } from './waterfall-sites.ts';

type Fire = (v: number, b: number) => number;

/** The body codegen.ts writes for 3 waterfall exits with fixed parameters `a0, a1`. */
const BODY = [0, 1, 2].flatMap((i) => [`s${i}.hits++;`, `r = e${i}(a0, a1);`, 'if (r !== undefined) { if (r === STOP) return a0; a0 = r; }']);

function build(label: string, before: string[], test: string | null, params = 'a0, a1'): { fire: Fire } {
  const slow = (a0: unknown, ...rest: unknown[]): unknown => [a0, rest]; // never called here
  const src = [
    '"use strict";',
    `// ${label}`,
    ...before,
    `return function fire(${params}) {`,
    ...(test === null ? [] : [`  ${test}`]),
    '  let r;',
    ...BODY.map((l) => `  ${l}`),
    '  return a0;',
    '};',
  ].join('\n');
  const stats = [0, 1, 2].map(() => ({ hits: 0, faults: 0 }));
  const fire = new Function('STOP', 'slow', 'e0', 'e1', 'e2', 's0', 's1', 's2', src)(STOP, slow, w0, w1, w2, ...stats) as Fire;
  return Object.create({ fire }, {}) as { fire: Fire };
}

const variants: Array<[string, { fire: Fire }]> = [
  ['no test (args)', build('no test', [], null)],
  ['test, return a0', build('return a0', [], 'if (arguments.length !== 2) return a0;')],
  ['test, return null', build('return null', [], 'if (arguments.length !== 2) return null;')],
  ['test, slow(...arguments)', build('spread', [], 'if (arguments.length !== 2) return slow(...arguments);')],
  ['test, slow.apply', build('apply', [], 'if (arguments.length !== 2) return slow.apply(undefined, arguments);')],
  ['test, +slow(...)', build('plus', [], 'if (arguments.length !== 2) return +slow(...arguments);')],
  ['test, throw', build('throw', [], 'if (arguments.length !== 2) throw new TypeError("arity");')],
  ['test, slow() then a0', build('then a0', [], 'if (arguments.length !== 2) { slow(...arguments); return a0; }')],
  ['rest args', build('rest', [], 'if (args.length !== 2) return slow(...args); let a0 = args[0]; const a1 = args[1];', '...args')],
  ['extra rest + length', build('extra', [], 'if (arguments.length !== 2) return slow(a0, a1, ...more);', 'a0, a1, ...more')],
  ['test, slow()', build('no arguments', [], 'if (arguments.length !== 2) return slow();')],
  [
    'test, other[key](...)',
    build('keyed', ["let key = 'slow';", 'const other = { slow };'], 'if (arguments.length !== 2) return other[key](...arguments);'),
  ],
];

const realArgs = waterfall<[v: number, b: number]>('experiment:waterfall-args', { args: ['v', 'b'] });
const realRest = waterfall<[v: number, b: number]>('experiment:waterfall-rest');
for (const w of [realArgs, realRest]) for (const fn of [w0, w1, w2]) w.register(fn, { armed: true });
const benches: Bench[] = [
  handWritten,
  {
    name: 'tapable SyncWaterfallHook',
    role: 'peer',
    ops: OPS,
    fn: () => {
      const base = (tick.i = (tick.i + OPS) & 0xfffff);
      let acc = 0;
      for (let i = base; i < base + OPS; i++) acc ^= tapableWaterfall.call(i, 7);
      do_not_optimize(acc);
    },
  },
  ownSite('hookwire (args)', realArgs),
  ownSite('hookwire (rest)', realRest),
  ...variants.map(([name, h]) => ownSite(name, h)),
];

report(benches, await medians(benches), 'tapable SyncWaterfallHook');
