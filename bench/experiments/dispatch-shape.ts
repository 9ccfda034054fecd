/**
 * Experiment (not a case; run with `node --expose-gc --import tsx bench/experiments/dispatch-shape.ts [n...]`,
 * add `--max-inlined-bytecode-size-cumulative=20000` after `node` to lift V8's inlining budget):
 * why a notify dispatcher with 10 or 50 exits lost to tapable's SyncHook, and which dispatcher
 * shape wins. Dispatchers are built here the way src/core/compile/codegen.ts builds them
 * (`new Function`, exits and counters as closure constants, installed on a prototype), varying only
 * the shape. Sites fire OPS times in their own loop, as the notify cases do; figures are per fire.
 *
 * What it showed (2026-12-01, Node 20, busy shared 2-core machine, load 4-5, one process per run;
 * "tapable/this" is tapable's time over the variant's):
 * - 50 exits: one straight line (the old shape) 0.45-0.59, no counters 0.50-0.65, counters in a
 *   Float64Array 0.33-0.58, chunks of 4 0.49-0.77, chunks of 8 0.39-1.08, chunks of 16 0.96-2.08
 *   (two runs). Chunks of 16 were adopted (src/core/compile/codegen.ts, CHUNK): each chunk's
 *   bytecode is over V8's 460-byte inlining limit, so it is its own frame and inlines its exits.
 * - 10 exits: run to run the figures swing with what V8 inlined where (hookwire src 8.3 ns in one
 *   run, 21.4 in the next), and no shape here beat tapable reliably; the reason, from
 *   `--trace-turbo-inlining` on the notify-10 case: the dispatcher (342 bytes + its exits' 470)
 *   does not fit a site's 920-byte cumulative budget with V8's 1.2 reserve factor, where tapable's
 *   `call` (116 bytes) does. One count per dispatch instead of one per exit fits (notify-10 met in
 *   the bench runner with that change made by hand) but was not adopted: see docs/benchmarks.md.
 * The first run built the variants' prototypes without `madeFast` (dictionary mode): discard it.
 */
import { SyncHook } from 'tapable';
import { STOP, hook } from '../../src/core/index.ts';
import { madeFast } from '../../src/core/prototypes.ts';
import { X, keep } from '../exits.ts';
import { OPS, tick, type Bench } from '../harness.ts';
import { FULL, timeBench } from '../measure.ts';
import { median } from '../stats.ts';

type Fire = (a: number, b: number) => void;
const counts = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);

function proto(fire: Fire): { fire: Fire } {
  // As the hook does: a fast state object above a switch (a dictionary-mode prototype folds nothing).
  const sw = Object.create(null) as object;
  Object.create(sw);
  Object.setPrototypeOf(sw, madeFast(Object.create(null, { fire: { value: fire } }) as object));
  return Object.create(sw) as { fire: Fire };
}

function make(n: number, build: (exits: string[]) => string, extra: Record<string, unknown> = {}): { fire: Fire } {
  const names = ['STOP', ...X.slice(0, n).map((_, i) => `e${i}`), ...X.slice(0, n).map((_, i) => `s${i}`), ...Object.keys(extra)];
  const values = [STOP, ...X.slice(0, n), ...X.slice(0, n).map(() => ({ hits: 0, faults: 0 })), ...Object.values(extra)];
  const src = `"use strict";\n${build(X.slice(0, n).map((_, i) => `${i}`))}`;
  return proto(new Function(...names, src)(...values) as Fire);
}

/** Today's straight line: a counter and a STOP test per exit. */
const straight = (ix: string[]) =>
  `return function fire(a0, a1) {\n${ix.map((i, k) => (k === ix.length - 1 ? `s${i}.hits++; e${i}(a0, a1);` : `s${i}.hits++; if (e${i}(a0, a1) === STOP) return;`)).join('\n')}\n};`;

/** The same body split into chunk functions of `size` exits; each chunk returns STOP when an exit did. */
const chunked = (size: number) => (ix: string[]) => {
  const out: string[] = [];
  const calls: string[] = [];
  for (let c = 0; c * size < ix.length; c++) {
    const part = ix.slice(c * size, (c + 1) * size);
    out.push(`function c${c}(a0, a1) {\n${part.map((i) => `s${i}.hits++; if (e${i}(a0, a1) === STOP) return STOP;`).join('\n')}\n}`);
    calls.push(`if (c${c}(a0, a1) === STOP) return;`);
  }
  return `${out.join('\n')}\nreturn function fire(a0, a1) {\n${calls.join('\n')}\n};`;
};

