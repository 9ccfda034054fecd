import { codeGenerationEnabled, compileDispatcher, type FactoryCache } from './compile/index.ts';
import type { Dispatcher, DispatchPlan, PlannedExit } from './compile/plan.ts';
import { HookError } from './errors.ts';
import type { ExitImpl } from './exit.ts';
import { DispatchCount, countsDispatches } from './hit-counts.ts';
import type { Kind } from './kinds.ts';
import { compareOrder, type OrderHolders } from './order.ts';
import { madeFast, stateProto } from './prototypes.ts';
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
 * Everything a hook knows and changes, kept apart from the hook object the site holds. The hook
 * object inherits from its own switch, whose prototype arming sets (the V8 reasons:
 * ARCHITECTURE.md, "Why arming swaps a prototype (V8)"); the control path reads and writes this
 * state and never the site's object.
 */
export class HookState {
  /** The object sites hold (it inherits from `switch`, whose prototype arming sets). */
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
  /** The switch's prototype while nothing is armed: `fire` idle, `enabled` false. */
  readonly idleProto: object;
  /** The object the hook inherits from; arming sets its prototype (idle, or a fresh armed state). */
  readonly switch: object;
  /** The armed state of a hook whose layer dispatches by itself: `fire` idle, `enabled` true. Made once. */
  enabledProto: object | null = null;
  /**
   * The most recent armed states, by armed-exit list: toggling back to a set armed before reuses
   * its state (a set-up state costs a few microseconds to make; switching to one, a fraction).
   */
  states: ArmedState[] = [];
  /**
   * A hook declared without `args`: how many arguments its first dispatch got (its dispatchers are
   * then specialised for that count), or null until one ran; -1 when it passed more than 8 (rest
   * parameters from then on). Learnt once.
   */
  arity: number | null = null;
  /** What the hook's prototypes inherit: the facade class's methods. */
  readonly methods: object;
  /** The counts of its kept dispatchers (hit-counts.ts): made with the first dispatcher that counts. */
  counts: Set<DispatchCount> | null = null;
  /** State objects dropped while the switch still stood on them: let go by the next rebuild (see dropState). */
  dropped: object[] | null = null;
  /** Counts and reports a contained fault of one of this hook's exits. */
  readonly fault: (exit: PlannedExit, error: unknown) => void;

  constructor(hook: object, registry: RegistryImpl, kind: Kind, name: string, config: HookConfig) {
    this.hook = hook;
    this.name = name;
    this.kind = kind;
    this.registry = registry;
    this.config = config;
    this.methods = Object.getPrototypeOf(hook) as object;
    this.idleProto = stateProto(this.methods, idleFire(kind), false);
    this.switch = Object.create(this.idleProto) as object;
    this.fault = (exit, error) => {
      exit._counter.faults++;
      registry._reportFault(name, (exit as ExitImpl).name, error);
    };
    Object.setPrototypeOf(hook, this.switch); // once: the hook's hidden class never changes again
  }
}

/** An armed state kept for reuse: the exits it dispatches to, and the mode its dispatcher was built in. */
interface ArmedState {
  readonly exits: readonly ExitImpl[];
  readonly codegen: boolean;
  readonly arity: number | null;
  proto: object;
  /** Its dispatcher's count (hit-counts.ts), folded when the state is dropped. */
  count: DispatchCount | null;
}
/** The most arguments a dispatcher is specialised for without declared `args`. */
const MAX_LEARNED_ARITY = 8;
/** Armed states kept per hook: toggling alternates between two sets (k and k+1 exits, or one set and idle). */
const STATES_KEPT = 2;

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
  forgetStates(state, exit);
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
  for (const k of state.states) dropState(state, k);
  state.states = [];
}

/** Drops the kept states that dispatch to a removed exit (they would keep its function alive). */
function forgetStates(state: HookState, exit: ExitImpl): void {
  const kept = state.states.filter((k) => !k.exits.includes(exit));
  if (kept.length === state.states.length) return;
  for (const k of state.states) if (!kept.includes(k)) dropState(state, k);
  state.states = kept;
}

/**
 * Recompiles the dispatcher for the armed exits and switches it in: a fresh armed state above the
 * hook's switch, so that its `fire` is never rewritten (a rewritten field is no longer a constant
 * to V8). Changes reach it only through `transaction.ts`, which checks them first and calls it once
 * per changed hook.
 */
