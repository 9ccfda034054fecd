/**
 * Experiment (not a case; run with `node --expose-gc --import tsx bench/experiments/dispatch-count.ts`):
 * one count per dispatch instead of one per exit, for a notify hook with 10 exits (issue 8: the
 * tapable ÷ hookwire row at notify-10). The prototypes are built as codegen.ts builds dispatchers,
 * varying only the counting; the loops are module-level, as in bench/notify.bench.ts.
 *
 * What it showed (2026-12-01, quiet 2-core AMD EPYC, Node 20), ns per fire:
 * - hand-written 9.91-10.02, tapable's SyncHook 9.65-9.81, one count per exit (hookwire until
 *   then) 10.09-10.19;
 * - one count per dispatch: 9.26-9.39 with STOP corrections only, with a `try` around the exits
 *   and the position in a variable, or with `end()` calls; no counts at all 9.29-9.38.
 * - In hookwire itself the exits are `const`s, so V8 inlines the dispatcher and its exits into the
 *   site, inside its `try` blocks: there one `try` with a position read 10.96-10.98, no `try` (not
 *   exact on a throw) 9.31, and one `try` per exit (what codegen.ts emits) 9.71.
 */
import { SyncHook } from 'tapable';
import { STOP, hook } from '../../src/core/index.ts';
import { X, keep, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9 } from '../exits.ts';
import { OPS, tick, type Bench } from '../harness.ts';
import { medians } from './rounds.ts';

type Fire = (a: number, b: number) => void;
const N = 10;
const exits = X.slice(0, N);

function build(label: string, body: string[], names: string[], values: unknown[]): { fire: Fire } {
  const src = `"use strict";\n// ${label}\nreturn function fire(a0, a1) {\n${body.join('\n')}\n};`;
  const fire = new Function(...names, src)(...values) as Fire;
  return Object.create({ fire }, {}) as { fire: Fire };
}
const en = exits.map((_, i) => `e${i}`);
const perExit = build(
  'per exit',
  exits.map((_, i) => (i < N - 1 ? `s${i}.hits++; if (e${i}(a0, a1) === STOP) return;` : `s${i}.hits++; e${i}(a0, a1);`)),
  ['STOP', ...en, ...exits.map((_, i) => `s${i}`)],
  [STOP, ...exits, ...exits.map(() => ({ hits: 0, faults: 0 }))],
);
const perDispatch = build(
  'per dispatch, STOP corrections',
  ['r.n++;', ...exits.map((_, i) => (i < N - 1 ? `if (e${i}(a0, a1) === STOP) { r.s${i}++; return; }` : `e${i}(a0, a1);`))],
  ['STOP', ...en, 'r'],
  [STOP, ...exits, Object.fromEntries([['n', 0], ...exits.map((_, i) => [`s${i}`, 0])])],
);
const perDispatchTry = build(
  'per dispatch, STOP and throw corrections',
  [
    'r.n++;',
    ...exits.map((_, i) =>
      i < N - 1 ? `try { if (e${i}(a0, a1) === STOP) { r.s${i}++; return; } } catch (x) { r.s${i}++; throw x; }` : `e${i}(a0, a1);`,
    ),
  ],
  ['STOP', ...en, 'r'],
  [STOP, ...exits, Object.fromEntries([['n', 0], ...exits.map((_, i) => [`s${i}`, 0])])],
);
const perDispatchOneTry = build(
  'per dispatch, one try and a position',
  [
    'r.n++;',
    'let p = 0;',
    'try {',
    ...exits.map((_, i) => (i < N - 1 ? `p = ${i}; if (e${i}(a0, a1) === STOP) { r.s${i}++; return; }` : `p = ${i}; e${i}(a0, a1);`)),
    '} catch (x) { r.t[p]++; throw x; }',
  ],
  ['STOP', ...en, 'r'],
  [STOP, ...exits, Object.fromEntries([['n', 0], ['t', new Array(N).fill(0)], ...exits.map((_, i) => [`s${i}`, 0])])],
);
class Count {
  n = 0;
  readonly ended = new Array<number>(N).fill(0);
  end(k: number): void {
    this.ended[k]!++;
  }
}
const endCalls = build(
  'per dispatch, end() calls, last outside',
  [
    'count.n++;',
    'let p = 0;',
    'try {',
    ...exits.slice(0, N - 1).map((_, i) => `${i ? `p = ${i}; ` : ''}if (e${i}(a0, a1) === STOP) { count.end(${i}); return; }`),
    '} catch (error) { count.end(p); throw error; }',
    `e${N - 1}(a0, a1);`,
  ],
  ['STOP', ...en, 'count'],
  [STOP, ...exits, new Count()],
);
const endCallsInside = build(
  'per dispatch, end() calls, last inside',
  [
    'count.n++;',
    'let p = 0;',
    'try {',
    ...exits.map((_, i) => (i < N - 1 ? `${i ? `p = ${i}; ` : ''}if (e${i}(a0, a1) === STOP) { count.end(${i}); return; }` : `p = ${i}; e${i}(a0, a1);`)),
    '} catch (error) { count.end(p); throw error; }',
  ],
  ['STOP', ...en, 'count'],
  [STOP, ...exits, new Count()],
);
const none = build(
  'no counts',
  exits.map((_, i) => (i < N - 1 ? `if (e${i}(a0, a1) === STOP) return;` : `e${i}(a0, a1);`)),
  ['STOP', ...en],
  [STOP, ...exits],
);
const real = hook<[a: number, b: number]>('experiment:dispatch-count');
for (const fn of exits) real.register(fn, { armed: true });
const tap = new SyncHook<[number, number]>(['a', 'b']);
exits.forEach((fn, i) => tap.tap(`x${i}`, fn));

