import { compileDispatcher, type FactoryCache } from './compile/index.ts';
import type { Dispatcher, DispatchPlan, PlannedExit } from './compile/plan.ts';
import { HookError } from './errors.ts';
import type { ExitImpl } from './exit.ts';
import type { Kind } from './kinds.ts';
import { compareOrder, type OrderHolders } from './order.ts';
import type { RegistryImpl } from './registry.ts';
import type { HookSnapshot } from './types.ts';

/** How a hook was declared, after validation. */
export interface HookConfig {
  readonly exclusive: boolean;
  readonly isolate: boolean;
  readonly args: readonly string[] | null;
  readonly description: string | undefined;
  /** Facts for snapshots, set by the layer that declares the hook (probes). */
  readonly meta?: Record<string, string | number | boolean>;
  /**
   * Called after every change of the armed set with the armed exits in running order. A layer
   * that dispatches by itself (probes compile their own wrapper) uses this instead of `fire`: the
   * core then compiles no dispatcher, and `fire` stays the idle function while `enabled` follows.
   */
  readonly onArmedChange?: (armed: readonly ExitImpl[]) => void;
  /** What `source()` shows, when the layer runs its own code instead of the dispatcher (probes). */
  readonly source?: () => string;
}

const noop = function fire(): void {};
const identity = function fire(value: unknown): unknown {
  return value;
};
const resolved = Promise.resolve(undefined);
const resolvedNoop = function fire(): Promise<undefined> {
  return resolved;
};
const resolvedIdentity = function fire(value: unknown): Promise<unknown> {
  return Promise.resolve(value);
};

/** The `fire` of a hook with no armed exit: an empty function the JIT inlines away. */
export function idleFire(kind: Kind): Dispatcher {
  if (kind.async) return kind.combine === 'waterfall' ? resolvedIdentity : resolvedNoop;
  return kind.combine === 'waterfall' ? identity : noop;
}

/**
 * Everything a hook knows and changes, kept apart from the hook object the site holds: that object
 * gets a new hidden class at every prototype swap, so the control path reads and writes this state,
 * whose shape never changes, and touches the site's object only to swap its prototype (the V8
 * reasons: ARCHITECTURE.md, "Why arming swaps a prototype (V8)").
 */
export class HookState {
  /** The object sites hold (its prototype is what arming swaps). */
  readonly hook: object;
  readonly name: string;
  readonly kind: Kind;
  readonly registry: RegistryImpl;
  readonly config: HookConfig;
  /** Registered exits in running order. */
  readonly exits: ExitImpl[] = [];
  /** The armed exits in running order: what the current dispatcher runs. */
  armed: readonly ExitImpl[] = [];
  /** Exit names in use. */
  readonly names = new Set<string>();
  /** Who holds 'first', 'last' and 'only'. */
  readonly holders: OrderHolders = {};
  /** The frozen `exits` view, built when asked for. */
  view: readonly ExitImpl[] | null = null;
  seq = 0;
  sealed = false;
  terminated = false;
  /** Compiled dispatcher factories of this hook, by armed-exit count. */
  readonly factories: FactoryCache = new Map();
  /** The prototype while nothing is armed: `fire` idle, `enabled` false. */
  readonly idleProto: object;
  /** The prototype while something is armed; its `fire` is the current dispatcher. Made on first arming. */
  armedProto: { fire: Dispatcher } | null = null;
  /** What the hook's prototypes inherit: the facade class's methods. */
  readonly methods: object;
  /** Counts and reports a contained fault of one of this hook's exits. */
  readonly fault: (exit: PlannedExit, error: unknown) => void;

  constructor(hook: object, registry: RegistryImpl, kind: Kind, name: string, config: HookConfig) {
    this.hook = hook;
    this.name = name;
    this.kind = kind;
    this.registry = registry;
    this.config = config;
    this.methods = Object.getPrototypeOf(hook) as object;
    this.idleProto = makeProto(this.methods, idleFire(kind), false, false);
    this.fault = (exit, error) => {
      (exit as ExitImpl).stats.faults++;
      registry._reportFault(name, (exit as ExitImpl).name, error);
    };
    Object.setPrototypeOf(hook, this.idleProto);
  }
}

