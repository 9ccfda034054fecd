/**
 * Case: an armed waterfall with 3 exits, each returning a replacement for the value. Baseline: the
 * value passed through the same three calls at the site. Peer: tapable SyncWaterfallHook.
 */
import { do_not_optimize } from 'mitata';
import { SyncWaterfallHook } from 'tapable';
import { waterfall } from '../src/core/index.ts';
import { w0, w1, w2 } from './exits.ts';
import { OPS, tick, type Case } from './harness.ts';

const withArgs = waterfall<[v: number, b: number]>('bench:waterfall-args', { args: ['v', 'b'] });
const withRest = waterfall<[v: number, b: number]>('bench:waterfall-rest');
for (const w of [withArgs, withRest]) for (const fn of [w0, w1, w2]) w.register(fn, { armed: true });
const fall = new SyncWaterfallHook<[number, number]>(['v', 'b']);
fall.tap('w0', w0);
fall.tap('w1', w1);
fall.tap('w2', w2);

export const cases: Case[] = [
  {
    id: 'waterfall',
    kind: 'time',
    title: 'Armed waterfall, 3 exits',
    measures: 'One fire of a waterfall whose three exits each replace the value. Baseline: `v = w0(v, b); v = w1(v, b); v = w2(v, b)` at the site.',
    baseline: 'hand-written calls',
    checks: [
      {
        label: 'tapable SyncWaterfallHook / hookwire (rest) >= 1.0 (issue 8)',
        num: 'tapable SyncWaterfallHook',
        den: 'hookwire (rest)',
        op: '>=',
        value: 1,
      },
    ],
    benches: [
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
      {
        name: 'hookwire (args)',
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
        name: 'hookwire (rest)',
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= withRest.fire(i, 7);
          do_not_optimize(acc);
        },
      },
      {
        name: 'tapable SyncWaterfallHook',
        role: 'peer',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= fall.call(i, 7);
          do_not_optimize(acc);
        },
      },
    ],
  },
];
