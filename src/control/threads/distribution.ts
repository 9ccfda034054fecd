import type { Histogram } from '../../exits/histogram.ts';

/**
 * Latency distributions that cross threads: a histogram is sent as cumulative counts at bounds
 * spaced 1/128 apart (log scale) from its smallest to its largest sample, the histogram's own
 * precision; distributions from several threads are summed bound by bound, and percentiles read
 * from the sum by nearest rank. Never an average of percentiles.
 */
export interface Cumulative {
  /** Upper bounds in milliseconds, ascending. */
  bounds: number[];
  /** How many samples were at or below each bound. */
  counts: number[];
}

const STEP = 1 + 1 / 128;
/** Most bounds one site sends (a range of 1 µs to ~30 min fits). */
const MAX_BOUNDS = 4096;

/** A histogram as cumulative counts (null without samples). */
export function cumulativeOf(histogram: Histogram): Cumulative | null {
  const min = histogram.min;
  const max = histogram.max;
  if (min === null || max === null) return null;
  const bounds: number[] = [];
  for (let b = Math.max(min, 0.001); b < max && bounds.length < MAX_BOUNDS - 1; b *= STEP) bounds.push(b);
  bounds.push(max);
  return { bounds, counts: histogram.cumulative(bounds) };
}

/** The nearest-rank percentiles of several cumulative distributions summed, in ms (null without samples). */
export function mergedPercentiles(parts: readonly Cumulative[], ps: readonly number[]): (number | null)[] {
  const bounds = [...new Set(parts.flatMap((p) => p.bounds))].sort((a, b) => a - b);
  const total = parts.reduce((n, p) => n + (p.counts[p.counts.length - 1] ?? 0), 0);
  if (total === 0) return ps.map(() => null);
  // How many samples of every part are at or below each bound (a part counts 0 below its first bound's count).
  const atOrBelow = bounds.map((b) => parts.reduce((n, p) => n + countAt(p, b), 0));
  return ps.map((p) => {
    const rank = Math.min(total, Math.max(1, Math.ceil((p / 100) * total)));
    const i = atOrBelow.findIndex((n) => n >= rank);
    return i === -1 ? (bounds[bounds.length - 1] ?? null) : (bounds[i] ?? null);
  });
}

/**
 * Two distributions as one (the threads no longer listed apart, fleet.ts): counted at the bounds
 * of both, so exact there; past {@link MAX_BOUNDS} bounds every other one is dropped (the
 * cumulative counts at the bounds kept stay exact, the precision halves), so it stays bounded.
 */
export function foldCumulative(a: Cumulative, b: Cumulative): Cumulative {
  let bounds = [...new Set([...a.bounds, ...b.bounds])].sort((x, y) => x - y);
  while (bounds.length > MAX_BOUNDS) bounds = bounds.filter((_, i) => i % 2 === 1 || i === bounds.length - 1);
  return { bounds, counts: bounds.map((x) => countAt(a, x) + countAt(b, x)) };
}

/** A part's cumulative count at `bound`: its count at its largest bound at or below it. */
function countAt(part: Cumulative, bound: number): number {
  let lo = 0;
  let hi = part.bounds.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((part.bounds[mid] ?? Infinity) <= bound) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found === -1 ? 0 : (part.counts[found] ?? 0);
}