export function rebuild(state: HookState): void {
  const armed = state.exits.filter((e) => e._armed);
  state.armed = armed;
  let next: object;
  if (armed.length === 0) next = state.idleProto;
  else if (state.config.onArmedChange !== undefined) next = state.enabledProto ??= madeFast(stateProto(state.methods, idleFire(state.kind), true));
  else next = armedState(state, armed);
  if (Object.getPrototypeOf(state.switch) !== next) Object.setPrototypeOf(state.switch, next);
  if (state.dropped !== null) {
    // A dropped state is never `next` (it left `states`); the test only keeps a slip from
    // emptying the switch's own prototype chain.
    for (const proto of state.dropped) if (proto !== next) letGo(proto);
    state.dropped = null;
  }
  state.config.onArmedChange?.(armed);
}

/**
 * Drops a kept state: its count goes into its exits (hit-counts.ts), and its state object is let
 * go at once, or by the next rebuild if the switch still stands on it (learned() moves the switch
 * without a rebuild: what it drops waits for the next).
 */
function dropState(state: HookState, k: ArmedState): void {
  k.count?.fold();
  if (Object.getPrototypeOf(state.switch) === k.proto) (state.dropped ??= []).push(k.proto);
  else letGo(k.proto);
}

/**
 * Takes a dropped state object off the facade's methods. Having been a prototype (of the switch),
 * its hidden class is listed among the users of the methods object (V8's prototype users, which
 * validity cells hang on), a list that reuses a slot only once a full GC has cleared it: a hook
 * whose exits came and went 1.5 million times held a list of 0.6-0.85 MiB there in a heap
 * snapshot (scripts/soak.ts's cycle, Node 24, one run in two; growing with the cycles). Changing
 * the object's prototype takes its class off the list at once.
 */
function letGo(proto: object): void {
  Object.setPrototypeOf(proto, null);
}

/** The armed state for `armed`: a kept one for the same exits, or a new one (then kept). */
function armedState(state: HookState, armed: readonly ExitImpl[]): object {
  const codegen = codeGenerationEnabled();
  const arity = state.arity;
  const states = state.states;
  for (let i = 0; i < states.length; i++) {
    const k = states[i]!;
    if (k.codegen === codegen && k.arity === arity && sameExits(k.exits, armed)) {
      if (i !== states.length - 1) states.push(states.splice(i, 1)[0]!); // most recently used last
      return k.proto;
    }
  }
  const entry: ArmedState = { exits: armed, codegen, arity, proto: state.idleProto, count: null };
  const learn = state.config.args === null && arity === null ? (n: number) => learned(state, entry, n) : null;
  entry.count = countsDispatches(state.kind) ? new DispatchCount((state.counts ??= new Set()), armed) : null;
  entry.proto = madeFast(stateProto(state.methods, compileDispatcher(planFor(state, armed, learn, entry.count), state.factories), true));
  if (states.length >= STATES_KEPT) dropState(state, states.shift()!);
  states.push(entry);
  return entry.proto;
}

/**
 * The first dispatch of a hook declared without `args` says how many arguments its site passes:
 * the hook switches to a dispatcher specialised for that count, for the same exits (what this
 * dispatch runs is unchanged, and no armed flag is read: this may run inside a transaction).
 */
function learned(state: HookState, from: ArmedState, n: number): void {
  if (state.arity !== null) return;
  state.arity = n > MAX_LEARNED_ARITY ? -1 : n; // -1: rest parameters for good
  if (Object.getPrototypeOf(state.switch) === from.proto) Object.setPrototypeOf(state.switch, armedState(state, from.exits));
}

function ignore(): void {}

function sameExits(a: readonly ExitImpl[], b: readonly ExitImpl[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** What the compilers need to build this hook's dispatcher for `armed` (with `count`, its DispatchCount, when it counts once per dispatch). */
export function planFor(
  state: HookState,
  armed: readonly ExitImpl[],
  learn?: ((arity: number) => void) | null,
  count: DispatchCount | null = null,
): DispatchPlan {
  return {
    hookName: state.name,
    kind: state.kind,
    isolate: state.config.isolate,
    arity: state.config.args === null ? null : state.config.args.length,
    learnedArity: state.config.args === null && state.arity !== null && state.arity >= 0 ? state.arity : null,
    // source() shows what a new dispatcher would be: learning while the arity is unknown
    learn: learn !== undefined ? learn : state.config.args === null && state.arity === null ? ignore : null,
    exits: armed,
    count,
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