/** No counters at all (what the counters cost). */
const bare = (ix: string[]) => `return function fire(a0, a1) {\n${ix.map((i) => `if (e${i}(a0, a1) === STOP) return;`).join('\n')}\n};`;

/** Counters in one Float64Array, one slot per exit. */
const typed = (ix: string[]) => `return function fire(a0, a1) {\n${ix.map((i) => `c[${i}]++; if (e${i}(a0, a1) === STOP) return;`).join('\n')}\n};`;

function site(n: number, target: string): () => void {
  const calls =
    target === 'direct'
      ? X.slice(0, n)
          .map((_, i) => `e${i}(i, 7);`)
          .join('\n')
      : `${target}(i, 7);`;
  const names = [...X.slice(0, n).map((_, i) => `e${i}`), 'h', 'tick', 'keep', 'OPS'];
  return (
    new Function(
      ...names,
      `return () => { const base = (tick.i = (tick.i + OPS) & 0xfffff); for (let i = base; i < base + OPS; i++) { ${calls} } keep(); };`,
    ) as (...a: unknown[]) => (h: unknown) => () => void
  )(...X.slice(0, n), null, tick, keep, OPS) as unknown as () => void;
}

function siteOn(n: number, obj: unknown, method: 'fire' | 'call'): () => void {
  return (
    new Function(
      'h',
      'tick',
      'keep',
      'OPS',
      `return () => { const base = (tick.i = (tick.i + OPS) & 0xfffff); for (let i = base; i < base + OPS; i++) { h.${method}(i, 7); } keep(); };`,
    ) as (...a: unknown[]) => () => void
  )(obj, tick, keep, OPS);
}

for (const n of counts.length > 0 ? counts : [10, 50]) {
  const real = hook<[a: number, b: number]>(`experiment:shape-${n}`);
  for (const fn of X.slice(0, n)) real.register(fn, { armed: true });
  real.fire(0, 7); // learn the arity
  const tap = new SyncHook<[number, number]>(['a', 'b']);
  X.slice(0, n).forEach((fn, i) => tap.tap(`x${i}`, fn));
  const benches: Bench[] = [
    { name: 'hand-written', role: 'baseline', ops: OPS, fn: site(n, 'direct') },
    { name: 'tapable SyncHook', role: 'peer', ops: OPS, fn: siteOn(n, tap, 'call') },
    { name: 'hookwire (rest), src', role: 'hookwire', ops: OPS, fn: siteOn(n, real, 'fire') },
    { name: 'straight line', role: 'reference', ops: OPS, fn: siteOn(n, make(n, straight), 'fire') },
    { name: 'no counters', role: 'reference', ops: OPS, fn: siteOn(n, make(n, bare), 'fire') },
    { name: 'Float64Array counters', role: 'reference', ops: OPS, fn: siteOn(n, make(n, typed, { c: new Float64Array(n) }), 'fire') },
    { name: 'chunks of 4', role: 'reference', ops: OPS, fn: siteOn(n, make(n, chunked(4)), 'fire') },
    { name: 'chunks of 8', role: 'reference', ops: OPS, fn: siteOn(n, make(n, chunked(8)), 'fire') },
    { name: 'chunks of 16', role: 'reference', ops: OPS, fn: siteOn(n, make(n, chunked(16)), 'fire') },
  ];
  const rounds = 3;
  const figures = new Map<string, number[]>();
  for (let r = 0; r < rounds; r++) {
    for (const b of [...benches.slice(r % benches.length), ...benches.slice(0, r % benches.length)]) {
      const t = await timeBench(b, { ...FULL, minCpuNs: 50e6 });
      figures.set(b.name, [...(figures.get(b.name) ?? []), t]);
    }
  }
  const base = median(figures.get('hand-written')!);
  const tp = median(figures.get('tapable SyncHook')!);
  console.log(`\n${n} exits`);
  for (const b of benches) {
    const m = median(figures.get(b.name)!);
    console.log(`${b.name.padEnd(28)} ${m.toFixed(1).padStart(7)} ns  ${(m / base).toFixed(2)}× hand-written  tapable/this ${(tp / m).toFixed(2)}`);
  }
}
