import type { ExitImpl, InflightTracker, RegistryImpl } from '../core/internal.ts';
import type { Classification } from './classify.ts';
import { ProbeContext } from './context.ts';
import { resumable, scopedIterator, type CallScope, type ScopeExit } from './scope.ts';
import { guard as ownGuard } from './own-code.ts';
import type { Tally } from './tally.ts';

export { asHookwire } from './own-code.ts';

/** The guard (own-code.ts), held here as a constant of this module as the wrappers always read it. */
export const guard = ownGuard;

/** A probe's counters as the wrappers update them (the exit's own stats object, plus `missed`). */
export interface MutableProbeStats {
  hits: number;
  faults: number;
  missed: number;
}

/** One armed probe, as a wrapper sees it: its exit, counters and handlers. */
export interface ArmedProbe {
  readonly exit: ExitImpl;
  readonly stats: MutableProbeStats;
  /** The handlers object: handlers are called with it as `this`. */
  readonly handlers: object;
  readonly enter: ((ctx: ProbeContext) => unknown) | undefined;
  readonly leave: ((ctx: ProbeContext, result: unknown) => unknown) | undefined;
  readonly error: ((ctx: ProbeContext, error: unknown) => unknown) | undefined;
  /** Its handlers read the call's timestamps (`ProbeHandlers.timed`). */
  readonly timed: boolean;
  /**
   * Counters the wrapper keeps for it in place of its handlers (tally.ts): hits where the probe's
   * own hit is counted, errors where its onError would have run (in running order, so an earlier
   * probe's recovery is seen the same way). Its enter/leave/error are then undefined.
   */
  readonly tally?: Tally | undefined;
  /** Its call scope (scope.ts), run right around the original's synchronous run; undefined for most probes. */
  readonly scope?: CallScope | undefined;
}

/**
 * A compiled wrapper's liveness. A wrapper is compiled for one armed set; when the set changes the
 * old wrapper's cell dies, and calls that still reach it (a reference someone kept) are forwarded
 * to whatever the function's slot runs now.
 */
export interface Cell {
  live: boolean;
  /** The wrapper this cell belongs to (set once it is built). */
  self: Function | null;
}

/** Everything a wrapper (compiled or generic) needs: the target, its armed probes, the runtime. */
export interface WrapperPlan {
  readonly hookName: string;
  readonly orig: Function;
  readonly cls: Classification;
  readonly probes: readonly ArmedProbe[];
  readonly cell: Cell;
  readonly registry: RegistryImpl;
  readonly tracker: InflightTracker;
  /** What the function's slot runs now: the current wrapper, or the original when none is armed. */
  readonly current: () => Function;
  /** For generator kinds: a generator function (prototype = the original's) that delegates and then leaves. */
  readonly delegate: ((inner: unknown, finish: (ok: boolean, value: unknown) => unknown) => unknown) | null;
  /** Whether any armed probe has onLeave or onError, or a tally (else the result is passed through untouched). */
  readonly leaves: boolean;
  /** Whether any armed probe reads the timestamps: only then is the clock read around the original. */
  readonly timed: boolean;
  /** Whether any armed probe has a call scope (scope.ts): only then do the wrappers open one. */
  readonly scoped: boolean;
}

const perf = (globalThis as { performance?: { now(): number } }).performance;
// Taken once, at load: a probe the program puts on `performance.now` or `queueMicrotask` later must
// not be reached from a wrapper's own path (a timed probe on the clock would time itself for ever).
const perfNow: () => number = perf !== undefined ? perf.now.bind(perf) : Date.now;
const enqueue: (fn: () => void) => void = queueMicrotask;

/**
 * The probe's clock (monotonic ms). Read right before and right after the original call, never
 * around a handler, so a duration measures the probed function only, whatever exits share the site.
 */
export const now: () => number = () => perfNow();

/** Gives every probe's context of one call the same timestamps, taken around the original only. */
export function stamp(ctxs: readonly ProbeContext[], start: number, end: number): void {
  for (let i = 0; i < ctxs.length; i++) {
    const c = ctxs[i]!;
    c.startMs = start;
    c.endMs = end;
  }
}

/** Marks a call's contexts as ended now, at its settlement or completion. */
function settledNow(ctxs: readonly ProbeContext[]): void {
  const end = now();
  for (let i = 0; i < ctxs.length; i++) {
    const c = ctxs[i]!;
    c.endMs = end;
    c.settled = true;
  }
}

