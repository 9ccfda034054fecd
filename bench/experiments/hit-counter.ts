/**
 * Experiment (not a case; run with `node --expose-gc --import tsx bench/experiments/hit-counter.ts`):
 * what one exact hit counter costs on a hook with one armed exit (issue 8's notify-1 bar, 1.03x), and
 * which way of keeping it is cheapest. Dispatchers are built the way src/core/compile/codegen.ts builds
 * them (`new Function`, the exit as a closure constant, installed on a prototype), varying only the
 * count. The variants' loops are closures (`closure loop`): a module-level loop, as in the bench
 * cases, pays for its module bindings and dilutes the difference.
 *
 * What it showed (2026-12-01, quiet 2-core AMD EPYC, Node 20, four runs), ns per fire:
 * - hand-written call 2.11-2.15 (module loop); in a closure loop 1.35-1.41, the same as a
 *   dispatcher without a counter (1.36-1.39);
 * - the counter as today, a Smi field of a constant object: 1.55-1.60 (1.14x in the closure loop;
 *   hookwire itself reads 1.04-1.06x in the module loop); the same after the call, or with a wrap
 *   test at 2^30, or masked to 30 bits with a carry field, or on the receiver: 1.48-1.61;
 * - a closure `let`: 1.72-1.83; an on-heap Int32Array/Uint32Array with a carry word: 1.68-1.82;
 *   Float64Array, on or off the heap: 3.26-3.31.
 * - a field with the Double representation (one that once held a non-Smi number; tried once, not kept
 *   here, as it changes every `{ hits, faults }` object's map to Double too): 3.28-3.32.
 * - an Int32Array over an ArrayBuffer of its own (off the V8 heap, so V8 folds its address into the
 *   code) with a carry word: 1.38-1.44, within 2-6% of no counter. But only while no ArrayBuffer in
 *   the process was ever detached: `DETACH=1` (what fetch() and web streams do; see docs/benchmarks.md)
 *   makes V8 check every typed array access for detachment, and it reads 1.65-1.69, worse than the
 *   Smi field (1.55). On Node 24 it read 2.62 (one run, no detach), where the Smi field costs
 *   nothing (below). So it is not used: it would trade real programs' cost for this bench's.
 * Node 22.23 and 24.22 (the same file run by their `node`): the Smi field is within 1% of no counter
 * (22: 1.66 against 1.64; 24: 1.37 against 1.37), and hookwire in the module loop reads 1.02x and
 * 1.03x the hand-written call. The ~0.2 ns is how V8 11 (Node 20) compiles a Smi increment.
 * The figures above were taken before the bench timed bodies through bench/trampoline.ts. Through
 * it (Node 20; one run, the module loop two): closure loop hand-written 1.37, no counter 1.42, Smi
 * field 1.77, off-heap Int32Array 1.62, Smi field masked with a carry field 1.69; module loop
 * hookwire 1.14-1.19x.
 * An exact count is one increment a fire; many exits share one (hit-counts.ts; dispatch-count.ts).
 *
 * 2026-12-02 (Node 20, closure loops, one run each): an Int32Array over a SharedArrayBuffer, which can
 * never be detached, is no way round the detach check: 1.65 ns (off-heap Int32Array 1.64, Smi field
 * 1.74, no counter 1.45), and with DETACH=1 2.00 (off-heap 1.98, Smi field 1.73, no counter 1.41).
 * Why the Smi field costs ~0.3 ns (`--print-opt-code`): Node 20's x64 build keeps 64-bit Smis, so
 * `count.n++` is six instructions (load, untag, add, overflow branch, retag, store), and a loop whose
 * exit writes an object reached through a binding is bound by what it issues: where that object is
 * a constant the same counter cost nothing (1.37 against 1.38 ns).
 */
import { STOP, hook } from '../../src/core/index.ts';
import { keep, x0 } from '../exits.ts';
import { OPS, tick, type Bench } from '../harness.ts';
import { medians } from './rounds.ts';

type Fire = (a: number, b: number) => void;

/** A dispatcher factory as codegen makes one: constants first, then the function, on a prototype. */
function build(label: string, prologue: string, body: string, names: string[], values: unknown[]): { fire: Fire } {
  const fire = new Function(...names, `"use strict";\n// ${label}\n${prologue}\nreturn function fire(a0, a1) {\n${body}\n};`)(...values) as Fire;
  return Object.create({ fire }, {}) as { fire: Fire };
}

