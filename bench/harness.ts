/**
 * The shapes every benchmark case file exports, and the run mode the runner sets before it imports
 * them. A case is one question ("what does a disarmed site cost?") answered by several benchmarks
 * measured in the same process and run: the baseline, hookwire, and the peers.
 */

/** What a benchmark stands for in a case's table. */
export type Role = 'baseline' | 'reference' | 'hookwire' | 'peer';

/** One timed benchmark: `fn` is one operation; it may return a promise (then each op is awaited). */
export interface Bench {
  readonly name: string;
  readonly role: Role;
  readonly fn: () => unknown;
  /** How many site calls one `fn()` makes (its figure is divided by this); default 1. */
  readonly ops?: number;
  /** A short remark printed under the case's table. */
  readonly note?: string;
}

/** One measured memory figure: `build(n)` makes `n` units and returns what keeps them alive. */
export interface MemoryEntry {
  readonly name: string;
  readonly role: Role;
  readonly build: (n: number) => unknown;
  readonly note?: string;
}

/**
 * A target (issues 3 and 8). `num` / `den` name benchmarks of the case; the figure is
 * time(num) / time(den) when `den` is set, else time(num) in nanoseconds.
 */
export interface Check {
  readonly label: string;
  readonly num: string;
  readonly den?: string;
  readonly op: '<=' | '>=';
  readonly value: number;
  /**
   * For a case run in several processes: whether the median over processes must meet the target
   * (default), or every process (the worst one).
   */
  readonly across?: 'median' | 'every';
}

interface CaseBase {
  /** Stable id, used by filters and in results.json (`notify-3`). */
  readonly id: string;
  readonly title: string;
  /** One or two sentences for docs/benchmarks.md: what an operation is, what the ratio means. */
  readonly measures: string;
  /** The benchmark every ratio in the case is taken against. */
  readonly baseline: string;
  readonly checks?: readonly Check[];
  /**
   * Runs the case in this many separate Node processes (default 1) and reports the median and the
   * worst process: for figures that depend on what V8 happened to do in one process (issue 8's
   * toggle protocol). `--quick` and `--in-process` run it once.
   */
  readonly processes?: number;
}

/** A case timed with mitata. */
export interface TimedCase extends CaseBase {
  readonly kind: 'time';
  readonly benches: readonly Bench[];
  /** Runs once before the case's benchmarks (arming exits, cycling hooks…). */
  readonly setup?: () => void;
  /** Runs once after them (disarming what setup armed). */
  readonly teardown?: () => void;
  /**
   * Slow operations (milliseconds each): measured as the median of a few plain timed runs instead
   * of mitata's many batched samples.
   */
  readonly heavy?: boolean;
  /**
   * Runs of each benchmark per round of a heavy case, in place of the budget's 5 (not in
   * `--quick`): the start-up cases take 15, since one start's wall time moves by ±10% on a shared
   * machine and 5 left their ratios a few percent either side of their bars from run to run.
   */
  readonly heavyRuns?: number;
}

/** A case measured in heap bytes (after full GCs) per unit built. */
export interface MemoryCase extends CaseBase {
  readonly kind: 'memory';
  /** How many units `build` makes (10,000 hooks, or fewer in quick mode). */
  readonly units: number;
  readonly unitName: string;
  readonly entries: readonly MemoryEntry[];
}

export type Case = TimedCase | MemoryCase;

/** How the runner was started; case files read it at import time to size their work. */
export const mode = {
  /** `--quick`: every case runs briefly, numbers are only a smoke signal. */
  quick: false,
};

/**
 * Site calls per operation in the fast synchronous cases. A benchmark body fires its site OPS times
 * in its own loop, so that V8 optimises each body as one function, as it would a real caller.
 * (With one call per mitata sample, mitata's 4×-unrolled loop inlines four copies of the body and
 * runs out of V8's cumulative inlining budget: results then depend on bytecode size, not speed.)
 */
export const OPS = 100;

/** A counter benchmarks use to vary their arguments, so that no call is constant-folded. */
export const tick = { i: 0 };
