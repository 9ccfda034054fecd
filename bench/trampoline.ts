/**
 * The function mitata times for a benchmark: a trampoline that calls the benchmark's body and is too
 * large for V8 to inline into mitata's sampling loop, so that the body always runs as its own
 * optimised code.
 *
 * Why: mitata times `fn` from a loop it compiles afresh for every measurement, and V8 compiles that
 * loop on stack (OSR), inlining `fn` into it. On Node 24 that OSR code is Maglev's for part of a
 * measurement or all of it, so the same benchmark body read 1.37 ns in one round and 4.4 ns in the
 * next, for hand-written calls and tapable as much as for hookwire (notify-1 over 6 processes:
 * hookwire ÷ hand-written 1.05× to 1.84×). Called through the trampoline, the body tiers up once,
 * like any hot function, and every round measures that code: 1.36–1.46 ns in every round of five
 * processes (docs/benchmarks.md, "How the benchmarks are timed").
 *
 * Each trampoline is compiled from its own source text (the benchmark's name in a comment), so no
 * two share V8's type feedback, and its call to the body stays monomorphic: V8 may inline the body
 * into the trampoline, which is then optimised as a whole. It costs one call per `fn()`, which
 * makes OPS (100) site calls in the fast cases: ~0.01 ns per figure, on baseline and hookwire alike.
 */

/**
 * Bytecode V8 will not inline: its limit for an inlinee is 460 bytes, Turbofan's and Maglev's alike.
 * These never-taken branches compile to ~75 bytes each: a trampoline's bytecode is 3,059 bytes
 * (`node --print-bytecode --print-bytecode-filter=trampoline`). They stay in the bytecode whatever runs.
 */
const PADDING = Array.from({ length: 40 }, (_, i) => `  if (never.v === ${i}) never.out = [never.v + ${i}, String(never.v * ${i})];`).join('\n');

/** What the padding reads: `v` is never one of the tested values. */
const never = { v: -1, out: null as unknown };

const trampolines = new WeakMap<() => unknown, () => unknown>();

/** The trampoline for `fn` (one per body, made at its first measurement); `name` goes into its source. */
export function trampoline(name: string, fn: () => unknown): () => unknown {
  let t = trampolines.get(fn);
  if (t === undefined) {
    const label = name.replace(/[^\w .,()+-]/g, '_'); // a comment's text: nothing that could end it
    const source = `"use strict";\n// benchmark: ${label}\nreturn function trampoline() {\n${PADDING}\n  return fn();\n};`;
    t = new Function('fn', 'never', source)(fn, never) as () => unknown;
    trampolines.set(fn, t);
  }
  return t;
}
