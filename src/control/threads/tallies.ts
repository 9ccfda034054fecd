/** A hits/errors pair of counters. */
export interface Tally {
  hits: number;
  errors: number;
}

/**
 * Call counters in memory every thread shares: a worker's `count` exits count here, so the main
 * thread reads any worker's counts at any moment, without that worker's help: one busy in a
 * synchronous loop, one blocked in `Atomics.wait` between tasks (piscina's idle workers), one
 * terminated. Each counter has one writer (the thread that took it), so a plain increment is
 * enough.
 */
const NEXT = 0;

export class SharedTallies {
  readonly buffer: SharedArrayBuffer;
  readonly #next: Int32Array;
  readonly #values: Float64Array;

  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.#next = new Int32Array(buffer, 0, 2);
    this.#values = new Float64Array(buffer, 8);
  }

  /** Room for `pairs` hits/errors pairs. */
  static create(pairs: number): SharedTallies {
    return new SharedTallies(new SharedArrayBuffer(8 + pairs * 16));
  }

  /** Takes a hits/errors pair; undefined when every pair is taken (the caller counts in its own memory then). */
  take(): number | undefined {
    const slot = Atomics.add(this.#next, NEXT, 2);
    return slot + 1 < this.#values.length ? slot : undefined;
  }

  /** The pair at `slot` as a {@link Tally} the wrapper increments. */
  tally(slot: number): Tally {
    const values = this.#values;
    return {
      get hits() {
        return values[slot]!;
      },
      set hits(n: number) {
        values[slot] = n;
      },
      get errors() {
        return values[slot + 1]!;
      },
      set errors(n: number) {
        values[slot + 1] = n;
      },
    };
  }

  /** The counts of the pair at `slot`. */
  read(slot: number): { hits: number; errors: number } {
    return { hits: this.#values[slot] ?? 0, errors: this.#values[slot + 1] ?? 0 };
  }
}
