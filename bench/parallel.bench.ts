/**
 * Case: a parallel hook with 3 async exits, started together and awaited together. Baseline:
 * `await Promise.all([a0(), a1(), a2()])` at the site. Peers: tapable AsyncParallelHook
 * (tapPromise/promise), hookable callHookParallel.
 */
import { createHooks } from 'hookable';
import { AsyncParallelHook } from 'tapable';
import { parallelHook } from '../src/core/index.ts';
import { a0, a1, a2, keep } from './exits.ts';
import { tick, type Case } from './harness.ts';

const withArgs = parallelHook<[a: number, b: number]>('bench:parallel-args', { args: ['a', 'b'] });
const withRest = parallelHook<[a: number, b: number]>('bench:parallel-rest');
for (const h of [withArgs, withRest]) for (const fn of [a0, a1, a2]) h.register(fn, { armed: true });

const parallel = new AsyncParallelHook<[number, number]>(['a', 'b']);
parallel.tapPromise('a0', a0);
parallel.tapPromise('a1', a1);
parallel.tapPromise('a2', a2);

const hookable = createHooks<{ 'parallel-3': (a: number, b: number) => Promise<void> }>();
hookable.hook('parallel-3', a0);
hookable.hook('parallel-3', a1);
hookable.hook('parallel-3', a2);

export const cases: Case[] = [
  {
    id: 'parallel-3',
    kind: 'time',
    title: 'Parallel hook, 3 async exits',
    measures:
      'One awaited fire of a parallel hook whose three async exits start together. Baseline: `await Promise.all([...])` of the three calls at the site.',
    baseline: 'hand-written Promise.all',
    checks: [
      {
        label: 'tapable AsyncParallelHook / hookwire (rest) >= 1.0 (issue 8)',
        num: 'tapable AsyncParallelHook',
        den: 'hookwire (rest)',
        op: '>=',
        value: 1,
      },
    ],
    benches: [
      {
        name: 'hand-written Promise.all',
        role: 'baseline',
        fn: async () => {
          const i = (tick.i = (tick.i + 1) & 0xfffff);
          await Promise.all([a0(i, 7), a1(i, 7), a2(i, 7)]);
          keep();
        },
      },
      {
        name: 'hookwire (args)',
        role: 'hookwire',
        fn: async () => {
          const i = (tick.i = (tick.i + 1) & 0xfffff);
          await withArgs.fire(i, 7);
          keep();
        },
      },
      {
        name: 'hookwire (rest)',
        role: 'hookwire',
        fn: async () => {
          const i = (tick.i = (tick.i + 1) & 0xfffff);
          await withRest.fire(i, 7);
          keep();
        },
      },
      {
        name: 'tapable AsyncParallelHook',
        role: 'peer',
        fn: async () => {
          const i = (tick.i = (tick.i + 1) & 0xfffff);
          await parallel.promise(i, 7);
          keep();
        },
      },
      {
        name: 'hookable callHookParallel',
        role: 'peer',
        fn: async () => {
          const i = (tick.i = (tick.i + 1) & 0xfffff);
          await hookable.callHookParallel('parallel-3', i, 7);
          keep();
        },
      },
    ],
  },
];
