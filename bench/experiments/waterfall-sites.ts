/**
 * What the waterfall experiments (waterfall-arity.ts, waterfall-count.ts) share: tapable's hook over
 * the case's three exits, the case's own hand-written baseline, and sites compiled from their own
 * source, so that no two variants share V8's feedback.
 */
import { do_not_optimize } from 'mitata';
import { SyncWaterfallHook } from 'tapable';
import { w0, w1, w2 } from '../exits.ts';
import { OPS, tick, type Bench, type Case } from '../harness.ts';
import { cases } from '../waterfall.bench.ts';

export const tapableWaterfall = new SyncWaterfallHook<[number, number]>(['v', 'b']);
tapableWaterfall.tap('w0', w0);
tapableWaterfall.tap('w1', w1);
tapableWaterfall.tap('w2', w2);

/** The case's own baseline (bench/waterfall.bench.ts): the value through the same three calls at the site. */
export const handWritten: Bench = baselineOf(cases[0]!);

function baselineOf(c: Case): Bench {
  const bench = c.kind === 'time' ? c.benches.find((b) => b.role === 'baseline') : undefined;
  if (bench === undefined) throw new Error(`${c.id} has no timed baseline`);
  return bench;
}

/** A site calling `h[method](i, 7)`, its loop compiled from its own source. */
export function ownSite(name: string, h: object, method = 'fire'): Bench {
  const src = `"use strict";\n// ${name}\nreturn () => {\n  const base = (tick.i = (tick.i + OPS) & 0xfffff);\n  let acc = 0;\n  for (let i = base; i < base + OPS; i++) acc ^= h.${method}(i, 7);\n  keep(acc);\n};`;
  return { name, role: 'reference', ops: OPS, fn: new Function('h', 'tick', 'OPS', 'keep', src)(h, tick, OPS, do_not_optimize) as () => void };
}

/** Prints each bench's median, its ratio to the hand-written calls, and tapable's figure ÷ it. */
export function report(benches: readonly Bench[], figures: ReadonlyMap<string, number>, tapableName: string): void {
  const base = figures.get(handWritten.name)!;
  const tapable = figures.get(tapableName)!;
  for (const b of benches) {
    const m = figures.get(b.name)!;
    console.log(`${b.name.padEnd(36)} ${m.toFixed(2).padStart(7)} ns  ${(m / base).toFixed(3)}×  tapable ÷ it ${(tapable / m).toFixed(3)}×`);
  }
}