/** Whether a check of the guard is queued (at most one at a time). */
let guardCheckQueued = false;

/**
 * The guard's safety net. Handlers run synchronously and nothing between raising and lowering the
 * guard can throw, so it is down again by the next microtask. A missed hit queues one check:
 * should the guard still be up then, it is lowered and the problem reported, so probes never stay
 * switched off silently.
 */
function queueGuardCheck(plan: WrapperPlan): void {
  if (guardCheckQueued) return;
  guardCheckQueued = true;
  enqueue(() => {
    guardCheckQueued = false;
    if (guard.depth === 0) return;
    const depth = guard.depth;
    guard.depth = 0;
    guard.own = 0;
    plan.registry._reportFault(plan.hookName, '(guard)', new Error(`probe recursion guard was left raised (depth ${depth}); lowered again`));
  });
}

/** Counts and reports a contained handler fault. Never throws. */
export function fault(plan: WrapperPlan, probe: ArmedProbe, error: unknown): void {
  probe.stats.faults++;
  plan.registry._reportFault(plan.hookName, probe.exit.name, error);
}

/**
 * The slow path of every wrapper: a call that reached a retired wrapper (forwarded to the current
 * one), or one made while a probe handler runs (runs the original unprobed, counted as missed).
 */
export function detour(plan: WrapperPlan, thisArg: unknown, newTarget: Function | undefined, args: unknown[]): unknown {
  const cell = plan.cell;
  let fn: Function;
  if (!cell.live) {
    fn = plan.current();
    // Called while its own replacement is being built: the slot still holds this wrapper.
    if (fn === cell.self) fn = plan.orig;
  } else {
    if (guard.own === 0) {
      for (const p of plan.probes) p.stats.missed++;
      queueGuardCheck(plan);
    }
    fn = plan.orig;
  }
  if (newTarget === undefined) return Reflect.apply(fn, thisArg, args);
  return Reflect.construct(fn, args, newTarget === cell.self ? fn : newTarget);
}

/** Reads an onEnter return: 1 = `{ value }`, 2 = `{ error }`, 0 = anything else. */
export function overrideKind(o: unknown): 0 | 1 | 2 {
  if (typeof o !== 'object' || o === null) return 0;
  if ('error' in o) return 2;
  if ('value' in o) return 1;
  return 0;
}

/** Whether an onError return recovers: `{ value }`. */
export function recovers(v: unknown): v is { value: unknown } {
  return typeof v === 'object' && v !== null && 'value' in v;
}

/**
 * Runs the leave handlers of every armed probe in order, as a state machine: while the call is ok,
 * onLeave may replace the result; while it failed, onError may recover with `{ value }`.
 * Returns the final result or throws the final error.
 *
 * `late`: the call returned long ago (a generator completing). A generator can stay suspended for
 * ever, so it does not hold `synchronize()` back; instead its leave phase skips the probes that were
 * disarmed or removed meanwhile, so that after `synchronize()` a disarmed probe never runs again.
 */
export function leaveAll(plan: WrapperPlan, ctxs: readonly ProbeContext[], ok: boolean, value: unknown, late = false): unknown {
  const probes = plan.probes;
  guard.depth++;
  // The guard comes down even when the stack overflows at a loop's back edge (outside any try).
  try {
    for (let i = 0; i < probes.length; i++) {
      const p = probes[i]!;
      const ctx = ctxs[i]!;
      if (late && !p.exit._armed) continue;
      if (p.tally !== undefined) {
        if (!ok) p.tally.errors++;
      } else if (ok) {
        if (p.leave !== undefined) {
          try {
            const v = p.leave.call(p.handlers, ctx, value);
            if (v !== undefined) value = v;
          } catch (error) {
            try {
              fault(plan, p, error);
            } catch {
              // fault() overflowed the stack: uncounted, but the guard still comes down (see guard).
            }
          }
        }
      } else if (p.error !== undefined) {
        try {
          const v = p.error.call(p.handlers, ctx, value);
          if (recovers(v)) {
            ok = true;
            value = v.value;
          }
        } catch (error) {
          try {
            fault(plan, p, error);
          } catch {
            // fault() overflowed the stack: uncounted, but the guard still comes down (see guard).
          }
        }
      }
    }
  } finally {
    guard.depth--;
  }
  if (ok) return value;
  throw value;
}

