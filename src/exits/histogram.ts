/**
 * A duration histogram in bounded memory. Up to {@link EXACT_SAMPLES} samples are also kept as
 * they are, and percentiles are then exact (nearest rank). Past that, percentiles come from
 * log-linear buckets over microseconds: exact below 128 µs, then 64 sub-buckets per power of two,
 * reported at the bucket's middle — within 1/128 (0.8%) of the true value, and kept within the
 * recorded min..max. Count, min, max and mean are always exact.
 */

/** Samples kept exactly before percentiles switch to the buckets. */
export const EXACT_SAMPLES = 1024;

const EXACT = 128; // values below this many microseconds have a bucket each
const SUB = 64; // sub-buckets per power of two above EXACT

/** Bucket index of a duration in whole microseconds. */
function bucketOf(us: number): number {
  if (us < EXACT) return us;
  const bits = Math.floor(Math.log2(us)) + 1; // us in [2^(bits-1), 2^bits)
  const shift = bits - 7; // us >> shift in [64, 128)
  const mantissa = Math.floor(us / 2 ** shift); // in [64, 128)
  return EXACT + (shift - 1) * SUB + (mantissa - SUB);
}

/** Lowest and highest microsecond value of a bucket. */
function boundsOf(index: number): [number, number] {
  if (index < EXACT) return [index, index];
  const k = index - EXACT;
  const shift = Math.floor(k / SUB) + 1;
  const mantissa = (k % SUB) + SUB;
  return [mantissa * 2 ** shift, (mantissa + 1) * 2 ** shift - 1];
}

/** Records durations in milliseconds and answers percentiles. */
export class Histogram {
  private readonly buckets: number[] = [];
  private samples: number[] | undefined = [];
  private n = 0;
  private total = 0;
  private low = Infinity;
  private high = -Infinity;

  /** Samples recorded. */
  get count(): number {
    return this.n;
  }

  /** Records one duration in milliseconds; negative or non-finite values count as 0. */
  record(ms: number): void {
    const v = Number.isFinite(ms) && ms > 0 ? ms : 0;
    const us = Math.min(Math.round(v * 1000), Number.MAX_SAFE_INTEGER);
    const i = bucketOf(us);
    while (this.buckets.length <= i) this.buckets.push(0);
    this.buckets[i] = (this.buckets[i] ?? 0) + 1;
    this.n++;
    if (this.samples !== undefined) {
      if (this.samples.length < EXACT_SAMPLES) this.samples.push(v);
      else this.samples = undefined;
    }
    this.total += v;
    if (v < this.low) this.low = v;
    if (v > this.high) this.high = v;
  }

  /**
   * The nearest-rank percentile `p` (0 < p ≤ 100) in milliseconds: the smallest recorded value
   * such that at least p% of samples are at or below it — exact while the samples are kept, else
   * to the bucket's precision. null without samples.
   */
  percentile(p: number): number | null {
    if (this.n === 0) return null;
    const rank = Math.min(this.n, Math.max(1, Math.ceil((p / 100) * this.n)));
    if (this.samples !== undefined) {
      const sorted = [...this.samples].sort((a, b) => a - b);
      return sorted[rank - 1] ?? null;
    }
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i] ?? 0;
      if (seen >= rank) {
        const [lo, hi] = boundsOf(i);
        const mid = lo === hi ? lo / 1000 : (lo + hi + 1) / 2 / 1000;
        return Math.min(this.high, Math.max(this.low, mid));
      }
    }
    return this.high;
  }

  /**
   * How many samples are at or below each bound (ms, ascending), for cumulative histogram buckets
   * (Prometheus `le`): exact while the samples are kept, else to the buckets' precision (a bucket
   * counts under a bound when its middle is at or below it).
   */
  cumulative(boundsMs: readonly number[]): number[] {
    if (this.samples !== undefined) {
      const samples = this.samples;
      return boundsMs.map((b) => samples.reduce((n, v) => (v <= b ? n + 1 : n), 0));
    }
    return boundsMs.map((b) => {
      let n = 0;
      for (let i = 0; i < this.buckets.length; i++) {
        const [lo, hi] = boundsOf(i);
        if ((lo === hi ? lo : (lo + hi + 1) / 2) / 1000 <= b) n += this.buckets[i] ?? 0;
      }
      return n;
    });
  }

  /** Exact sum of the samples in ms. */
  get sum(): number {
    return this.total;
  }

  /** Exact largest sample in ms, or null. */
  get max(): number | null {
    return this.n === 0 ? null : this.high;
  }

  /** Exact smallest sample in ms, or null. */
  get min(): number | null {
    return this.n === 0 ? null : this.low;
  }

  /** Exact mean in ms, or null. */
  get mean(): number | null {
    return this.n === 0 ? null : this.total / this.n;
  }
}
