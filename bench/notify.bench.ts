/**
 * Case: armed notify hooks with 1, 3, 10 and 50 exits. One operation fires the site once with two
 * numbers; every exit adds a little arithmetic into `sink`. Baseline: the same exits called
 * directly, written out at the site. hookwire is measured with declared arguments (`args`: the
 * dispatcher has fixed arity) and without (rest parameters and spread).
 * Every benchmark body is its own function literal, on purpose (see exits.ts), and fires its site
 * OPS times in a loop (see harness.ts); figures are per fire.
 * (The bodies were written out by a one-off script; edit freely.)
 */
import dc from 'node:diagnostics_channel';
import { createHooks } from 'hookable';
import { SyncHook } from 'tapable';
import { hook, type Exit } from '../src/core/index.ts';
import {
  x0,
  x1,
  x2,
  x3,
  x4,
  x5,
  x6,
  x7,
  x8,
  x9,
  x10,
  x11,
  x12,
  x13,
  x14,
  x15,
  x16,
  x17,
  x18,
  x19,
  x20,
  x21,
  x22,
  x23,
  x24,
  x25,
  x26,
  x27,
  x28,
  x29,
  x30,
  x31,
  x32,
  x33,
  x34,
  x35,
  x36,
  x37,
  x38,
  x39,
  x40,
  x41,
  x42,
  x43,
  x44,
  x45,
  x46,
  x47,
  x48,
  x49,
  X,
  D,
  keep,
} from './exits.ts';
import { OPS, tick, type Case } from './harness.ts';

type Site = (a: number, b: number) => void;

/**
 * The cases with issue 8's bars run in this many separate processes (median and worst process):
 * what V8 makes of a dispatcher differs from one process to the next (one process read 1.21× where
 * the next read 1.03×), as it does for hand-written code.
 */
const PROCESSES = 6;

const hookable = createHooks<Record<string, Site>>();

/** Declares a hookwire hook with `n` armed exits, with or without declared argument names. */
function armed(name: string, n: number, withArgs: boolean) {
  const h = hook<[a: number, b: number]>(name, withArgs ? { args: ['a', 'b'] } : {});
  const exits: Exit[] = X.slice(0, n).map((fn) => h.register(fn, { armed: true }));
  return { h, exits };
}

function tapped(n: number): SyncHook<[number, number]> {
  const t = new SyncHook<[number, number]>(['a', 'b']);
  X.slice(0, n).forEach((fn, i) => t.tap(`x${i}`, fn));
  return t;
}

function subscribed(name: string, n: number): dc.Channel {
  const ch = dc.channel(name);
  D.slice(0, n).forEach((fn) => ch.subscribe(fn));
  return ch;
}

const args1 = armed('bench:notify-1-args', 1, true).h;
const rest1 = armed('bench:notify-1-rest', 1, false).h;
const tap1 = tapped(1);
const ch1 = subscribed('bench:notify-1', 1);
X.slice(0, 1).forEach((fn) => hookable.hook('notify-1', fn));

const args3 = armed('bench:notify-3-args', 3, true).h;
const rest3 = armed('bench:notify-3-rest', 3, false).h;
const tap3 = tapped(3);
const ch3 = subscribed('bench:notify-3', 3);
X.slice(0, 3).forEach((fn) => hookable.hook('notify-3', fn));

const args10 = armed('bench:notify-10-args', 10, true).h;
const rest10 = armed('bench:notify-10-rest', 10, false).h;
const tap10 = tapped(10);
const ch10 = subscribed('bench:notify-10', 10);
X.slice(0, 10).forEach((fn) => hookable.hook('notify-10', fn));

const args50 = armed('bench:notify-50-args', 50, true).h;
const rest50 = armed('bench:notify-50-rest', 50, false).h;
const tap50 = tapped(50);
const ch50 = subscribed('bench:notify-50', 50);
X.slice(0, 50).forEach((fn) => hookable.hook('notify-50', fn));

/** notify-3 extras: a hook re-armed 100 times while hot, and hand-written calls that also count hits. */
const rearmed = armed('bench:notify-3-rearmed', 3, true);
const c0 = { hits: 0, faults: 0 };
const c1 = { hits: 0, faults: 0 };
const c2 = { hits: 0, faults: 0 };
let rearmedOnce = false;
function rearm(): void {
  if (rearmedOnce) return;
  rearmedOnce = true;
  for (let c = 0; c < 100; c++) {
    for (let i = 0; i < 500; i++) rearmed.h.fire(i, 7);
    for (const e of rearmed.exits) e.disarm();
    for (let i = 0; i < 500; i++) rearmed.h.fire(i, 7);
    for (const e of rearmed.exits) e.arm();
  }
}