/**
 * The result of a call to an async target: the original's promise itself when no probe leaves
 * (identity kept), else a promise that settles after the leave handlers ran on its outcome. The
 * settlement joins the registry's epoch, so `synchronize()` waits for it.
 */
export function settleAsync(plan: WrapperPlan, ctxs: readonly ProbeContext[], ok: boolean, value: unknown): unknown {
  // The original rejected with whatever it threw: pass exactly that on, Error or not.
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
  const promise = ok ? value : Promise.reject(value);
  if (!plan.leaves) return promise;
  const t = plan.tracker.current;
  t.n++;
  const finish = (good: boolean, v: unknown): unknown => {
    if (plan.timed) settledNow(ctxs);
    try {
      return leaveAll(plan, ctxs, good, v);
    } finally {
      if (--t.n === 0 && t.done !== null) t.done();
    }
  };
  return Promise.resolve(promise).then(
    (v) => finish(true, v),
    (e) => finish(false, e),
  );
}

/**
 * The result of a call to a generator target: when some probe leaves, a generator that delegates
 * to the original's iterator (`yield*`, so next/throw/return pass through) and runs the leave
 * handlers at completion. Its prototype is the original's, so `instanceof` still holds.
 */
export function settleGenerator(plan: WrapperPlan, ctxs: readonly ProbeContext[], ok: boolean, value: unknown): unknown {
  if (!ok || !(plan.leaves || plan.scoped) || plan.delegate === null || !iterable(value, plan.cls.kind === 'asyncGenerator')) {
    return leaveAll(plan, ctxs, ok, value);
  }
  // With a call scope, each resumption of the original runs inside it (skipping probes disarmed
  // since the call, as the late leave phase does).
  const inner =
    plan.scoped && resumable(value)
      ? scopedIterator(
          value,
          () => openScopes(plan, ctxs, true),
          (u) => closeScopes(plan, u),
        )
      : value;
  return plan.delegate(inner, (good, v) => {
    if (plan.timed) settledNow(ctxs);
    return leaveAll(plan, ctxs, good, v, true);
  });
}

/** Whether `value` is an iterator a generator wrapper can delegate to (an onEnter override may be anything). */
function iterable(value: unknown, async: boolean): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const method = (value as Record<symbol, unknown>)[async ? Symbol.asyncIterator : Symbol.iterator];
  return typeof method === 'function';
}

/** Makes the delegating generator function for a generator or async generator target. */
export function makeDelegate(cls: Classification, orig: Function): WrapperPlan['delegate'] {
  if (!cls.generator) return null;
  const delegate =
    cls.kind === 'asyncGenerator'
      ? async function* probed(inner: AsyncIterable<unknown>, finish: (ok: boolean, v: unknown) => unknown) {
          let settled = false;
          try {
            const r: unknown = yield* inner as AsyncGenerator<unknown, unknown>;
            settled = true;
            return finish(true, r);
          } catch (error) {
            if (settled) throw error;
            settled = true;
            return finish(false, error);
          } finally {
            if (!settled) finish(true, undefined);
          }
        }
      : function* probed(inner: Iterable<unknown>, finish: (ok: boolean, v: unknown) => unknown) {
          let settled = false;
          try {
            const r: unknown = yield* inner as Generator<unknown, unknown>;
            settled = true;
            return finish(true, r);
          } catch (error) {
            if (settled) throw error;
            settled = true;
            return finish(false, error);
          } finally {
            if (!settled) finish(true, undefined);
          }
        };
  if (Object.prototype.hasOwnProperty.call(orig, 'prototype')) {
    (delegate as { prototype: unknown }).prototype = (orig as { prototype: unknown }).prototype;
  }
  return delegate as unknown as WrapperPlan['delegate'];
}

/**
 * One context per armed probe of a call, then each probe's hit counted: counted once the contexts
 * exist, so a stack overflow in making them is no hit (and no error). `nt` is `new.target` as the
 * original sees it (undefined for a plain call).
 */
function countedContexts(plan: WrapperPlan, thisArg: unknown, nt: Function | undefined, args: unknown[]): ProbeContext[] {
  const probes = plan.probes;
  const n = probes.length;
  const ctxs = new Array<ProbeContext>(n);
  for (let i = 0; i < n; i++) ctxs[i] = new ProbeContext(args, nt === undefined ? thisArg : undefined, nt, plan.hookName);
  for (let i = 0; i < n; i++) {
    const p = probes[i]!;
    p.stats.hits++;
    if (p.tally !== undefined) p.tally.hits++;
  }
  return ctxs;
}

