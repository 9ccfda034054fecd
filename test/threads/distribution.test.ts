// Latency percentiles over threads come from the threads' distributions summed, never from an
// average of their percentiles (src/control/threads/distribution.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Histogram } from '../../src/exits/histogram.ts';
import { cumulativeOf, mergedPercentiles } from '../../src/control/threads/distribution.ts';

function histogram(samples: readonly number[]): Histogram {
  const h = new Histogram();
  for (const s of samples) h.record(s);
  return h;
}

/** Within the histogram's precision (1/128 of the value, and 1 µs). */
function close(actual: number | null, expected: number | null, what: string): void {
  assert.ok(actual !== null && expected !== null, what);
  assert.ok(Math.abs(actual - expected) <= Math.max(0.001, expected / 100), `${what}: ${actual} vs ${expected}`);
}

test('two threads, one fast and one slow: merged p50/p90/p99 are those of all samples together', () => {
  const fast = Array.from({ length: 900 }, (_, i) => 0.1 + (i % 10) * 0.01);
  const slow = Array.from({ length: 100 }, (_, i) => 50 + i);
  const merged = mergedPercentiles([cumulativeOf(histogram(fast))!, cumulativeOf(histogram(slow))!], [50, 90, 99]);
  const all = histogram([...fast, ...slow]);
  close(merged[0]!, all.percentile(50), 'p50');
  close(merged[1]!, all.percentile(90), 'p90');
  close(merged[2]!, all.percentile(99), 'p99');
  // What averaging the two threads' p99 would say is far off: the merge is not that.
  const averaged = (histogram(fast).percentile(99)! + histogram(slow).percentile(99)!) / 2;
  assert.ok(Math.abs(merged[2]! - averaged) > 10);
});

test('past the exact samples (bucketed histograms), the merge stays within the buckets precision', () => {
  const a = Array.from({ length: 3000 }, (_, i) => 1 + (i % 300) / 10);
  const b = Array.from({ length: 2000 }, (_, i) => 20 + (i % 500) / 5);
  const merged = mergedPercentiles([cumulativeOf(histogram(a))!, cumulativeOf(histogram(b))!], [50, 99]);
  const all = histogram([...a, ...b]);
  close(merged[0]!, all.percentile(50), 'p50');
  close(merged[1]!, all.percentile(99), 'p99');
});

test('no samples anywhere: null percentiles; an empty histogram sends nothing', () => {
  assert.equal(cumulativeOf(new Histogram()), null);
  assert.deepEqual(mergedPercentiles([], [50]), [null]);
});
