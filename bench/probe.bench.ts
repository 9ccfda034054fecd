/**
 * Case: an armed probe with onEnter + onLeave on a small method (an 8-step hash, a few ns of
 * work), called through its object. Baseline: the unprobed method. Reference: a hand-written
 * wrapper doing the same handler work (enter with the arguments, leave with the result). Peer:
 * the same wrapper installed with shimmer (rest/apply through `arguments`). hookwire is measured
 * boosted (compiled, fixed arity), with the generic (Proxy) wrapper, and after the probe was
 * removed (the original is back by identity, so the figure is the baseline's).
 * Every benchmark body is its own function literal and calls OPS times in its own loop.
 */
import { do_not_optimize } from 'mitata';
import shimmer from 'shimmer';
import { createRegistry } from '../src/core/index.ts';
import { probe } from '../src/probe/index.ts';
import { OPS, tick, type Case } from './harness.ts';

const table = Int32Array.from({ length: 64 }, (_, i) => Math.imul(i + 1, 0x9e3779b1));

/** Each benchmark gets its own object of the same shape, so their call sites stay separate. */
function target() {
  return {
    salt: 7,
    work(i: number, h: number): number {
      for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k + this.salt) & 63]!, 0x01000193);
      return h & 0x3fffffff;
    },
  };
}

const sink = { enters: 0, leaves: 0 };
const handlers = {
  onEnter(ctx: { args: unknown[] }) {
    sink.enters += ctx.args.length;
  },
  onLeave(_ctx: unknown, result: number) {
    sink.leaves ^= result;
  },
};

const plain = target();
const hand = target();
const handOrig = hand.work;
hand.work = function work(this: unknown, i: number, h: number): number {
  sink.enters += 2;
  const r = handOrig.call(this, i, h);
  sink.leaves ^= r;
  return r;
};
const shim = target();
shimmer.wrap(
  shim,
  'work',
  (orig) =>
    function work(this: unknown) {
      sink.enters += arguments.length;
      // eslint-disable-next-line prefer-rest-params
      const r = (orig as (...a: unknown[]) => number).apply(this, arguments as unknown as unknown[]);
      sink.leaves ^= r;
      return r;
    },
);
const registry = createRegistry();
const boosted = target();
probe(boosted, 'work', handlers, { registry, name: 'boosted' });
const generic = target();
probe(
  generic,
  'work',
  {
    onEnter(ctx) {
      sink.enters += ctx.args.length;
    },
    onLeave(_ctx, result: number) {
      sink.leaves ^= result;
    },
  },
  { registry, name: 'generic', boost: false },
);
const removed = target();
const removedOrig = removed.work;
probe(
  removed,
  'work',
  {
    onEnter(ctx) {
      sink.enters += ctx.args.length;
    },
    onLeave(_ctx, result: number) {
      sink.leaves ^= result;
    },
  },
  { registry, name: 'removed' },
).remove();
if (removed.work !== removedOrig) throw new Error('a removed probe must restore the original');

export const cases: Case[] = [
  {
    id: 'probe',
    kind: 'time',
    title: 'Armed probe (onEnter + onLeave) vs a hand-written wrapper, shimmer, and a removed probe',
    measures:
      'One call of a probed method (an 8-step hash) through its object, with handlers that read the arguments and the result. ' +
      'Baseline: the unprobed method. "hand-written wrapper": the same handler work written by hand around the original.',
    baseline: 'no probe',
    checks: [
      { label: 'boosted probe / hand-written wrapper <= 1.2', num: 'hookwire probe, boosted', den: 'hand-written wrapper', op: '<=', value: 1.2 },
      { label: 'removed probe / no probe <= 1.02', num: 'hookwire probe, removed', den: 'no probe', op: '<=', value: 1.02 },
    ],
    benches: [
      {
        name: 'no probe',
        role: 'baseline',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= plain.work(i, acc);
          do_not_optimize(acc);
        },
      },
      {
        name: 'hand-written wrapper',
        role: 'reference',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= hand.work(i, acc);
          do_not_optimize(acc);
        },
      },
      {
        name: 'hookwire probe, boosted',
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= boosted.work(i, acc);
          do_not_optimize(acc);
        },
      },
      {
        name: 'hookwire probe, generic wrapper',
        role: 'hookwire',
        note: 'boost: false, the Proxy wrapper used for classes, bound and native functions',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= generic.work(i, acc);
          do_not_optimize(acc);
        },
      },
      {
        name: 'hookwire probe, removed',
        role: 'hookwire',
        note: 'the original is back by identity',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= removed.work(i, acc);
          do_not_optimize(acc);
        },
      },
      {
        name: 'shimmer wrap',
        role: 'peer',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= shim.work(i, acc);
          do_not_optimize(acc);
        },
      },
    ],
  },
];
