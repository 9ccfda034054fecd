import type { CountedExit, DispatchCount } from '../hit-counts.ts';
import type { Kind } from '../kinds.ts';

/** What a dispatcher needs of one armed exit: its function, and its counters (hit-counts.ts). */
export interface PlannedExit extends CountedExit {
  readonly fn: (...args: never[]) => unknown;
}

/**
 * Counts async dispatches in flight for `synchronize()`. A dispatch joins the current epoch on
 * entry and leaves it when it settles; `synchronize()` closes the epoch and waits for it to drain.
 */
export interface Epoch {
  n: number;
  done: (() => void) | null;
}
export interface InflightTracker {
  current: Epoch;
}

/** Everything a compiler needs to build one hook's dispatcher for one set of armed exits. */
export interface DispatchPlan {
  readonly hookName: string;
  readonly kind: Kind;
  /** true: exit exceptions are contained and reported through `fault`; false: they propagate. */
  readonly isolate: boolean;
  /** Fixed arity when the hook declared its argument names; null: rest parameters. */
  readonly arity: number | null;
  /**
   * For a hook declared without argument names: the arity its sites were seen to use (a generated
   * dispatcher then has a fixed-arity path for it), or null while unknown or too large.
   */
  readonly learnedArity: number | null;
  /** While the arity is unknown: a generated dispatcher tells it the arity of its first call. */
  readonly learn: ((arity: number) => void) | null;
  readonly exits: readonly PlannedExit[];
  /** The dispatcher's own count where it counts once per dispatch (hit-counts.ts); null otherwise, or for `source()`. */
  readonly count: DispatchCount | null;
  readonly fault: (exit: PlannedExit, error: unknown) => void;
  readonly tracker: InflightTracker;
}

/**
 * Reports a promise's rejection through `fault` instead of leaving it unhandled: an isolated
 * notify hook's async exit must not turn into an unhandled rejection (which ends a Node process).
 */
export function containRejection(fault: (exit: PlannedExit, error: unknown) => void, exit: PlannedExit, promise: PromiseLike<unknown>): void {
  promise.then(undefined, (error: unknown) => fault(exit, error));
}

/** A compiled dispatcher: the hook's `fire` while these exits are armed. */
export type Dispatcher = (...args: unknown[]) => unknown;