/**
 * The generic engine: runs one call through the armed probes with loops. Used by the generic
 * (Proxy) wrapper and by the eval-free closure wrappers; the compiled wrapper is its unrolled form.
 */
export function runProbed(plan: WrapperPlan, thisArg: unknown, newTarget: Function | undefined, args: unknown[]): unknown {
  if (plan.cell.live === false || guard.depth !== 0) return detour(plan, thisArg, newTarget, args);
  const probes = plan.probes;
  const n = probes.length;
  const nt = newTarget === undefined ? undefined : newTarget === plan.cell.self ? plan.orig : newTarget;
  const ctxs = countedContexts(plan, thisArg, nt, args);
  let o: unknown;
  let ov: 0 | 1 | 2 = 0;
  guard.depth++;
  // The guard comes down even when the stack overflows at a loop's back edge (outside any try).
  try {
    for (let i = 0; i < n; i++) {
      const p = probes[i]!;
      if (p.enter === undefined) continue;
      try {
        const v = p.enter.call(p.handlers, ctxs[i]!);
        if (ov === 0 && v !== undefined) {
          ov = overrideKind(v);
          o = v;
        }
      } catch (error) {
        try {
          fault(plan, p, error);
        } catch {
          // fault() overflowed the stack: uncounted, but the guard still comes down (see guard).
        }
      }
    }
  } finally {
    guard.depth--;
  }
  let ok = true;
  let r: unknown;
  if (ov === 1) r = plan.cls.async ? Promise.resolve((o as { value: unknown }).value) : (o as { value: unknown }).value;
  else if (ov === 2) {
    ok = false;
    r = (o as { error: unknown }).error;
  } else {
    // Stamped only when a probe reads them (ProbeHandlers.timed; see stamp).
    const t0 = plan.timed ? now() : NaN;
    try {
      r = nt === undefined ? Reflect.apply(plan.orig, thisArg, args) : Reflect.construct(plan.orig, args, nt);
    } catch (error) {
      ok = false;
      r = error;
    }
    if (plan.timed) stamp(ctxs, t0, now());
  }
  return finish(plan, ctxs, ok, r);
}

/** The end of a probed call once its outcome is known: settles, or runs the leave phase. */
export function finish(plan: WrapperPlan, ctxs: readonly ProbeContext[], ok: boolean, r: unknown): unknown {
  if (plan.cls.async) return settleAsync(plan, ctxs, ok, r);
  if (plan.cls.generator) return settleGenerator(plan, ctxs, ok, r);
  if (!plan.leaves) {
    if (ok) return r;
    throw r;
  }
  return leaveAll(plan, ctxs, ok, r);
}

/**
 * The enter phase of a timed compiled wrapper, out of line: every probe's onEnter in running order
 * (the first `{ value }`/`{ error }` return overrides the call), then the start stamp. The clock
 * and the handlers (the timed exits' work) are what made such a wrapper too big for the JIT to
 * inline into its caller, so that a recursion paid two frames per level; kept here, the wrapper
 * stays small and only the context array is live across the original's call. Returns the override.
 */
export function enterPhase(plan: WrapperPlan, ctxs: readonly ProbeContext[]): unknown {
  const probes = plan.probes;
  let o: unknown;
  guard.depth++;
  // A phase is out of line (never inlined), so try/finally costs the wrapper nothing here; it
  // lowers the guard even when the stack overflows at the loop's back edge (V8's interrupt check
  // there can throw RangeError, outside any handler's try: seen on Node 24 in closure mode).
  try {
    for (let i = 0; i < probes.length; i++) {
      const p = probes[i]!;
      if (p.enter === undefined) continue;
      try {
        const v = p.enter.call(p.handlers, ctxs[i]!);
        if (o === undefined && v !== undefined && overrideKind(v) !== 0) o = v;
      } catch (error) {
        try {
          fault(plan, p, error);
        } catch {
          // fault() overflowed the stack: uncounted, but the guard still comes down (see guard).
        }
      }
    }
    // Ballast, never run: V8 inlines no function whose bytecode is over 460 bytes (Node 20-24), and
    // this phase must stay out of the wrapper, whose frame would otherwise be sized for it.
    // prettier-ignore
    if (ctxs.length < 0) o = [o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o, o];
  } finally {
    guard.depth--;
  }
  if (o === undefined && plan.timed) {
    const start = now();
    for (let i = 0; i < ctxs.length; i++) ctxs[i]!.startMs = start;
  }
  return o;
}

