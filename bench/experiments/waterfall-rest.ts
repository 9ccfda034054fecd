/**
 * Experiment (not a case): why a waterfall declared without `args` is ~15× slower than one with
 * them, and a prototype fix. Run: `node --expose-gc --import tsx bench/experiments/waterfall-rest.ts`.
 *
 * Today's rest-form waterfall writes the running value back into the rest array
 * (`args[0] = r`) and calls every exit with `e(...args)`. Writing into the array makes V8 keep it as
 * a real array and spread it for real at each call. The prototype keeps the first argument apart
 * (`fire(a0, ...rest)`, `e(a0, ...rest)`): the rest array is never written, so V8 can forward it.
 */
import { do_not_optimize } from 'mitata';
import { STOP, waterfall } from '../../src/index.ts';
import { w0, w1, w2 } from '../exits.ts';
import { OPS, tick, type Bench } from '../harness.ts';
import { FULL, median, timeBench } from '../measure.ts';

type Fire = (v: number, b: number) => number;

function build(source: string): { fire: Fire } {
  const fire = new Function('STOP', 'e0', 'e1', 'e2', `"use strict";\n${source}`)(STOP, w0, w1, w2) as Fire;
  return Object.create({ fire }, {}) as { fire: Fire };
}

const today = waterfall<[v: number, b: number]>('experiment:waterfall-rest');
for (const fn of [w0, w1, w2]) today.register(fn, { armed: true });
const withArgs = waterfall<[v: number, b: number]>('experiment:waterfall-args', { args: ['v', 'b'] });
for (const fn of [w0, w1, w2]) withArgs.register(fn, { armed: true });
const firstApart = build(`return function fire(a0, ...rest) {
  let r;
  r = e0(a0, ...rest);
  if (r !== undefined) { if (r === STOP) return a0; a0 = r; }
  r = e1(a0, ...rest);
  if (r !== undefined) { if (r === STOP) return a0; a0 = r; }
  r = e2(a0, ...rest);
  if (r !== undefined) { if (r === STOP) return a0; a0 = r; }
  return a0;
};`);

const benches: Bench[] = [
  {
    name: 'hand-written calls',
    role: 'baseline',
    ops: OPS,
    fn: () => {
      const base = (tick.i = (tick.i + OPS) & 0xfffff);
      let acc = 0;
      for (let i = base; i < base + OPS; i++) acc ^= w2(w1(w0(i, 7), 7), 7);
      do_not_optimize(acc);
    },
  },
  {
    name: 'hookwire today, args',
    role: 'hookwire',
    ops: OPS,
    fn: () => {
      const base = (tick.i = (tick.i + OPS) & 0xfffff);
      let acc = 0;
      for (let i = base; i < base + OPS; i++) acc ^= withArgs.fire(i, 7);
      do_not_optimize(acc);
    },
  },
  {
    name: 'hookwire today, rest',
    role: 'hookwire',
    ops: OPS,
    fn: () => {
      const base = (tick.i = (tick.i + OPS) & 0xfffff);
      let acc = 0;
      for (let i = base; i < base + OPS; i++) acc ^= today.fire(i, 7);
      do_not_optimize(acc);
    },
  },
  {
    name: 'prototype: fire(a0, ...rest)',
    role: 'reference',
    ops: OPS,
    fn: () => {
      const base = (tick.i = (tick.i + OPS) & 0xfffff);
      let acc = 0;
      for (let i = base; i < base + OPS; i++) acc ^= firstApart.fire(i, 7);
      do_not_optimize(acc);
    },
  },
];

const figures = new Map<string, number[]>();
for (let r = 0; r < 5; r++) {
  for (const b of [...benches.slice(r % benches.length), ...benches.slice(0, r % benches.length)]) {
    figures.set(b.name, [...(figures.get(b.name) ?? []), await timeBench(b, FULL)]);
  }
}
const base = median(figures.get('hand-written calls')!);
for (const b of benches) {
  const m = median(figures.get(b.name)!);
  console.log(`${b.name.padEnd(32)} ${m.toFixed(2).padStart(7)} ns  ${(m / base).toFixed(2)}×`);
}
