import type { Order, Registry } from '../core/index.ts';
import type { ProbeContext } from './context.ts';

/** What a probe's `onEnter` may return to skip the original call (kprobes' override). */
export type EnterOverride = { value: unknown } | { error: unknown };

/**
 * A probe's handlers. Each is optional; a probe with none still counts hits.
 * Handlers never change the program by throwing: a handler's exception is contained, counted in
 * `stats.faults` and reported to the registry's fault listeners.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a probe takes any function: `unknown` parameters would refuse typed ones (contravariance)
export interface ProbeHandlers<A extends unknown[] = any[], R = any> {
  /**
   * Runs before the original, with `ctx.args` (mutable: changes reach the original).
   * Returning `{ value }` skips the original and makes the call return `value` (for an async target:
   * resolve to it); `{ error }` skips it and makes the call throw (reject with) `error`. Any other
   * return is ignored. When several probes override, the first in running order wins.
   */
  onEnter?(ctx: ProbeContext<A>): EnterOverride | void | undefined;
  /**
   * Runs after the original returned (async targets: after the promise fulfilled; generators:
   * at completion) with the result; a return other than undefined replaces the result.
   */
  onLeave?(ctx: ProbeContext<A>, result: R): unknown;
  /**
   * Runs after the original threw (async targets: rejected; generators: threw). Returning
   * `{ value }` swallows the error and makes the call return (resolve to) `value`.
   */
  onError?(ctx: ProbeContext<A>, error: unknown): { value: unknown } | void | undefined;
  /**
   * true when the handlers read `ctx.startMs` / `ctx.endMs`: only then does the wrapper read the
   * clock, right around the original call (two clock reads per call, which would otherwise be
   * most of a boosted probe's cost). Without it the stamps stay NaN.
   */
  readonly timed?: boolean;
}

/** Options of `probe` and `probeSpec`. */
export interface ProbeOptions {
  /** The probe's (exit's) name in listings; defaults to `probe#<n>`. */
  name?: string;
  /** Arm at once (default true). */
  armed?: boolean;
  /** Where this probe's handlers run among the function's probes, as for exits. */
  order?: Order;
  /** Declare the probe's hook in this registry (from `createRegistry()`) instead of the default. */
  registry?: Registry;
  /**
   * Allow the boosted (compiled, fixed-arity) wrapper (default true). `false` makes the function's
   * wrapper the generic one while this probe is armed (for comparison and debugging).
   */
  boost?: boolean;
  /**
   * For an accessor property: probe its getter (`'get'`) or setter (`'set'`). Default: the getter
   * when there is one, else the setter. Must be omitted for data properties.
   */
  accessor?: 'get' | 'set';
}

/** Options of `probeSpec`: a probe's options, and whether the spec may load its module. */
export interface ProbeSpecOptions extends ProbeOptions {
  /**
   * Load a CommonJS module that is not loaded yet (default true). `false` never loads anything:
   * the probe attaches to what the program has loaded, or stays `pending` until the program
   * loads the module (what the control socket uses, so a client cannot make the program run a file).
   */
  load?: boolean;
}

/** A probe's counters. */
export interface ProbeStats {
  /** Calls that ran this probe's handlers. */
  readonly hits: number;
  /** Contained exceptions thrown by this probe's handlers. */
  readonly faults: number;
  /** Calls made while a probe handler was running: they ran unprobed (kprobes' nmissed). */
  readonly missed: number;
}

/** A probe: an exit on a function that declared no hook. */
export interface Probe {
  /** The probe's (exit's) name. */
  readonly name: string;
  /** The name of the probed function's hook in the registry (`probe:...`). */
  readonly hook: string;
  /** true while calls run its handlers. */
  readonly armed: boolean;
  /** `'attached'` once installed on its target; `'pending'` while a spec waits for its module. */
  readonly status: 'attached' | 'pending' | 'removed';
  /**
   * Why a pending probe waits when it is more than its module not being loaded yet (an ES module
   * export whose module loaded before the spec named it); undefined otherwise.
   */
  readonly pendingReason: string | undefined;
  /**
   * How calls reach the probe: `'wrapper'` (a wrapper replaced the function: boosted or generic),
   * `'breakpoint'` (an inspector breakpoint: a source line, or an ES module export reached late
   * before its first call hands it over to a wrapper; entry only, tens of microseconds per hit);
   * undefined while pending or removed.
   */
  readonly via?: 'wrapper' | 'breakpoint' | undefined;
  readonly stats: ProbeStats;
  /** Arms the probe (installs the wrapper when it is the function's first armed probe). */
  arm(): this;
  /** Disarms it (restores the original function when no probe of it is armed any more). */
  disarm(): this;
  /**
   * Removes the probe. When it was the function's last probe the original property descriptor is
   * restored exactly. Returns false when someone else replaced the wrapper meanwhile: their function
   * is left in place (and a fault with code ERR_PROBE_REPLACED is reported); true otherwise.
   * Idempotent.
   */
  remove(): boolean;
  /** The probed function's current wrapper source (compiled mode), for debugging. */
  source(): string;
  /** Same as `remove()`, for `using`. */
  [Symbol.dispose](): void;
}

/** The kinds of function a probe distinguishes. */
export type TargetKind = 'plain' | 'method' | 'arrow' | 'async' | 'generator' | 'asyncGenerator' | 'class' | 'bound' | 'native' | 'breakpoint';

/** What `describeTarget` reports. */
export interface TargetDescription {
  kind: TargetKind;
  name: string;
  /** Declared parameter count when the parameter list is simple; else `fn.length`. */
  arity: number;
  /** Whether a probe on it gets the boosted (compiled, fixed-arity) wrapper. */
  boosted: boolean;
  /** Why it is not boosted (absent when boosted). */
  reason?: string;
  /**
   * For a probe (`describeTarget(probe)`): how calls reach it, `'wrapper'` or `'breakpoint'` (then
   * `kind` is `'breakpoint'`, `name` says where, and `costPerHit` what a hit costs).
   */
  via?: 'wrapper' | 'breakpoint';
  /** For a probe on the breakpoint path: its measured cost per hit, for people. */
  costPerHit?: string;
}
