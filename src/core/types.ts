import type { KindName } from './kinds.ts';
import type { Order } from './order.ts';
import type { Stop } from './stop.ts';

/** A value or a promise of it. */
export type Awaitable<T> = T | PromiseLike<T>;

/** Any function an exit may be. */
export type AnyFn = (...args: never[]) => unknown;

/**
 * What a hook does with an exit's exception: `'propagate'` lets it reach the site, `'isolate'`
 * contains it, counts it in the exit's `stats.faults` and reports it to the fault listeners.
 */
export type FaultPolicy = 'propagate' | 'isolate';

/** Options of every hook factory. */
export interface HookOptions {
  /** Declare the hook in this registry instead of the default one. */
  registry?: Registry;
  /** Allow one exit only: a second `register` fails with ERR_HOOK_ORDER. */
  exclusive?: boolean;
  /** `'propagate'` (default): an exit's exception reaches the site. `'isolate'`: it is contained, counted, reported. */
  faultPolicy?: FaultPolicy;
  /** @deprecated The older name of {@link HookOptions.faultPolicy}, still accepted (both given must agree). */
  faults?: FaultPolicy;
  /**
   * The argument names, in order. Gives the dispatcher a fixed arity (no rest parameters) and
   * names arguments in snapshots and traces. Without it, dispatchers pass every argument through.
   */
  args?: readonly string[];
  /** A line for people listing hooks. */
  description?: string;
}

/** Options of `register`. */
export interface RegisterOptions {
  /** Shown in listings and snapshots; defaults to the function's name and a sequence number. */
  name?: string;
  /** Where the exit runs: 'first', 'last', 'only' or a numeric stage (default 0). */
  order?: Order;
  /** Arm it at once (default false: registered exits start disarmed). */
  armed?: boolean;
}

/** The counters of one exit. */
export interface ExitStats {
  /**
   * Times a dispatch called this exit. A synchronous notify hook counts a dispatch as it starts and
   * takes back the exits it did not reach when it ends early (STOP, or a throw), so read from
   * inside a dispatch, the exits after the running one already count it. A `fire` kept aside is
   * counted while its hook keeps that dispatcher (its two most recently armed sets).
   */
  readonly hits: number;
  /** Exceptions contained from this exit (hooks with `faults: 'isolate'`). */
  readonly faults: number;
}

/** A function inserted at a hook, with a managed life: register → arm ⇄ disarm → deregister. */
// `F` is the registered function's type: it is not read here, but it keeps `register(fn)`'s
// result typed for callers (and is part of the public signature).
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export interface Exit<F extends AnyFn = AnyFn> {
  readonly name: string;
  readonly order: Order;
  /** The hook this exit belongs to. */
  readonly hook: AnyHook;
  /** true while dispatches call it. */
  readonly armed: boolean;
  /** false once deregistered (or its hook terminated). */
  readonly registered: boolean;
  readonly stats: ExitStats;
  /** Arms the exit: dispatches starting from now call it. Returns the exit. */
  arm(): this;
  /** Disarms the exit: dispatches starting from now skip it (see `Registry.synchronize`). */
  disarm(): this;
  /** Removes the exit from its hook and drops the function. Idempotent. */
  deregister(): void;
  /** Same as `deregister()`, for `using`. */
  [Symbol.dispose](): void;
}

/** What all hook kinds share. `F` is the exit function type. */
export interface HookBase<F extends AnyFn> {
  readonly name: string;
  readonly kind: KindName;
  readonly registry: Registry;
  readonly exclusive: boolean;
  /** What the hook does with an exit's exception. */
  readonly faultPolicy: FaultPolicy;
  /** @deprecated The older name of {@link HookBase.faultPolicy}. */
  readonly faults: FaultPolicy;
  readonly args: readonly string[] | null;
  readonly description: string | undefined;
  /** true while any exit is armed: the guard for sites that would build costly arguments. */
  readonly enabled: boolean;
  readonly sealed: boolean;
  readonly terminated: boolean;
  /** The registered exits in running order (armed or not). */
  readonly exits: readonly Exit<F>[];
  /** Inserts an exit (disarmed unless `armed: true`). */
  register(fn: F, options?: RegisterOptions): Exit<F>;
  /** Removes the hook from its registry. Fails with ERR_HOOK_BUSY while exits are armed, unless forced. */
  terminate(options?: { force?: boolean }): void;
  /** Refuses every later change to this hook's exits. */
  seal(): void;
  /** The current dispatcher's source code, for debugging. */
  source(): string;
}

