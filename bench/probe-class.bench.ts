/**
 * Case: a probe on a class constructor (issue 8), constructed through its holder object in a loop.
 * Baseline: the unprobed class. Reference: a hand-written counting wrapper of the same semantics,
 * a function that counts the call (and a throw) and constructs the original with the caller's
 * new.target (`Reflect.construct`), with the original's `prototype`. Peer: the other hand-written
 * form, a subclass whose constructor counts and calls super() (instances then belong to the
 * subclass: not transparent, but the cheapest wrapper a person writes). hookwire: the count exit
 * (boosted: compiled, or closures with HOOKWIRE_CODEGEN=off), an onEnter + onLeave probe
 * (boosted), and the count exit on the generic (Proxy) wrapper that classes had before.
 * Every benchmark body is its own function literal and constructs OPS times in its own loop.
 */
import { do_not_optimize } from 'mitata';
import { createRegistry } from '../src/core/index.ts';
import { count } from '../src/exits/index.ts';
import { probe } from '../src/probe/index.ts';
import { OPS, tick, type Case } from './harness.ts';

/** Each benchmark gets its own class (same source shape), so their call sites stay separate. */
function holder() {
  class Vec {
    x: number;
    y: number;
    constructor(x: number, y: number) {
      this.x = x;
      this.y = Math.imul(y ^ x, 0x01000193) & 0xffff;
    }
  }
  return { Vec };
}

type VecClass = ReturnType<typeof holder>['Vec'];

const tally = { hits: 0, errors: 0 };
const plain = holder();

const hand = holder();
const handOrig = hand.Vec;
const construct = Reflect.construct;
const HandVec = function Vec(this: unknown, ...args: [number, number]) {
  const nt = new.target;
  tally.hits++;
  try {
    // Called without new: the original's own TypeError (construct would build an instance instead).
    return nt === undefined ? Reflect.apply(handOrig, this, args) : (construct(handOrig, args, nt === HandVec ? handOrig : nt) as unknown);
  } catch (error) {
    tally.errors++;
    throw error;
  }
};
HandVec.prototype = handOrig.prototype;
hand.Vec = HandVec as unknown as VecClass;

const sub = holder();
const SubOrig = sub.Vec;
sub.Vec = class Vec extends SubOrig {
  constructor(x: number, y: number) {
    tally.hits++;
    super(x, y);
  }
};

const registry = createRegistry();
const counted = holder();
probe(counted, 'Vec', count().forProbe(), { registry, name: 'count' });
const sink = { n: 0 };
const handled = holder();
probe(
  handled,
  'Vec',
  {
    onEnter(ctx) {
      sink.n += ctx.args.length;
    },
    onLeave(_ctx, v: { x: number }) {
      sink.n ^= v.x;
    },
  },
  { registry, name: 'handlers' },
);
const generic = holder();
probe(generic, 'Vec', count().forProbe(), { registry, name: 'generic', boost: false });

export const cases: Case[] = [
  {
    id: 'probe-class',
    kind: 'time',
    title: 'A probe on a class constructor vs a hand-written wrapper',
    measures:
      'One `new holder.Vec(x, y)` of a two-field class through its holder object. Baseline: the unprobed class. ' +
      '"hand-written wrapper": a function that counts (hits, and errors on a throw) and constructs the original with the caller\'s new.target.',
    baseline: 'no probe',
    checks: [
      { label: 'count probe, boosted / hand-written wrapper <= 1.5', num: 'count probe, boosted', den: 'hand-written wrapper', op: '<=', value: 1.5 },
    ],
    benches: [
      {
        name: 'no probe',
        role: 'baseline',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= new plain.Vec(i, acc).y;
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
          for (let i = base; i < base + OPS; i++) acc ^= new hand.Vec(i, acc).y;
          do_not_optimize(acc);
        },
      },
      {
        name: 'hand-written subclass',
        role: 'peer',
        note: 'class extends the original and counts before super(): instances belong to the subclass',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= new sub.Vec(i, acc).y;
          do_not_optimize(acc);
        },
      },
      {
        name: 'count probe, boosted',
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= new counted.Vec(i, acc).y;
          do_not_optimize(acc);
        },
      },
      {
        name: 'onEnter+onLeave probe, boosted',
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= new handled.Vec(i, acc).y;
          do_not_optimize(acc);
        },
      },
      {
        name: 'count probe, generic wrapper',
        role: 'hookwire',
        note: 'boost: false, the Proxy wrapper classes had before they were boosted',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= new generic.Vec(i, acc).y;
          do_not_optimize(acc);
        },
      },
    ],
  },
];
