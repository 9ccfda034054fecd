/**
 * Case: registering 10,000 exits on one fresh hook (disarmed, as registration leaves them).
 * Baseline: pushing the same 10,000 functions onto an array, the least any registry can do.
 * Peers: tapable `tap` ×10,000 on a new SyncHook, hookable `hook` ×10,000 on one name,
 * diagnostics_channel `subscribe` ×10,000 on a new channel. Slow operations: each is timed as a
 * whole a few times (median). Quick mode registers 1,000.
 */
import dc from 'node:diagnostics_channel';
import { do_not_optimize } from 'mitata';
import { createHooks } from 'hookable';
import { SyncHook } from 'tapable';
import { createRegistry, hook } from '../src/core/index.ts';
import { D, X } from './exits.ts';
import { mode, type Case } from './harness.ts';

const N = mode.quick ? 1_000 : 10_000;
let serial = 0;

export const cases: Case[] = [
  {
    id: 'register-10k',
    kind: 'time',
    heavy: true,
    title: `Registering ${N.toLocaleString('en-US')} exits on one hook`,
    measures:
      `One operation registers ${N.toLocaleString('en-US')} exits (cycling through 50 functions) on a newly declared hook, then drops it. ` +
      'Baseline: pushing the functions onto an array.',
    baseline: 'array push',
    benches: [
      {
        name: 'array push',
        role: 'baseline',
        fn: () => {
          const list: unknown[] = [];
          for (let i = 0; i < N; i++) list.push(X[i % 50]);
          do_not_optimize(list);
        },
      },
      {
        name: 'hookwire register',
        role: 'hookwire',
        fn: () => {
          const h = hook<[a: number, b: number]>(`bench:register-${serial++}`, { registry: createRegistry(), args: ['a', 'b'] });
          for (let i = 0; i < N; i++) h.register(X[i % 50]!);
          do_not_optimize(h);
        },
      },
      {
        name: 'tapable tap',
        role: 'peer',
        fn: () => {
          const t = new SyncHook<[number, number]>(['a', 'b']);
          for (let i = 0; i < N; i++) t.tap('x', X[i % 50]!);
          do_not_optimize(t);
        },
      },
      {
        name: 'hookable hook',
        role: 'peer',
        fn: () => {
          const hooks = createHooks<{ many: (a: number, b: number) => void }>();
          for (let i = 0; i < N; i++) hooks.hook('many', X[i % 50]!);
          do_not_optimize(hooks);
        },
      },
      {
        name: 'diagnostics_channel subscribe',
        role: 'peer',
        fn: () => {
          const ch = dc.channel(Symbol('bench:register'));
          for (let i = 0; i < N; i++) ch.subscribe(D[i % 50]!);
          do_not_optimize(ch);
        },
      },
    ],
  },
];
