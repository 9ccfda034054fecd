/**
 * Case: a disarmed hook site. The same small function (an 8-step FNV-style hash over a table, a
 * few nanoseconds of work) with no hook at all, with a hookwire site that was never armed, and with
 * a hookwire site whose hook went through 100 arm/disarm cycles while the function was hot.
 * The peers' idle forms sit at the same place in the same function.
 */
import dc from 'node:diagnostics_channel';
import { do_not_optimize } from 'mitata';
import { createHooks } from 'hookable';
import { SyncHook } from 'tapable';
import { hook } from '../src/core/index.ts';
import { x0 } from './exits.ts';
import { OPS, tick, type Case } from './harness.ts';

const table = Int32Array.from({ length: 64 }, (_, i) => Math.imul(i + 1, 0x9e3779b1));

const fresh = hook<[i: number, h: number]>('bench:disarmed-fresh', { args: ['i', 'h'] });
const cycled = hook<[i: number, h: number]>('bench:disarmed-cycled', { args: ['i', 'h'] });
const tapable = new SyncHook<[number, number]>(['i', 'h']);
const hookable = createHooks<{ 'bench:disarmed': (i: number, h: number) => void }>();
const channel = dc.channel('bench:disarmed');

/** The experiment the design rejected: a site object whose own `fire` field gets reassigned. */
const ownField: { fire: (i: number, h: number) => void } = { fire: function fire(_i: number, _h: number): void {} };
const idleOwn = ownField.fire;

function plain(i: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63]!, 0x01000193);
  return h & 0x3fffffff;
}

function withFresh(i: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63]!, 0x01000193);
  fresh.fire(i, h);
  return h & 0x3fffffff;
}

function withCycled(i: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63]!, 0x01000193);
  cycled.fire(i, h);
  return h & 0x3fffffff;
}

function withOwnField(i: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63]!, 0x01000193);
  ownField.fire(i, h);
  return h & 0x3fffffff;
}

function withTapable(i: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63]!, 0x01000193);
  tapable.call(i, h);
  return h & 0x3fffffff;
}

function withHookable(i: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63]!, 0x01000193);
  void hookable.callHook('bench:disarmed', i, h);
  return h & 0x3fffffff;
}

function withChannel(i: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63]!, 0x01000193);
  if (channel.hasSubscribers) channel.publish({ a: i, b: h });
  return h & 0x3fffffff;
}

let cycledOnce = false;

/** Warms the functions, then arms and disarms their hooks 100 times while they run. */
function cycle(): void {
  if (cycledOnce) return;
  cycledOnce = true;
  for (let i = 0; i < 20_000; i++) {
    withCycled(i);
    withOwnField(i);
  }
  const exit = cycled.register(x0);
  for (let c = 0; c < 100; c++) {
    exit.arm();
    ownField.fire = function fire(a: number, b: number): void {
      x0(a, b);
    };
    for (let i = 0; i < 200; i++) {
      withCycled(i);
      withOwnField(i);
    }
    exit.disarm();
    ownField.fire = idleOwn;
    for (let i = 0; i < 200; i++) {
      withCycled(i);
      withOwnField(i);
    }
  }
}

export const cases: Case[] = [
  {
    id: 'disarmed',
    kind: 'time',
    title: 'Disarmed site (fresh, and after 100 arm/disarm cycles)',
    measures:
      'One call of a small function (an 8-step hash, a few ns of work) whose hook site has no armed exit. ' +
      'Baseline: the same function without any hook. "after 100 cycles": the hook was armed and disarmed 100 times while the function was hot.',
    baseline: 'no hook',
    setup: cycle,
    checks: [
      { label: 'disarmed site / no hook <= 1.02', num: 'hookwire, never armed', den: 'no hook', op: '<=', value: 1.02 },
      { label: 'disarmed after 100 cycles / no hook <= 1.02', num: 'hookwire, after 100 cycles', den: 'no hook', op: '<=', value: 1.02 },
    ],
    benches: [
      {
        name: 'no hook',
        role: 'baseline',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= plain(i);
          do_not_optimize(acc);
        },
      },
      {
        name: 'hookwire, never armed',
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= withFresh(i);
          do_not_optimize(acc);
        },
      },
      {
        name: 'hookwire, after 100 cycles',
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= withCycled(i);
          do_not_optimize(acc);
        },
      },
      {
        name: 'own fire field, after 100 swaps',
        role: 'reference',
        note: 'the rejected design: reassigning an own `fire` field instead of swapping prototypes',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= withOwnField(i);
          do_not_optimize(acc);
        },
      },
      {
        name: 'tapable SyncHook, no taps',
        role: 'peer',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= withTapable(i);
          do_not_optimize(acc);
        },
      },
      {
        name: 'hookable callHook, no hooks',
        role: 'peer',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= withHookable(i);
          do_not_optimize(acc);
        },
      },
      {
        name: 'diagnostics_channel, no subscribers',
        role: 'peer',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= withChannel(i);
          do_not_optimize(acc);
        },
      },
    ],
  },
];