const benches: Bench[] = [
  {
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
  },
  {
    name: 'hookwire (rest)',
    role: 'hookwire',
    ops: OPS,
    fn: () => {
      const base = (tick.i = (tick.i + OPS) & 0xfffff);
      for (let i = base; i < base + OPS; i++) real.fire(i, 7);
      keep();
    },
  },
  {
    name: 'tapable SyncHook',
    role: 'peer',
    ops: OPS,
    fn: () => {
      const base = (tick.i = (tick.i + OPS) & 0xfffff);
      for (let i = base; i < base + OPS; i++) tap.call(i, 7);
      keep();
    },
  },
  {
    name: 'per exit',
    role: 'reference',
    ops: OPS,
    fn: () => {
      const base = (tick.i = (tick.i + OPS) & 0xfffff);
      for (let i = base; i < base + OPS; i++) perExit.fire(i, 7);
      keep();
    },
  },
  {
    name: 'per dispatch, STOP corrections',
    role: 'reference',
    ops: OPS,
    fn: () => {
      const base = (tick.i = (tick.i + OPS) & 0xfffff);
      for (let i = base; i < base + OPS; i++) perDispatch.fire(i, 7);
      keep();
    },
  },
  {
    name: 'per dispatch, try per exit',
    role: 'reference',
    ops: OPS,
    fn: () => {
      const base = (tick.i = (tick.i + OPS) & 0xfffff);
      for (let i = base; i < base + OPS; i++) perDispatchTry.fire(i, 7);
      keep();
    },
  },
  {
    name: 'per dispatch, one try',
    role: 'reference',
    ops: OPS,
    fn: () => {
      const base = (tick.i = (tick.i + OPS) & 0xfffff);
      for (let i = base; i < base + OPS; i++) perDispatchOneTry.fire(i, 7);
      keep();
    },
  },
  {
    name: 'end() calls, last outside',
    role: 'reference',
    ops: OPS,
    fn: () => {
      const base = (tick.i = (tick.i + OPS) & 0xfffff);
      for (let i = base; i < base + OPS; i++) endCalls.fire(i, 7);
      keep();
    },
  },
  {
    name: 'end() calls, last inside',
    role: 'reference',
    ops: OPS,
    fn: () => {
      const base = (tick.i = (tick.i + OPS) & 0xfffff);
      for (let i = base; i < base + OPS; i++) endCallsInside.fire(i, 7);
      keep();
    },
  },
  {
    name: 'no counts',
    role: 'reference',
    ops: OPS,
    fn: () => {
      const base = (tick.i = (tick.i + OPS) & 0xfffff);
      for (let i = base; i < base + OPS; i++) none.fire(i, 7);
      keep();
    },
  },
];

const figures = await medians(benches);
const base = figures.get('hand-written calls')!;
const tapable = figures.get('tapable SyncHook')!;
for (const b of benches) {
  const m = figures.get(b.name)!;
  console.log(`${b.name.padEnd(32)} ${m.toFixed(2).padStart(7)} ns  ${(m / base).toFixed(3)}×  tapable ÷ it ${(tapable / m).toFixed(3)}×`);
}
