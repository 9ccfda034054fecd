/**
 * Case: an armed gate with 3 exits, where the first two pass (return undefined) and the third
 * returns the value the site returns. Baseline: the same three calls with the same early returns
 * written at the site. Peer: tapable SyncBailHook.
 */
import { do_not_optimize } from 'mitata';
import { SyncBailHook } from 'tapable';
import { gate } from '../src/core/index.ts';
import { g0, g1, g2, keep } from './exits.ts';
import { OPS, tick, type Case } from './harness.ts';

const withArgs = gate<[a: number, b: number], number>('bench:gate-args', { args: ['a', 'b'] });
const withRest = gate<[a: number, b: number], number>('bench:gate-rest');
for (const g of [withArgs, withRest]) for (const fn of [g0, g1, g2]) g.register(fn, { armed: true });
const bail = new SyncBailHook<[number, number], number | undefined>(['a', 'b']);
bail.tap('g0', g0);
bail.tap('g1', g1);
bail.tap('g2', g2);

export const cases: Case[] = [
  {
    id: 'gate',
    kind: 'time',
    title: 'Armed gate, 3 exits (the third decides)',
    measures:
      'One fire of a gate whose first two exits pass and whose third returns the value the site returns. ' +
      'Baseline: the three calls with their early-return tests written at the site.',
    baseline: 'hand-written calls',
    checks: [
      { label: 'tapable SyncBailHook / hookwire (rest) >= 1.0 (issue 8)', num: 'tapable SyncBailHook', den: 'hookwire (rest)', op: '>=', value: 1 },
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
            let r = g0(i, 7);
            if (r === undefined) {
              r = g1(i, 7);
              if (r === undefined) r = g2(i, 7);
            }
            acc ^= r ?? 0;
          }
          do_not_optimize(acc);
          keep();
        },
      },
      {
        name: 'hookwire (args)',
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= withArgs.fire(i, 7) ?? 0;
          do_not_optimize(acc);
          keep();
        },
      },
      {
        name: 'hookwire (rest)',
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= withRest.fire(i, 7) ?? 0;
          do_not_optimize(acc);
          keep();
        },
      },
      {
        name: 'tapable SyncBailHook',
        role: 'peer',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= bail.call(i, 7) ?? 0;
          do_not_optimize(acc);
          keep();
        },
      },
    ],
  },
];
