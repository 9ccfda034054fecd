/**
 * Case: the cost of one arm+disarm cycle of a hook with 10 registered exits: `armAll` of the ten,
 * then `disarmAll` (each recompiles and swaps the dispatcher). Also one exit toggled while the other
 * nine stay armed, and a cycle with a fire in between (the new dispatcher's first call compiles
 * it). Peers: the nearest operation in each: diagnostics_channel subscribe/unsubscribe ×10,
 * hookable hook()/unregister ×10, and tapable (no removal: a new SyncHook, 10 taps, first call).
 */
import dc from 'node:diagnostics_channel';
import { createHooks } from 'hookable';
import { SyncHook } from 'tapable';
import { armAll, disarmAll, hook } from '../src/core/index.ts';
import { D, X } from './exits.ts';
import type { Case } from './harness.ts';

const ten = X.slice(0, 10);
const group = hook<[a: number, b: number]>('bench:arm-cycle', { args: ['a', 'b'] });
const exits = ten.map((fn) => group.register(fn));

const nine = hook<[a: number, b: number]>('bench:arm-cycle-one', { args: ['a', 'b'] });
const nineExits = ten.map((fn, i) => nine.register(fn, { armed: i < 9 }));
const tenth = nineExits[9]!;

const fired = hook<[a: number, b: number]>('bench:arm-cycle-fire', { args: ['a', 'b'] });
const firedExits = ten.map((fn) => fired.register(fn));

const channel = dc.channel('bench:arm-cycle');
const subscribers = D.slice(0, 10);
const hookable = createHooks<{ 'arm-cycle': (a: number, b: number) => void }>();

export const cases: Case[] = [
  {
    id: 'arm-cycle',
    kind: 'time',
    title: 'One arm+disarm cycle, 10 exits registered',
    measures:
      'One `armAll(tenExits)` + `disarmAll(tenExits)` on a hook with ten registered exits (two dispatcher rebuilds and prototype swaps). ' +
      'Ratios are to that operation; the peers do the nearest thing their APIs offer.',
    baseline: 'hookwire armAll+disarmAll (10)',
    checks: [{ label: 'arm+disarm cycle, 10 exits <= 2 µs', num: 'hookwire armAll+disarmAll (10)', op: '<=', value: 2000 }],
    benches: [
      {
        name: 'hookwire armAll+disarmAll (10)',
        role: 'hookwire',
        fn: () => {
          armAll(exits);
          disarmAll(exits);
        },
      },
      {
        name: 'hookwire one exit arm+disarm (9 armed)',
        role: 'hookwire',
        fn: () => {
          tenth.arm();
          tenth.disarm();
        },
      },
      {
        name: 'hookwire armAll, 1 fire, disarmAll',
        role: 'hookwire',
        note: 'includes compiling the new dispatcher on its first call',
        fn: () => {
          armAll(firedExits);
          fired.fire(1, 2);
          disarmAll(firedExits);
        },
      },
      {
        name: 'diagnostics_channel subscribe+unsubscribe ×10',
        role: 'peer',
        fn: () => {
          for (const s of subscribers) channel.subscribe(s);
          for (const s of subscribers) channel.unsubscribe(s);
        },
      },
      {
        name: 'hookable hook+unregister ×10',
        role: 'peer',
        fn: () => {
          const undo = ten.map((fn) => hookable.hook('arm-cycle', fn));
          for (const u of undo) u();
        },
      },
      {
        name: 'tapable new SyncHook, 10 taps, first call',
        role: 'peer',
        note: 'tapable cannot remove a tap: re-arming means building the hook again',
        fn: () => {
          const t = new SyncHook<[number, number]>(['a', 'b']);
          for (const fn of ten) t.tap(fn.name, fn);
          t.call(1, 2);
        },
      },
    ],
  },
];
