/**
 * Case: heap memory of 10,000 declared hooks with 10 exits each (the same ten exit functions
 * everywhere, so only the hooks' own structures count). Measured as heap bytes retained per hook
 * between full GCs (`--expose-gc`, `process.memoryUsage().heapUsed`). hookwire is measured with the
 * exits registered but disarmed, and armed (each hook then holds a compiled dispatcher); tapable
 * with its taps, before and after the first call (which compiles its `call`). Quick mode builds 500.
 */
import dc from 'node:diagnostics_channel';
import { createHooks } from 'hookable';
import { SyncHook } from 'tapable';
import { createRegistry, hook } from '../src/core/index.ts';
import { D, X } from './exits.ts';
import { mode, type Case } from './harness.ts';

const ten = X.slice(0, 10);
const tenSubscribers = D.slice(0, 10);
let serial = 0;

export const cases: Case[] = [
  {
    id: 'memory',
    kind: 'memory',
    title: 'Memory of 10,000 hooks × 10 exits',
    measures:
      'Heap bytes retained per hook (after full GCs) for 10,000 hooks with 10 exits each; the exit functions are shared, so only the hook machinery counts. ' +
      'Ratios are to tapable SyncHook with 10 taps, compiled by a first call.',
    units: mode.quick ? 500 : 10_000,
    unitName: 'hook',
    baseline: 'tapable SyncHook, 10 taps, called once',
    entries: [
      {
        name: 'tapable SyncHook, 10 taps, called once',
        role: 'peer',
        build: (n) => {
          const all: SyncHook<[number, number]>[] = [];
          for (let i = 0; i < n; i++) {
            const t = new SyncHook<[number, number]>(['a', 'b']);
            for (const fn of ten) t.tap(fn.name, fn);
            t.call(i, 1);
            all.push(t);
          }
          return all;
        },
      },
      {
        name: 'hookwire, 10 exits registered (disarmed)',
        role: 'hookwire',
        build: (n) => {
          const registry = createRegistry();
          const run = serial++;
          for (let i = 0; i < n; i++) {
            const h = hook<[a: number, b: number]>(`mem:${run}:${i}`, { registry, args: ['a', 'b'] });
            for (const fn of ten) h.register(fn);
          }
          return registry;
        },
      },
      {
        name: 'hookwire, 10 exits armed',
        role: 'hookwire',
        note: 'each hook holds its own compiled dispatcher (one `new Function` per hook)',
        build: (n) => {
          const registry = createRegistry();
          const run = serial++;
          for (let i = 0; i < n; i++) {
            const h = hook<[a: number, b: number]>(`mem:${run}:${i}`, { registry, args: ['a', 'b'] });
            for (const fn of ten) h.register(fn, { armed: true });
            h.fire(i, 1);
          }
          return registry;
        },
      },
      {
        name: 'tapable SyncHook, 10 taps, never called',
        role: 'peer',
        build: (n) => {
          const all: SyncHook<[number, number]>[] = [];
          for (let i = 0; i < n; i++) {
            const t = new SyncHook<[number, number]>(['a', 'b']);
            for (const fn of ten) t.tap(fn.name, fn);
            all.push(t);
          }
          return all;
        },
      },
      {
        name: 'diagnostics_channel, 10 subscribers',
        role: 'peer',
        build: (n) => {
          const all: dc.Channel[] = [];
          const run = serial++;
          for (let i = 0; i < n; i++) {
            const ch = dc.channel(`mem:${run}:${i}`);
            for (const fn of tenSubscribers) ch.subscribe(fn);
            all.push(ch);
          }
          return all;
        },
      },
      {
        name: 'hookable, 10 hooks per name',
        role: 'peer',
        build: (n) => {
          const hooks = createHooks<Record<string, (a: number, b: number) => void>>();
          const run = serial++;
          for (let i = 0; i < n; i++) {
            const name = `mem:${run}:${i}`;
            for (const fn of ten) hooks.hook(name, fn);
          }
          return hooks;
        },
      },
    ],
  },
];