/**
 * The leave phase of a timed compiled wrapper whose original returned, out of line (see
 * {@link enterPhase}): the end stamp first, then every onLeave in running order. Returns the result.
 */
export function leavePhase(plan: WrapperPlan, ctxs: readonly ProbeContext[], result: unknown): unknown {
  if (plan.timed) {
    const end = now();
    for (let i = 0; i < ctxs.length; i++) ctxs[i]!.endMs = end;
  }
  const probes = plan.probes;
  guard.depth++;
  // try/finally as in enterPhase: the guard comes down whatever overflows.
  try {
    for (let i = 0; i < probes.length; i++) {
      const p = probes[i]!;
      if (p.leave === undefined) continue;
      try {
        const v = p.leave.call(p.handlers, ctxs[i]!, result);
        if (v !== undefined) result = v;
      } catch (error) {
        try {
          fault(plan, p, error);
        } catch {
          // as above
        }
      }
    }
    // Ballast, never run: V8 inlines no function whose bytecode is over 460 bytes (Node 20-24), and
    // this phase must stay out of the wrapper, whose frame would otherwise be sized for it.
    // prettier-ignore
    if (ctxs.length < 0) result = [result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result, result];
  } finally {
    guard.depth--;
  }
  return result;
}

/**
 * The rest of a call whose onEnter overrode it (`o` is `{ value }` or `{ error }`): the original
 * does not run. Out of line for the compiled wrapper, which keeps only the common path inline.
 */
export function resume(plan: WrapperPlan, ctxs: readonly ProbeContext[], o: unknown): unknown {
  if (overrideKind(o) === 1) {
    const value = (o as { value: unknown }).value;
    return finish(plan, ctxs, true, plan.cls.async ? Promise.resolve(value) : value);
  }
  return finish(plan, ctxs, false, (o as { error: unknown }).error);
}

/**
 * The rest of a synchronous call whose original threw: stamps the end (when the call was timed,
 * from `t0`) and runs the leave phase, where onError may recover. Out of line for the compiled wrapper.
 */
export function failed(plan: WrapperPlan, ctxs: readonly ProbeContext[], error: unknown, t0?: number): unknown {
  if (t0 !== undefined) stamp(ctxs, t0, now());
  return leaveAll(plan, ctxs, false, error);
}

/**
 * The generic engine specialised for the common case of one armed probe (closure mode): no
 * context array, no loops, and the original's exception passes untouched when the probe has no
 * onError.
 */
export function runSingle(plan: WrapperPlan, thisArg: unknown, newTarget: Function | undefined, args: unknown[]): unknown {
  if (plan.cell.live === false || guard.depth !== 0) return detour(plan, thisArg, newTarget, args);
  const p = plan.probes[0]!;
  const nt = newTarget === undefined ? undefined : newTarget === plan.cell.self ? plan.orig : newTarget;
  // A construct call has no `this` to report (a function wrapper's fresh receiver is never used).
  const ctx = new ProbeContext(args, nt === undefined ? thisArg : undefined, nt, plan.hookName);
  // Counted once the context exists: a stack overflow in making it is no hit (and no error).
  p.stats.hits++;
  const tally = p.tally;
  if (tally !== undefined) tally.hits++;
  let o: unknown;
  let ov: 0 | 1 | 2 = 0;
  if (p.enter !== undefined) {
    guard.depth++;
    try {
      const v = p.enter.call(p.handlers, ctx);
      if (v !== undefined) {
        ov = overrideKind(v);
        o = v;
      }
    } catch (error) {
      try {
        fault(plan, p, error);
      } catch {
        // fault() overflowed the stack: uncounted, but the guard still comes down (see guard).
      }
    }
    guard.depth--;
  }
  const cls = plan.cls;
  let ok = true;
  let r: unknown;
  if (ov === 1) r = cls.async ? Promise.resolve((o as { value: unknown }).value) : (o as { value: unknown }).value;
  else if (ov === 2) {
    ok = false;
    r = (o as { error: unknown }).error;
  } else if (p.error === undefined && tally === undefined && !cls.async && !cls.generator) {
    if (!p.timed) r = nt === undefined ? Reflect.apply(plan.orig, thisArg, args) : Reflect.construct(plan.orig, args, nt);
    else {
      const t0 = now();
      r = nt === undefined ? Reflect.apply(plan.orig, thisArg, args) : Reflect.construct(plan.orig, args, nt);
      const t1 = now();
      ctx.startMs = t0;
      ctx.endMs = t1;
    }
  } else {
    // This branch has an onError or a tally, or settles; the stamps only when the probe reads them.
    const t0 = p.timed ? now() : NaN;
    try {
      r = nt === undefined ? Reflect.apply(plan.orig, thisArg, args) : Reflect.construct(plan.orig, args, nt);
    } catch (error) {
      ok = false;
      r = error;
    }
    if (p.timed) {
      ctx.startMs = t0;
      ctx.endMs = now();
    }
  }
  if (cls.async) return settleAsync(plan, [ctx], ok, r);
  if (cls.generator) return settleGenerator(plan, [ctx], ok, r);
  if (ok) {
    if (p.leave === undefined) return r;
  } else if (tally !== undefined) {
    tally.errors++;
    throw r;
  } else if (p.error === undefined) throw r;
  return leaveAll(plan, [ctx], ok, r);
}

