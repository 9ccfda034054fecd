/**
 * Experiment (not a case; run with `node --expose-gc --import tsx bench/experiments/counters.ts`): what the
 * per-exit `stats.hits++` in every generated dispatcher costs, and what one counter per dispatch
 * would cost instead. Dispatchers are built here the way src/core/compile/codegen.ts builds them
 * (`new Function`, exits as closure constants, installed on a prototype), varying only the counting.
 * Each body fires OPS times in its own loop, as the notify cases do; figures are per fire.
 *
 * What it showed after issue 8's fresh armed states (2026-11-30, busy shared 2-core machine, one
 * run): hand-written 1.00×, hookwire (src, per-exit counts) 0.99×, prototype per-exit counts 1.07×,
 * one count per dispatch 0.79×, per-exit in a Float64Array 1.02×, per dispatch in a Float64Array
 * 0.85×, no counters 0.72×. The src dispatcher with exact per-exit counts is at hand-written speed
 * with 3 exits, so one count per dispatch (which needs STOP/exception corrections and folding of
 * per-dispatcher counts into exits' stats) was not adopted then. It was later, when 10 exits showed
 * ten increments a fire against tapable (src/core/hit-counts.ts, dispatch-count.ts).
 */
import { STOP, hook } from '../../src/core/index.ts';
import { keep, x0, x1, x2 } from '../exits.ts';
import { OPS, tick, type Bench } from '../harness.ts';
import { medians } from './rounds.ts';

type Fire = (a: number, b: number) => void;

function build(body: string, names: string[], values: unknown[]): { fire: Fire } {
  const fire = new Function(...names, `"use strict";\nreturn function fire(a0, a1) {\n${body}\n};`)(...values) as Fire;
  return Object.create({ fire }, {}) as { fire: Fire };
}

const stats = [
  { hits: 0, faults: 0 },
  { hits: 0, faults: 0 },
  { hits: 0, faults: 0 },
];
const perExit = build(
  's0.hits++; if (e0(a0, a1) === STOP) return; s1.hits++; if (e1(a0, a1) === STOP) return; s2.hits++; e2(a0, a1);',
  ['STOP', 'e0', 'e1', 'e2', 's0', 's1', 's2'],
  [STOP, x0, x1, x2, ...stats],
);
const dispatches = { n: 0 };
const perDispatch = build(
  // One counter per dispatch; an early STOP records which exits it skipped (the rare path).
  'd.n++; if (e0(a0, a1) === STOP) { m.n1++; m.n2++; return; } if (e1(a0, a1) === STOP) { m.n2++; return; } e2(a0, a1);',
  ['STOP', 'e0', 'e1', 'e2', 'd', 'm'],
  [STOP, x0, x1, x2, dispatches, { n1: 0, n2: 0 }],
);
const none = build('if (e0(a0, a1) === STOP) return; if (e1(a0, a1) === STOP) return; e2(a0, a1);', ['STOP', 'e0', 'e1', 'e2'], [STOP, x0, x1, x2]);
const hitsArray = new Float64Array(3);
const perExitTyped = build(
  // The same per-exit counts, kept in a typed array: element stores never alias object fields.
  'c[0]++; if (e0(a0, a1) === STOP) return; c[1]++; if (e1(a0, a1) === STOP) return; c[2]++; e2(a0, a1);',
  ['STOP', 'e0', 'e1', 'e2', 'c'],
  [STOP, x0, x1, x2, hitsArray],
);
const dispatchArray = new Float64Array(3);
const perDispatchTyped = build(
  'c[0]++; if (e0(a0, a1) === STOP) { c[1]++; c[2]++; return; } if (e1(a0, a1) === STOP) { c[2]++; return; } e2(a0, a1);',
  ['STOP', 'e0', 'e1', 'e2', 'c'],
  [STOP, x0, x1, x2, dispatchArray],
);
const real = hook<[a: number, b: number]>('experiment:counters', { args: ['a', 'b'] });
for (const fn of [x0, x1, x2]) real.register(fn, { armed: true });

const benches: Bench[] = [
  {
    name: 'hand-written calls',
    role: 'baseline',
    ops: OPS,
    fn: () => {
      for (let k = 0; k < OPS; k++) {
        const i = (tick.i = (tick.i + 1) & 0xfffff);
        x0(i, 7);
        x1(i, 7);
        x2(i, 7);
      }
      keep();
    },
  },
  {
    name: 'hookwire today (src)',
    role: 'hookwire',
    ops: OPS,
    fn: () => {
      for (let k = 0; k < OPS; k++) {
        const i = (tick.i = (tick.i + 1) & 0xfffff);
        real.fire(i, 7);
      }
      keep();
    },
  },
  {
    name: 'prototype: hits per exit',
    role: 'reference',
    ops: OPS,
    fn: () => {
      for (let k = 0; k < OPS; k++) {
        const i = (tick.i = (tick.i + 1) & 0xfffff);
        perExit.fire(i, 7);
      }
      keep();
    },
  },
  {
    name: 'prototype: one count per dispatch',
    role: 'reference',
    ops: OPS,
    fn: () => {
      for (let k = 0; k < OPS; k++) {
        const i = (tick.i = (tick.i + 1) & 0xfffff);
        perDispatch.fire(i, 7);
      }
      keep();
    },
  },
  {
    name: 'prototype: hits per exit, Float64Array',
    role: 'reference',
    ops: OPS,
    fn: () => {
      for (let k = 0; k < OPS; k++) {
        const i = (tick.i = (tick.i + 1) & 0xfffff);
        perExitTyped.fire(i, 7);
      }
      keep();
    },
  },
  {
    name: 'prototype: per dispatch, Float64Array',
    role: 'reference',
    ops: OPS,
    fn: () => {
      for (let k = 0; k < OPS; k++) {
        const i = (tick.i = (tick.i + 1) & 0xfffff);
        perDispatchTyped.fire(i, 7);
      }
      keep();
    },
  },
  {
    name: 'prototype: no counters',
    role: 'reference',
    ops: OPS,
    fn: () => {
      for (let k = 0; k < OPS; k++) {
        const i = (tick.i = (tick.i + 1) & 0xfffff);
        none.fire(i, 7);
      }
      keep();
    },
  },
];

const figures = await medians(benches);
const base = figures.get('hand-written calls')!;
for (const b of benches) {
  const m = figures.get(b.name)!;
  console.log(`${b.name.padEnd(36)} ${m.toFixed(2).padStart(7)} ns  ${(m / base).toFixed(2)}×`);
}