export const cases: Case[] = [
  {
    id: 'notify-1',
    kind: 'time',
    title: 'Armed notify hook, 1 exit',
    measures:
      'One fire of a notify hook with 1 armed exit (each adds a little arithmetic into a sink). ' +
      'Baseline: the same 1 function called directly at the site. "(args)": hook declared with argument names (fixed-arity dispatcher); "(rest)": without (rest parameters + spread).',
    baseline: 'hand-written calls',
    processes: PROCESSES,
    checks: [
      { label: 'armed 1 with its hit counter / hand-written <= 1.03 (issue 8)', num: 'hookwire (args)', den: 'hand-written calls', op: '<=', value: 1.03 },
      { label: 'tapable SyncHook / hookwire (rest) >= 1.0 (issue 8)', num: 'tapable SyncHook', den: 'hookwire (rest)', op: '>=', value: 1 },
    ],
    benches: [
      {
        name: 'hand-written calls',
        role: 'baseline',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            x0(i, 7);
          }
          keep();
        },
      },
      {
        name: 'hookwire (args)',
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            args1.fire(i, 7);
          }
          keep();
        },
      },
      {
        name: 'hookwire (rest)',
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            rest1.fire(i, 7);
          }
          keep();
        },
      },
      {
        name: 'tapable SyncHook',
        role: 'peer',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            tap1.call(i, 7);
          }
          keep();
        },
      },
      {
        name: 'hookable callHook',
        role: 'peer',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            void hookable.callHook('notify-1', i, 7);
          }
          keep();
        },
      },
      {
        name: 'diagnostics_channel publish',
        role: 'peer',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            if (ch1.hasSubscribers) ch1.publish({ a: i, b: 7 });
          }
          keep();
        },
      },
    ],
  },
  {
    id: 'notify-3',
    kind: 'time',
    title: 'Armed notify hook, 3 exits',
    measures:
      'One fire of a notify hook with 3 armed exits (each adds a little arithmetic into a sink). ' +
      'Baseline: the same 3 functions called directly at the site. "(args)": hook declared with argument names (fixed-arity dispatcher); "(rest)": without (rest parameters + spread).',
    baseline: 'hand-written calls',
    processes: PROCESSES,
    setup: rearm,
    checks: [
      { label: 'armed 3, args / hand-written <= 1.10', num: 'hookwire (args)', den: 'hand-written calls', op: '<=', value: 1.1 },
      { label: 'armed 3, rest / hand-written <= 1.10', num: 'hookwire (rest)', den: 'hand-written calls', op: '<=', value: 1.1 },
      { label: 'armed 3, args / hand-written <= 1.05 (issue 8)', num: 'hookwire (args)', den: 'hand-written calls', op: '<=', value: 1.05 },
      { label: 'armed 3, without args / hand-written <= 1.05 (issue 8)', num: 'hookwire (rest)', den: 'hand-written calls', op: '<=', value: 1.05 },
      { label: 'tapable SyncHook / hookwire (rest) >= 1.0 (issue 8)', num: 'tapable SyncHook', den: 'hookwire (rest)', op: '>=', value: 1 },
      { label: 'tapable SyncHook / hookwire (args) >= 1.8', num: 'tapable SyncHook', den: 'hookwire (args)', op: '>=', value: 1.8 },
      { label: 'tapable SyncHook / hookwire (rest) >= 1.8', num: 'tapable SyncHook', den: 'hookwire (rest)', op: '>=', value: 1.8 },
      { label: 'diagnostics_channel / hookwire (args) >= 10', num: 'diagnostics_channel publish', den: 'hookwire (args)', op: '>=', value: 10 },
      { label: 'diagnostics_channel / hookwire (rest) >= 10', num: 'diagnostics_channel publish', den: 'hookwire (rest)', op: '>=', value: 10 },
    ],
    benches: [
      {
        name: 'hand-written calls',
        role: 'baseline',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            x0(i, 7);
            x1(i, 7);
            x2(i, 7);
          }
          keep();
        },
      },
      {
        name: 'hookwire (args)',
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            args3.fire(i, 7);
          }
          keep();
        },
      },
      {
        name: 'hookwire (rest)',
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            rest3.fire(i, 7);
          }
          keep();
        },
      },
      {
        name: 'hand-written calls + hit counters',
        role: 'reference',
        ops: OPS,
        note: 'the baseline plus the per-exit `hits++` every hookwire dispatcher does: the part of the gap that is the counters',
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            c0.hits++;
            x0(i, 7);
            c1.hits++;
            x1(i, 7);
            c2.hits++;
            x2(i, 7);
          }
          keep();
        },
      },
      {
        name: 'hookwire (args), re-armed 100 times',
        role: 'hookwire',
        ops: OPS,
        note: 'the same hook after 100 disarm/arm cycles of its 3 exits while the site was hot',
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            rearmed.h.fire(i, 7);
          }
          keep();
        },
      },
      {
        name: 'tapable SyncHook',
        role: 'peer',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            tap3.call(i, 7);
          }
          keep();
        },
      },
      {
        name: 'hookable callHook',
        role: 'peer',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            void hookable.callHook('notify-3', i, 7);
          }
          keep();
        },
      },
      {
        name: 'diagnostics_channel publish',
        role: 'peer',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            if (ch3.hasSubscribers) ch3.publish({ a: i, b: 7 });
          }
          keep();
        },
      },
    ],
  },
  {
    id: 'notify-10',
    kind: 'time',
    title: 'Armed notify hook, 10 exits',
    measures:
      'One fire of a notify hook with 10 armed exits (each adds a little arithmetic into a sink). ' +
      'Baseline: the same 10 functions called directly at the site. "(args)": hook declared with argument names (fixed-arity dispatcher); "(rest)": without (rest parameters + spread).',
    baseline: 'hand-written calls',
    processes: PROCESSES,
    checks: [{ label: 'tapable SyncHook / hookwire (rest) >= 1.0 (issue 8)', num: 'tapable SyncHook', den: 'hookwire (rest)', op: '>=', value: 1 }],
    benches: [
      {
        name: 'hand-written calls',
        role: 'baseline',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            x0(i, 7);
            x1(i, 7);
            x2(i, 7);
            x3(i, 7);
            x4(i, 7);
            x5(i, 7);
            x6(i, 7);
            x7(i, 7);
            x8(i, 7);
            x9(i, 7);
          }
          keep();
        },
      },
      {
        name: 'hookwire (args)',
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            args10.fire(i, 7);
          }
          keep();
        },
      },
      {
        name: 'hookwire (rest)',
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            rest10.fire(i, 7);
          }
          keep();
        },
      },
      {
        name: 'tapable SyncHook',
        role: 'peer',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            tap10.call(i, 7);
          }
          keep();
        },
      },
      {
        name: 'hookable callHook',
        role: 'peer',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            void hookable.callHook('notify-10', i, 7);
          }
          keep();
        },
      },
      {
        name: 'diagnostics_channel publish',
        role: 'peer',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            if (ch10.hasSubscribers) ch10.publish({ a: i, b: 7 });
          }
          keep();
        },
      },
    ],
  },
  {
    id: 'notify-50',
    kind: 'time',
    title: 'Armed notify hook, 50 exits',
    measures:
      'One fire of a notify hook with 50 armed exits (each adds a little arithmetic into a sink). ' +
      'Baseline: the same 50 functions called directly at the site. "(args)": hook declared with argument names (fixed-arity dispatcher); "(rest)": without (rest parameters + spread).',
    baseline: 'hand-written calls',
    checks: [{ label: 'tapable SyncHook / hookwire (rest) >= 1.0 (issue 8)', num: 'tapable SyncHook', den: 'hookwire (rest)', op: '>=', value: 1 }],
    benches: [
      {
        name: 'hand-written calls',
        role: 'baseline',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            x0(i, 7);
            x1(i, 7);
            x2(i, 7);
            x3(i, 7);
            x4(i, 7);
            x5(i, 7);
            x6(i, 7);
            x7(i, 7);
            x8(i, 7);
            x9(i, 7);
            x10(i, 7);
            x11(i, 7);
            x12(i, 7);
            x13(i, 7);
            x14(i, 7);
            x15(i, 7);
            x16(i, 7);
            x17(i, 7);
            x18(i, 7);
            x19(i, 7);
            x20(i, 7);
            x21(i, 7);
            x22(i, 7);
            x23(i, 7);
            x24(i, 7);
            x25(i, 7);
            x26(i, 7);
            x27(i, 7);
            x28(i, 7);
            x29(i, 7);
            x30(i, 7);
            x31(i, 7);
            x32(i, 7);
            x33(i, 7);
            x34(i, 7);
            x35(i, 7);
            x36(i, 7);
            x37(i, 7);
            x38(i, 7);
            x39(i, 7);
            x40(i, 7);
            x41(i, 7);
            x42(i, 7);
            x43(i, 7);
            x44(i, 7);
            x45(i, 7);
            x46(i, 7);
            x47(i, 7);
            x48(i, 7);
            x49(i, 7);
          }
          keep();
        },
      },
      {
        name: 'hookwire (args)',
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            args50.fire(i, 7);
          }
          keep();
        },
      },
      {
        name: 'hookwire (rest)',
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            rest50.fire(i, 7);
          }
          keep();
        },
      },
      {
        name: 'tapable SyncHook',
        role: 'peer',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            tap50.call(i, 7);
          }
          keep();
        },
      },
      {
        name: 'hookable callHook',
        role: 'peer',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            void hookable.callHook('notify-50', i, 7);
          }
          keep();
        },
      },
      {
        name: 'diagnostics_channel publish',
        role: 'peer',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          for (let i = base; i < base + OPS; i++) {
            if (ch50.hasSubscribers) ch50.publish({ a: i, b: 7 });
          }
          keep();
        },
      },
    ],
  },
];
