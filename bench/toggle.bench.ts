/**
 * Cases: what a hot site costs after many arm/disarm toggles (issue 8's protocol). Each hook is
 * toggled while its site runs: arm, `spacing` calls, disarm, `spacing` calls, `toggles` times, at
 * three spacings (the issue's bimodal case is 500 toggles 2,000 calls apart). Then the site is
 * measured armed (1 exit, ÷ the same exit called by hand) or disarmed (÷ the function without a
 * hook). What V8 does with a site depends on the history of the process, so each case runs in
 * several separate processes and reports the median and the worst one.
 * Every site is its own function literal, and so is every benchmark body (see exits.ts).
 */
import { do_not_optimize } from 'mitata';
import { hook } from '../src/core/index.ts';
import { keep, x0 } from './exits.ts';
import { OPS, mode, tick, type Case, type Check } from './harness.ts';

const table = Int32Array.from({ length: 64 }, (_, i) => Math.imul(i + 1, 0x9e3779b1));

/** The three protocols: [toggles, calls between toggles]. --quick shortens them. */
const SPACINGS = mode.quick
  ? ([
      [5, 200],
      [10, 20],
      [2, 2000],
    ] as const)
  : ([
      [500, 2000],
      [1000, 200],
      [100, 20_000],
    ] as const);
const label = (k: 0 | 1 | 2) => `${SPACINGS[k][0]} toggles, ${SPACINGS[k][1].toLocaleString('en-US')} calls apart`;

// Armed sites: one exit, fired with (i, 7), like the hand-written x0(i, 7).
const a0 = hook<[i: number, h: number]>('bench:toggle-armed-0', { args: ['i', 'h'] });
const a1 = hook<[i: number, h: number]>('bench:toggle-armed-1', { args: ['i', 'h'] });
const a2 = hook<[i: number, h: number]>('bench:toggle-armed-2', { args: ['i', 'h'] });
const r0 = hook<[i: number, h: number]>('bench:toggle-armed-rest');

function hand(n: number): void {
  const base = (tick.i = (tick.i + n) & 0xfffff);
  for (let i = base; i < base + n; i++) x0(i, 7);
}
function armed0(n: number): void {
  const base = (tick.i = (tick.i + n) & 0xfffff);
  for (let i = base; i < base + n; i++) a0.fire(i, 7);
}
function armed1(n: number): void {
  const base = (tick.i = (tick.i + n) & 0xfffff);
  for (let i = base; i < base + n; i++) a1.fire(i, 7);
}
function armed2(n: number): void {
  const base = (tick.i = (tick.i + n) & 0xfffff);
  for (let i = base; i < base + n; i++) a2.fire(i, 7);
}
function armedRest(n: number): void {
  const base = (tick.i = (tick.i + n) & 0xfffff);
  for (let i = base; i < base + n; i++) r0.fire(i, 7);
}

// Disarmed sites: an 8-step hash with the hook at its end (as in disarmed.bench.ts).
const d0 = hook<[i: number, h: number]>('bench:toggle-disarmed-0', { args: ['i', 'h'] });
const d1 = hook<[i: number, h: number]>('bench:toggle-disarmed-1', { args: ['i', 'h'] });
const d2 = hook<[i: number, h: number]>('bench:toggle-disarmed-2', { args: ['i', 'h'] });

function plain(n: number): number {
  const base = (tick.i = (tick.i + n) & 0xfffff);
  let acc = 0;
  for (let i = base; i < base + n; i++) {
    let h = 0x811c9dc5 | 0;
    for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63]!, 0x01000193);
    acc ^= h & 0x3fffffff;
  }
  return acc;
}
function disarmed0(n: number): number {
  const base = (tick.i = (tick.i + n) & 0xfffff);
  let acc = 0;
  for (let i = base; i < base + n; i++) {
    let h = 0x811c9dc5 | 0;
    for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63]!, 0x01000193);
    d0.fire(i, h);
    acc ^= h & 0x3fffffff;
  }
  return acc;
}
function disarmed1(n: number): number {
  const base = (tick.i = (tick.i + n) & 0xfffff);
  let acc = 0;
  for (let i = base; i < base + n; i++) {
    let h = 0x811c9dc5 | 0;
    for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63]!, 0x01000193);
    d1.fire(i, h);
    acc ^= h & 0x3fffffff;
  }
  return acc;
}
function disarmed2(n: number): number {
  const base = (tick.i = (tick.i + n) & 0xfffff);
  let acc = 0;
  for (let i = base; i < base + n; i++) {
    let h = 0x811c9dc5 | 0;
    for (let k = 0; k < 8; k++) h = Math.imul(h ^ table[(i + k) & 63]!, 0x01000193);
    d2.fire(i, h);
    acc ^= h & 0x3fffffff;
  }
  return acc;
}