/**
 * A prototype for one hook: `fire` and `enabled` as data properties over the facade's methods.
 * Each hook has its own idle one too, not one shared per kind (measured: ARCHITECTURE.md, "Why
 * arming swaps a prototype (V8)").
 */
function makeProto(methods: object, fire: Dispatcher, enabled: boolean, writable: boolean): object {
  return Object.create(methods, { fire: { value: fire, writable }, enabled: { value: enabled } }) as object;
}

/** Throws unless the hook's exits may change. */
export function assertChangeable(state: HookState): void {
  if (state.terminated) throw terminatedError(state.name);
  if (state.sealed) throw new HookError('ERR_HOOK_SEALED', `hook "${state.name}" is sealed`);
}

/** Inserts a new exit in running order (the caller rebuilds if it is armed). */
export function insertExit(state: HookState, exit: ExitImpl): void {
  const exits = state.exits;
  let lo = 0;
  let hi = exits.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareOrder(exits[mid]!, exit) <= 0) lo = mid + 1;
    else hi = mid;
  }
  exits.splice(lo, 0, exit);
  state.names.add(exit.name);
  if (exit.order === 'first' || exit.order === 'last' || exit.order === 'only') state.holders[exit.order] = exit;
  state.view = null;
}

/** Takes a registered exit out of its hook; returns whether it was armed (then the hook needs a rebuild). */
export function removeExit(state: HookState, exit: ExitImpl): boolean {
  const wasArmed = exit._armed;
  state.exits.splice(state.exits.indexOf(exit), 1);
  state.names.delete(exit.name);
  if ((exit.order === 'first' || exit.order === 'last' || exit.order === 'only') && state.holders[exit.order] === exit) {
    state.holders[exit.order] = undefined;
  }
  state.view = null;
  exit._drop();
  return wasArmed;
}

/** Drops every exit: the hook's end (the caller rebuilds). */
export function dropAll(state: HookState): void {
  for (const exit of state.exits) exit._drop();
  state.exits.length = 0;
  state.names.clear();
  state.holders.first = state.holders.last = state.holders.only = undefined;
  state.view = null;
}

/**
 * Recompiles the dispatcher for the armed exits and swaps it in. Changes reach it only through
 * `transaction.ts`, which checks them first and calls it once per changed hook.
 */
export function rebuild(state: HookState): void {
  const armed = state.exits.filter((e) => e._armed);
  state.armed = armed;
  if (armed.length === 0) {
    if (Object.getPrototypeOf(state.hook) !== state.idleProto) Object.setPrototypeOf(state.hook, state.idleProto);
  } else {
    const proto = (state.armedProto ??= makeProto(state.methods, noop, true, true) as { fire: Dispatcher });
    proto.fire = state.config.onArmedChange === undefined ? compileDispatcher(planFor(state, armed), state.factories) : idleFire(state.kind);
    if (Object.getPrototypeOf(state.hook) !== proto) Object.setPrototypeOf(state.hook, proto);
  }
  state.config.onArmedChange?.(armed);
}

/** What the compilers need to build this hook's dispatcher for `armed`. */
export function planFor(state: HookState, armed: readonly ExitImpl[]): DispatchPlan {
  return {
    hookName: state.name,
    kind: state.kind,
    isolate: state.config.isolate,
    arity: state.config.args === null ? null : state.config.args.length,
    exits: armed,
    fault: state.fault,
    tracker: state.registry._tracker,
  };
}

/** The hook as plain JSON. */
export function snapshotOf(state: HookState): HookSnapshot {
  const { config } = state;
  const snap: HookSnapshot = {
    name: state.name,
    kind: state.kind.name,
    enabled: state.armed.length > 0,
    sealed: state.sealed,
    exclusive: config.exclusive,
    faults: config.isolate ? 'isolate' : 'propagate',
    args: config.args === null ? null : [...config.args],
    exits: state.exits.map((e) => ({ name: e.name, order: e.order, armed: e._armed, hits: e.stats.hits, faults: e.stats.faults })),
  };
  if (config.description !== undefined) snap.description = config.description;
  if (config.meta !== undefined) snap.meta = { ...config.meta };
  return snap;
}

export function terminatedError(name: string): HookError {
  return new HookError('ERR_HOOK_TERMINATED', `hook "${name}" was terminated`);
}
