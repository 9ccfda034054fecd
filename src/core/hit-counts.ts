import type { Kind } from './kinds.ts';
import type { ExitStats } from './types.ts';

/**
 * Exact hit counts at one increment per dispatch (issue 8). A synchronous notify, gate or waterfall
 * dispatcher counts the dispatch once, on entry, in its own `DispatchCount`; a dispatch that ends
 * before its last exit (an exit returned STOP, threw out of the dispatch, or answered a gate)
 * records where it ended, on that path.
 * Exit k's hits are then the dispatches started, less those that ended at an exit before it.
 * Ten exits measured ten increments a fire (notify-10 read 0.96x tapable's SyncHook, which counts
 * nothing); one increment is at no-counter speed (bench/experiments/dispatch-count.ts). A waterfall
 * of 3 exits saves ~0.4 ns a fire the same way (bench/experiments/waterfall-count.ts).
 *
 * A count lives while its hook keeps the dispatcher's armed state (two per hook) and is folded into
 * the exits' counters when the hook drops it (hook-state.ts).
 *
 * Async dispatches, which await between exits, keep one increment per exit, in the exit's own
 * counter.
 */

/** Whether a kind's dispatchers count once per dispatch (every synchronous kind) rather than once per exit. */
export function countsDispatches(kind: Kind): boolean {
  return !kind.async;
}

/** The counters a dispatcher writes for one exit: hits counted per exit, and contained faults. */
export interface ExitCounter {
  hits: number;
  faults: number;
}

/** What a dispatch count needs of each exit it counts for: its counter, and its hook's live counts. */
export interface CountedExit {
  readonly _counter: ExitCounter;
  /** Its hook's state: `counts` are the counts of the hook's dispatchers not yet folded (null: none made). */
  readonly _state: { readonly counts: ReadonlySet<DispatchCount> | null };
}

/** One dispatcher's count. Its fields are what the generated code increments. */
export class DispatchCount {
  /** Dispatches started. */
  n = 0;
  /** `ended[k]`: dispatches that ended at exit k, so that the exits after it were not called. */
  readonly ended: number[];
  readonly exits: readonly CountedExit[];
  private readonly book: Set<DispatchCount>;
  private folded = false;

  /** A count for `exits`, kept in `book` (their hook's live counts) until it is folded. */
  constructor(book: Set<DispatchCount>, exits: readonly CountedExit[]) {
    this.book = book;
    this.exits = exits;
    this.ended = new Array<number>(exits.length).fill(0);
    book.add(this);
  }

  /**
   * The rare path: a dispatch ended at exit `k` (it returned STOP, or threw out of the dispatch).
   * A dispatch still running when its dispatcher was dropped takes the exits after k back from
   * their counters directly.
   */
  end(k: number): void {
    if (!this.folded) this.ended[k]!++;
    else for (let p = k + 1; p < this.exits.length; p++) this.exits[p]!._counter.hits--;
  }

  /** Hits of the exit at `position` through this dispatcher. */
  hitsAt(position: number): number {
    let hits = this.n;
    for (let k = 0; k < position; k++) hits -= this.ended[k]!;
    return hits;
  }

  /**
   * Moves this count's hits into the exits' own counters, when the hook drops the dispatcher (it
   * keeps two per hook): live counts stay bounded however often a hook changes. A dispatch that
   * began before is already counted; one through a `fire` a caller kept aside after that is not.
   */
  fold(): void {
    if (this.folded) return;
    this.folded = true;
    this.exits.forEach((exit, position) => (exit._counter.hits += this.hitsAt(position)));
    this.book.delete(this);
  }
}

/** An exit's public stats: its own counter plus its live dispatch counts, read when asked. */
export function liveStats(exit: CountedExit): ExitStats {
  const counter = exit._counter;
  return Object.defineProperties({} as ExitStats, {
    hits: {
      enumerable: true,
      get(): number {
        let hits = counter.hits;
        for (const count of exit._state.counts ?? []) {
          const position = count.exits.indexOf(exit);
          if (position >= 0) hits += count.hitsAt(position);
        }
        return hits;
      },
    },
    faults: { enumerable: true, get: (): number => counter.faults },
  });
}