/** A notify hook: exits run in order; an exit returning STOP ends the dispatch. */
export interface Hook<A extends unknown[] = []> extends HookBase<(...args: A) => unknown> {
  fire(...args: A): void;
}

/** A gate: the first exit returning a value (not undefined, not STOP) ends the dispatch, and `fire` returns it. */
export interface Gate<A extends unknown[] = [], R = unknown> extends HookBase<(...args: A) => R | Stop | undefined | void> {
  fire(...args: A): R | undefined;
}

/** A waterfall: each exit gets the current first argument and may return a replacement; `fire` returns the last. */
export interface Waterfall<A extends [unknown, ...unknown[]]> extends HookBase<(...args: A) => A[0] | Stop | undefined | void> {
  fire(...args: A): A[0];
}

/** An async notify hook: exits run in series, each awaited. */
export interface AsyncHook<A extends unknown[] = []> extends HookBase<(...args: A) => unknown> {
  fire(...args: A): Promise<void>;
}

/** An async gate: exits run in series; the first to resolve to a value ends the dispatch. */
export interface AsyncGate<A extends unknown[] = [], R = unknown> extends HookBase<(...args: A) => Awaitable<R | Stop | undefined | void>> {
  fire(...args: A): Promise<R | undefined>;
}

/** An async waterfall: exits run in series, each may resolve to a replacement first argument. */
export interface AsyncWaterfall<A extends [unknown, ...unknown[]]> extends HookBase<(...args: A) => Awaitable<A[0] | Stop | undefined | void>> {
  fire(...args: A): Promise<A[0]>;
}

/** A parallel hook: all exits start together; `fire` resolves when all have settled. */
export interface ParallelHook<A extends unknown[] = []> extends HookBase<(...args: A) => unknown> {
  fire(...args: A): Promise<void>;
}

/** Any hook, whatever its kind and arguments. */
// `any`, not `unknown`: a hook of any argument tuple must be assignable here (parameters are
// contravariant), which `unknown[]` would refuse.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHook = HookBase<any> & { fire(...args: any[]): unknown };

/** What a fault listener receives when an isolated exit (or a probe handler) throws. */
export interface FaultEvent {
  readonly hook: string;
  readonly exit: string;
  readonly error: Error;
}
export type FaultListener = (event: FaultEvent) => void;

/** A named collection of hooks: listing, sealing, fault reporting and grace periods. */
export interface Registry {
  readonly sealed: boolean;
  /** The hook declared under `name`, if any. */
  get(name: string): AnyHook | undefined;
  /** Every hook, in declaration order. */
  list(): AnyHook[];
  /** Plain JSON of every hook, its exits, armed state and stats. */
  snapshot(): RegistrySnapshot;
  /** Seals every hook and refuses new ones. */
  seal(): void;
  /** Calls `listener` for every contained fault; returns a function that unsubscribes. */
  onFault(listener: FaultListener): () => void;
  /**
   * Calls `listener` with each hook declared from now on, right after its declaration and before
   * the declaring code can fire it (tools use this to attach exits to hooks of modules not loaded
   * yet). Returns a function that unsubscribes. A listener's exception is contained.
   */
  onDeclare(listener: (hook: AnyHook) => void): () => void;
  /**
   * Resolves when every async dispatch that started before the call has finished: after it, an
   * exit disarmed before the call never runs again.
   */
  synchronize(): Promise<void>;
}

/** One exit in a snapshot. */
export interface ExitSnapshot {
  name: string;
  order: Order;
  armed: boolean;
  hits: number;
  faults: number;
}

/** One hook in a snapshot. */
export interface HookSnapshot {
  name: string;
  kind: KindName;
  enabled: boolean;
  sealed: boolean;
  exclusive: boolean;
  /** The hook's fault policy (the field keeps its original name: snapshots are a wire format). */
  faults: FaultPolicy;
  args: string[] | null;
  description?: string;
  /** Extra facts from the layer that declared the hook (probes put their target here). */
  meta?: Record<string, string | number | boolean>;
  exits: ExitSnapshot[];
}

/** A registry as plain JSON. */
export interface RegistrySnapshot {
  sealed: boolean;
  faults: number;
  hooks: HookSnapshot[];
}