const variants: Record<string, { fire: Fire }> = {
  'no counter': build('no counter', '', 'e0(a0, a1);', ['e0'], [x0]),
  'Smi field (today)': build('Smi field (today)', '', 's0.hits++; e0(a0, a1);', ['e0', 's0'], [x0, { hits: 0, faults: 0 }]),
  'Smi field after the call': build('Smi field after the call', '', 'e0(a0, a1); s0.hits++;', ['e0', 's0'], [x0, { hits: 0, faults: 0 }]),
  'closure let': build('closure let', 'let h0 = 0;', 'h0++; e0(a0, a1);', ['e0'], [x0]),
  Float64Array: build('Float64Array', '', 'c[0]++; e0(a0, a1);', ['e0', 'c'], [x0, new Float64Array(2)]),
  'Uint32Array with carry': build(
    'Uint32Array with carry',
    '',
    'if ((c[0] = (c[0] + 1) >>> 0) === 0) c[1]++; e0(a0, a1);',
    ['e0', 'c'],
    [x0, new Uint32Array(2)],
  ),
  'Int32Array with carry': build(
    'Int32Array with carry',
    '',
    'if ((c[0] = (c[0] + 1) | 0) === 0) c[1]++; e0(a0, a1);',
    ['e0', 'c'],
    [x0, new Int32Array(2)],
  ),
  // Over an ArrayBuffer of its own, the backing store is off the V8 heap: V8 folds its address into the code.
  'Float64Array off-heap': build('Float64Array off-heap', '', 'c[0]++; e0(a0, a1);', ['e0', 'c'], [x0, new Float64Array(new ArrayBuffer(16))]),
  'Int32Array off-heap with carry': build(
    'Int32Array off-heap with carry',
    '',
    'if ((c[0] = (c[0] + 1) | 0) === 0) c[1]++; e0(a0, a1);',
    ['e0', 'c'],
    [x0, new Int32Array(new ArrayBuffer(8))],
  ),
  'Smi field masked, carry field': build(
    'Smi field masked, carry field',
    '',
    'if ((s0.n = (s0.n + 1) & 0x3fffffff) === 0) s0.carry++; e0(a0, a1);',
    ['e0', 's0'],
    [x0, { n: 0, carry: 0 }],
  ),
  'closure let, after': build('closure let, after', 'let h0 = 0;', 'e0(a0, a1); h0++;', ['e0'], [x0]),
  // A SharedArrayBuffer can never be detached: whether V8 then leaves out the detach check.
  'Int32Array on a SharedArrayBuffer with carry': build(
    'Int32Array on a SharedArrayBuffer with carry',
    '',
    'if ((c[0] = (c[0] + 1) | 0) === 0) c[1]++; e0(a0, a1);',
    ['e0', 'c'],
    [x0, new Int32Array(new SharedArrayBuffer(8))],
  ),
  'receiver field': Object.assign(build('receiver field', '', 'this.n++; e0(a0, a1);', ['e0'], [x0]), { n: 0 }),
  'Smi field with wrap': build(
    'Smi field with wrap',
    '',
    'if (++s0.hits === 0x3fffffff) s0.carry(); e0(a0, a1);',
    ['e0', 's0'],
    [x0, { hits: 0, faults: 0, carry() {} }],
  ),
  'Smi field, STOP test': build(
    'Smi field, STOP test',
    '',
    's0.hits++; if (e0(a0, a1) === STOP) return;',
    ['e0', 's0', 'STOP'],
    [x0, { hits: 0, faults: 0 }, STOP],
  ),
};
const real = hook<[a: number, b: number]>('experiment:hit-counter', { args: ['a', 'b'] });
real.register(x0, { armed: true });
const rest = hook<[a: number, b: number]>('experiment:hit-counter-rest');
rest.register(x0, { armed: true });

/**
 * A bench whose loop is a closure firing `d.fire`. One source text per loop (the name in a comment):
 * `new Function` caches compiled code by source, and loops sharing one would share their call feedback.
 */
function closureLoop(name: string, d: { fire: Fire } | Fire): Bench {
  const call = typeof d === 'function' ? 'd' : 'd.fire'; // a function is called directly
  const loop = `// ${name}\nreturn () => { const base = (tick.i = (tick.i + OPS) & 0xfffff); for (let i = base; i < base + OPS; i++) ${call}(i, 7); keep(); };`;
  return { name, role: 'reference', ops: OPS, fn: new Function('tick', 'OPS', 'keep', 'd', loop)(tick, OPS, keep, d) as () => void };
}

const benches: Bench[] = [
  {
    name: 'hand-written call',
    role: 'baseline',
    ops: OPS,
    fn: () => {
      const base = (tick.i = (tick.i + OPS) & 0xfffff);
      for (let i = base; i < base + OPS; i++) x0(i, 7);
      keep();
    },
  },
  {
    name: 'hookwire (args)',
    role: 'hookwire',
    ops: OPS,
    fn: () => {
      const base = (tick.i = (tick.i + OPS) & 0xfffff);
      for (let i = base; i < base + OPS; i++) real.fire(i, 7);
      keep();
    },
  },
  {
    name: 'hookwire (rest)',
    role: 'hookwire',
    ops: OPS,
    fn: () => {
      const base = (tick.i = (tick.i + OPS) & 0xfffff);
      for (let i = base; i < base + OPS; i++) rest.fire(i, 7);
      keep();
    },
  },
  // The closure loops: the hand-written call, hookwire, then each variant.
  closureLoop('hand-written, closure loop', x0),
  closureLoop('hookwire (args), closure loop', real),
  closureLoop('hookwire (rest), closure loop', rest),
  ...Object.entries(variants).map(([name, d]) => closureLoop(name, d)),
];

// DETACH=1 detaches one ArrayBuffer first, as fetch() and web streams do: V8 then checks every typed
// array access for a detached buffer, for the rest of the process.
if (process.env['DETACH'] === '1') structuredClone(new ArrayBuffer(8), { transfer: [new ArrayBuffer(8)] });
const figures = await medians(benches);
const base = figures.get('hand-written call')!;
for (const b of benches) {
  const m = figures.get(b.name)!;
  console.log(`${b.name.padEnd(30)} ${m.toFixed(3).padStart(7)} ns  ${(m / base).toFixed(3)}×`);
}
