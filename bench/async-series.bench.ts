/**
 * Case: an async notify hook with 3 async exits run in series. One operation awaits the fire; each
 * exit does a little work and awaits once. Baseline: `await a0(); await a1(); await a2()` at the site.
 * Peers: tapable AsyncSeriesHook (tapPromise/promise), hookable callHook, before-after-hook (three
 * `before` hooks around a method that does nothing).
 */
import Hook from 'before-after-hook';
import { createHooks } from 'hookable';
import { AsyncSeriesHook } from 'tapable';
import { asyncHook } from '../src/core/index.ts';
import { a0, a1, a2, keep, sink } from './exits.ts';
import { tick, type Case } from './harness.ts';

interface Options {
  a: number;
  b: number;
}

const withArgs = asyncHook<[a: number, b: number]>('bench:async-series-args', { args: ['a', 'b'] });
const withRest = asyncHook<[a: number, b: number]>('bench:async-series-rest');
for (const h of [withArgs, withRest]) for (const fn of [a0, a1, a2]) h.register(fn, { armed: true });

const series = new AsyncSeriesHook<[number, number]>(['a', 'b']);
series.tapPromise('a0', a0);
series.tapPromise('a1', a1);
series.tapPromise('a2', a2);

const hookable = createHooks<{ 'async-3': (a: number, b: number) => Promise<void> }>();
hookable.hook('async-3', a0);
hookable.hook('async-3', a1);
hookable.hook('async-3', a2);

const around = new Hook.Singular<Options, void>();
around.before(async (o: Options) => {
  sink.v = (sink.v + o.a * 3 + o.b) & 0x3fffffff;
  await undefined;
});
around.before(async (o: Options) => {
  sink.v = (sink.v + o.a * 5 + o.b) & 0x3fffffff;
  await undefined;
});
around.before(async (o: Options) => {
  sink.v = (sink.v + o.a * 7 + o.b) & 0x3fffffff;
  await undefined;
});
function method(_o: Options): void {}

/** The same three awaits inside one async function: what any async dispatcher at least adds. */
async function threeAwaits(a: number, b: number): Promise<void> {
  await a0(a, b);
  await a1(a, b);
  await a2(a, b);
}

export const cases: Case[] = [
  {
    id: 'async-series-3',
    kind: 'time',
    title: 'Async series hook, 3 async exits',
    measures:
      'One awaited fire of an async hook whose three async exits each do a little work and await once. ' +
      'Baseline: the three awaits written at the site. before-after-hook runs its three `before` hooks around an empty method.',
    baseline: 'hand-written awaits',
    checks: [
      { label: 'tapable AsyncSeriesHook / hookwire (rest) >= 1.0 (issue 8)', num: 'tapable AsyncSeriesHook', den: 'hookwire (rest)', op: '>=', value: 1 },
      { label: 'async series 3, args / hand-written <= 1.15', num: 'hookwire (args)', den: 'hand-written awaits', op: '<=', value: 1.15 },
      { label: 'async series 3, rest / hand-written <= 1.15', num: 'hookwire (rest)', den: 'hand-written awaits', op: '<=', value: 1.15 },
      { label: 'tapable AsyncSeriesHook / hookwire (args) > 1', num: 'tapable AsyncSeriesHook', den: 'hookwire (args)', op: '>=', value: 1 },
      { label: 'hookable callHook / hookwire (args) >= 8', num: 'hookable callHook', den: 'hookwire (args)', op: '>=', value: 8 },
    ],
    benches: [
      {
        name: 'hand-written awaits',
        role: 'baseline',
        fn: async () => {
          const i = (tick.i = (tick.i + 1) & 0xfffff);
          await a0(i, 7);
          await a1(i, 7);
          await a2(i, 7);
          keep();
        },
      },
      {
        name: 'hand-written async function',
        role: 'reference',
        note: 'the three awaits moved into one async function the site awaits: the floor for any dispatcher that is an async function',
        fn: async () => {
          const i = (tick.i = (tick.i + 1) & 0xfffff);
          await threeAwaits(i, 7);
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
        name: 'tapable AsyncSeriesHook',
        role: 'peer',
        fn: async () => {
          const i = (tick.i = (tick.i + 1) & 0xfffff);
          await series.promise(i, 7);
          keep();
        },
      },
      {
        name: 'hookable callHook',
        role: 'peer',
        fn: async () => {
          const i = (tick.i = (tick.i + 1) & 0xfffff);
          await hookable.callHook('async-3', i, 7);
          keep();
        },
      },
      {
        name: 'before-after-hook',
        role: 'peer',
        fn: async () => {
          const i = (tick.i = (tick.i + 1) & 0xfffff);
          await around(method, { a: i, b: 7 });
          keep();
        },
      },
    ],
  },
];