/** Warms the site, then toggles its hook's exit while the site runs; leaves it armed or not. */
function toggle(
  h: { register(fn: typeof x0): { arm(): unknown; disarm(): unknown } },
  site: (n: number) => unknown,
  k: 0 | 1 | 2,
  end: 'armed' | 'disarmed',
): void {
  const [toggles, spacing] = SPACINGS[k];
  site(20_000);
  const exit = h.register(x0);
  for (let t = 0; t < toggles; t++) {
    exit.arm();
    site(spacing);
    exit.disarm();
    site(spacing);
  }
  if (end === 'armed') exit.arm();
}

function bounds(name: string, den: string, median: number, every: number): Check[] {
  return [
    { label: `${name} / ${den} <= ${median.toFixed(2)} (median process)`, num: name, den, op: '<=', value: median },
    { label: `${name} / ${den} <= ${every.toFixed(2)} in every process`, num: name, den, op: '<=', value: every, across: 'every' },
  ];
}

const PROCESSES = 6;
const armedRows = [0, 1, 2].map((k) => `hookwire (args), after ${label(k as 0 | 1 | 2)}`);
const disarmedRows = [0, 1, 2].map((k) => `hookwire, after ${label(k as 0 | 1 | 2)}`);
const restRow = `hookwire (rest), after ${label(0)}`;

export const cases: Case[] = [
  {
    id: 'toggle-armed',
    kind: 'time',
    title: 'Armed site (1 exit) after arm/disarm toggles while hot',
    measures:
      'One fire of a hook with 1 armed exit, after its exit was armed and disarmed many times while the site ran ' +
      '(toggles, and site calls between them: 500 × 2,000, 1,000 × 200, 100 × 20,000). Baseline: the exit called directly. ' +
      `Runs in ${PROCESSES} separate processes: median and worst process.`,
    baseline: 'hand-written call',
    processes: PROCESSES,
    setup: () => {
      toggle(a0, armed0, 0, 'armed');
      toggle(a1, armed1, 1, 'armed');
      toggle(a2, armed2, 2, 'armed');
      toggle(r0, armedRest, 0, 'armed');
    },
    checks: [...armedRows.flatMap((row) => bounds(row, 'hand-written call', 1.05, 1.15)), ...bounds(restRow, 'hand-written call', 1.05, 1.15)],
    benches: [
      {
        name: 'hand-written call',
        role: 'baseline',
        ops: OPS,
        fn: () => {
          hand(OPS);
          keep();
        },
      },
      {
        name: armedRows[0]!,
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          armed0(OPS);
          keep();
        },
      },
      {
        name: armedRows[1]!,
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          armed1(OPS);
          keep();
        },
      },
      {
        name: armedRows[2]!,
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          armed2(OPS);
          keep();
        },
      },
      {
        name: restRow,
        role: 'hookwire',
        note: 'declared without `args`',
        ops: OPS,
        fn: () => {
          armedRest(OPS);
          keep();
        },
      },
    ],
  },
  {
    id: 'toggle-disarmed',
    kind: 'time',
    title: 'Disarmed site after arm/disarm toggles while hot',
    measures:
      'One call of a small function (an 8-step hash) whose hook site has no armed exit, after its exit was armed and disarmed many times ' +
      'while the function ran (500 × 2,000, 1,000 × 200, 100 × 20,000 calls apart). Baseline: the same function without a hook. ' +
      `Runs in ${PROCESSES} separate processes: median and worst process.`,
    baseline: 'no hook',
    processes: PROCESSES,
    setup: () => {
      toggle(d0, disarmed0, 0, 'disarmed');
      toggle(d1, disarmed1, 1, 'disarmed');
      toggle(d2, disarmed2, 2, 'disarmed');
    },
    checks: disarmedRows.flatMap((row) => bounds(row, 'no hook', 1.03, 1.1)),
    benches: [
      {
        name: 'no hook',
        role: 'baseline',
        ops: OPS,
        fn: () => {
          do_not_optimize(plain(OPS));
        },
      },
      {
        name: disarmedRows[0]!,
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          do_not_optimize(disarmed0(OPS));
        },
      },
      {
        name: disarmedRows[1]!,
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          do_not_optimize(disarmed1(OPS));
        },
      },
      {
        name: disarmedRows[2]!,
        role: 'hookwire',
        ops: OPS,
        fn: () => {
          do_not_optimize(disarmed2(OPS));
        },
      },
    ],
  },
];
