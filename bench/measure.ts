/**
 * How one benchmark is measured: mitata for fast operations (median of batched samples, the body
 * called through its trampoline: trampoline.ts), plain timed runs for slow ones, full GCs around
 * heap deltas for memory.
 */
import { measure } from 'mitata';
import type { Bench, MemoryEntry } from './harness.ts';
import { median } from './stats.ts';
import { trampoline } from './trampoline.ts';

/** Settings that differ between a real run and the `--quick` smoke run. */
export interface Budget {
  /** Calls made before measuring (lets V8 optimise the benchmark's body). */
  readonly warmup: number;
  /** mitata's minimum CPU time per measurement, in nanoseconds. */
  readonly minCpuNs: number;
  readonly minSamples: number;
  readonly maxSamples: number;
  /** Timed runs of a heavy benchmark. */
  readonly heavyRuns: number;
}

export const FULL: Budget = { warmup: 5_000, minCpuNs: 100e6, minSamples: 12, maxSamples: 1e9, heavyRuns: 5 };
export const QUICK: Budget = { warmup: 20, minCpuNs: 1e6, minSamples: 2, maxSamples: 16, heavyRuns: 1 };

/** Median time per operation in nanoseconds. */
export async function timeBench(bench: Bench, budget: Budget): Promise<number> {
  const fn = trampoline(bench.name, bench.fn);
  for (let k = 0; k < budget.warmup; k++) {
    const r = fn();
    if (r instanceof Promise) await r;
  }
  const stats = await measure(fn, {
    min_cpu_time: budget.minCpuNs,
    min_samples: budget.minSamples,
    max_samples: budget.maxSamples,
  });
  return stats.p50 / (bench.ops ?? 1);
}

/**
 * Median wall time of `heavyRuns` single operations of each of `benches`, in nanoseconds per
 * operation, by name (one warm-up run of each first). The benchmarks take turns run by run, in
 * rotating order, rather than each running its `heavyRuns` in a block: a start-up takes ~0.2 s, and
 * the shared machine's speed drifts over the seconds a block takes, which landed on one row (the
 * agent's start read 1.13x plain in blocks where interleaved starts read 1.03-1.07x).
 */
export async function timeHeavy(benches: readonly Bench[], budget: Budget): Promise<Map<string, number>> {
  for (const bench of benches) await bench.fn();
  const times = new Map<string, number[]>(benches.map((b) => [b.name, []]));
  for (let k = 0; k < budget.heavyRuns; k++) {
    for (let j = 0; j < benches.length; j++) {
      const bench = benches[(j + k) % benches.length]!;
      const t0 = process.hrtime.bigint();
      await bench.fn();
      times.get(bench.name)!.push(Number(process.hrtime.bigint() - t0));
    }
  }
  return new Map(benches.map((b) => [b.name, median(times.get(b.name)!) / (b.ops ?? 1)]));
}

/** Heap bytes retained per unit by `entry.build(units)`, measured between full GCs. */
export function measureMemory(entry: MemoryEntry, units: number): number {
  const gc = globalThis.gc;
  if (typeof gc !== 'function') throw new Error('memory cases need node --expose-gc (npm run bench passes it)');
  fullGc(gc);
  const before = process.memoryUsage().heapUsed;
  let kept: unknown = entry.build(units);
  fullGc(gc);
  const after = process.memoryUsage().heapUsed;
  if (kept === undefined) throw new Error(`${entry.name}: build() must return what keeps its units alive`);
  kept = undefined;
  fullGc(gc);
  return (after - before) / units;
}

function fullGc(gc: () => void): void {
  for (let k = 0; k < 3; k++) gc();
}
