/**
 * Case: the non-boosted probe (issue 10), an inspector breakpoint whose condition calls
 * hookwire's handler and is false, on the first line of a small function, with the count exit's
 * handlers (only onEnter runs on this path). Baseline: the unprobed function. Reference: the same
 * count exit through the boosted wrapper. The ratio is what `describeTarget`, `hookwire ls` and
 * docs/probes.md quote as a breakpoint probe's cost per hit.
 */
import { createRequire } from 'node:module';
import { do_not_optimize } from 'mitata';
import { createRegistry } from '../src/core/index.ts';
import { count } from '../src/exits/index.ts';
import { probe, probeSpec } from '../src/probe/index.ts';
import { mode, tick, type Case } from './harness.ts';

type Work = { work(i: number, h: number): number };
const targets = createRequire(import.meta.url)('./breakpoint-target.cjs') as { plain: Work; lined: Work; wrapped: Work };
const { plain, lined, wrapped } = targets;
const registry = createRegistry();
probeSpec('./bench/breakpoint-target.cjs:10', count().forProbe(), { registry, name: 'breakpoint' });
probe(wrapped, 'work', count().forProbe(), { registry, name: 'boosted' });

/**
 * A heavy case (a median of a few timed runs: mitata's thousands of batched samples would take
 * minutes at tens of microseconds per breakpoint hit). Calls per operation, divided back per call.
 */
const OPS = mode.quick ? 200 : 20_000;
const SLOW_OPS = mode.quick ? 20 : 400;

export const cases: Case[] = [
  {
    id: 'probe-breakpoint',
    kind: 'time',
    title: 'A breakpoint probe (the non-boosted path) vs a boosted probe',
    measures:
      'One call of a small function (an 8-step hash) with the count exit on an inspector breakpoint at its first line (a line probe, ' +
      'as a late ES module export has before its first call hands it over), and through the boosted wrapper. Baseline: the unprobed function.',
    baseline: 'no probe',
    heavy: true,
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
        name: 'count probe, boosted',
        role: 'reference',
        ops: OPS,
        fn: () => {
          const base = (tick.i = (tick.i + OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + OPS; i++) acc ^= wrapped.work(i, acc);
          do_not_optimize(acc);
        },
      },
      {
        name: 'count probe, breakpoint',
        role: 'hookwire',
        note: 'an inspector condition evaluated per call (bench/breakpoint-target.cjs:10)',
        ops: SLOW_OPS,
        fn: () => {
          const base = (tick.i = (tick.i + SLOW_OPS) & 0xfffff);
          let acc = 0;
          for (let i = base; i < base + SLOW_OPS; i++) acc ^= lined.work(i, acc);
          do_not_optimize(acc);
        },
      },
    ],
  },
];