/**
 * Opens the call scopes (scope.ts) of the armed probes, in running order, right before the
 * original runs: its call, or (`late`) a generator's resumption, when probes disarmed since the
 * call are skipped. Returns what {@link closeScopes} disposes of (undefined when no scope gave
 * anything). Out of line, so try/finally costs no wrapper anything; a scope's exception is a fault.
 */
export function openScopes(plan: WrapperPlan, ctxs: readonly ProbeContext[], late = false): (ScopeExit | undefined)[] | undefined {
  const probes = plan.probes;
  let exits: (ScopeExit | undefined)[] | undefined;
  guard.depth++;
  try {
    for (let i = 0; i < probes.length; i++) {
      const p = probes[i]!;
      if (p.scope === undefined || (late && !p.exit._armed)) continue;
      try {
        const x = p.scope.call(p.handlers, ctxs[i]!);
        if (x !== undefined && x !== null) (exits ??= new Array<ScopeExit | undefined>(probes.length))[i] = x;
      } catch (error) {
        try {
          fault(plan, p, error);
        } catch {
          // fault() overflowed the stack: uncounted, but the guard still comes down (see guard).
        }
      }
    }
  } finally {
    guard.depth--;
  }
  return exits;
}

/** Closes what {@link openScopes} opened, in reverse running order, right after the original returned or threw. */
export function closeScopes(plan: WrapperPlan, exits: (ScopeExit | undefined)[] | undefined): void {
  if (exits === undefined) return;
  guard.depth++;
  try {
    for (let i = exits.length - 1; i >= 0; i--) {
      const x = exits[i];
      if (x === undefined) continue;
      try {
        x.dispose();
      } catch (error) {
        try {
          fault(plan, plan.probes[i]!, error);
        } catch {
          // as in openScopes
        }
      }
    }
  } finally {
    guard.depth--;
  }
}

/**
 * The generic engine for a set of probes of which some has a call scope (closure mode and the
 * generic wrapper; the compiled wrapper inlines the same steps): the enter phase, the scopes
 * opened, the original (the clock read right around it), the scopes closed, then the end
 * (settlement, or the leave phase). Probes without a scope never run through here.
 */
export function runScoped(plan: WrapperPlan, thisArg: unknown, newTarget: Function | undefined, args: unknown[]): unknown {
  if (plan.cell.live === false || guard.depth !== 0) return detour(plan, thisArg, newTarget, args);
  const nt = newTarget === undefined ? undefined : newTarget === plan.cell.self ? plan.orig : newTarget;
  const ctxs = countedContexts(plan, thisArg, nt, args);
  // enterPhase's own start stamp is taken again below, after the scopes opened.
  const o = enterPhase(plan, ctxs);
  if (o !== undefined) return resume(plan, ctxs, o);
  const exits = openScopes(plan, ctxs);
  const t0 = plan.timed ? now() : NaN;
  let ok = true;
  let r: unknown;
  try {
    r = nt === undefined ? Reflect.apply(plan.orig, thisArg, args) : Reflect.construct(plan.orig, args, nt);
  } catch (error) {
    ok = false;
    r = error;
  }
  if (plan.timed) stamp(ctxs, t0, now());
  closeScopes(plan, exits);
  return finish(plan, ctxs, ok, r);
}
