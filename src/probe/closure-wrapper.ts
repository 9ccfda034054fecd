/* eslint-disable prefer-rest-params -- fixed-arity closures copy `arguments` only when the count differs */
import { ProbeContext } from './context.ts';
import {
  detour,
  enterPhase,
  failed,
  fault,
  guard,
  leavePhase,
  overrideKind,
  resume,
  runProbed as runAll,
  runScoped,
  runSingle,
  type WrapperPlan,
} from './engine.ts';
import type { Tally } from './tally.ts';

const apply = Reflect.apply;
const construct: (target: Function, args: ArrayLike<unknown>, newTarget?: Function) => object = Reflect.construct;

/**
 * The eval-free wrapper (runtimes that forbid `new Function`): a closure of the target's shape
 * (`function` for plain functions, a method otherwise) with a fixed arity up to 4 parameters and a
 * rest parameter beyond, running the loop-based engine. Handlers get exactly the arguments passed
 * (`arguments` is copied when their count differs from the declared one).
 */
export function closureWrapper(plan: WrapperPlan, shape: 'function' | 'method'): Function {
  const sync = !plan.cls.async && !plan.cls.generator;
  // A call scope (scope.ts) takes the engine that opens it; every other set keeps its own path.
  if (sync && !plan.scoped && plan.probes.every((p) => p.enter === undefined && p.leave === undefined && p.error === undefined)) {
    return countWrapper(plan, shape);
  }
  if (plan.probes.length === 1 && sync && !plan.scoped) return singleWrapper(plan, shape);
  const P = plan;
  const runProbed = plan.scoped ? runScoped : plan.probes.length === 1 ? runSingle : runAll;
  if (shape === 'function') {
    switch (plan.cls.arity) {
      case 0:
        return function (this: unknown) {
          return runProbed(P, this, new.target, arguments.length === 0 ? [] : slice(arguments));
        };
      case 1:
        return function (this: unknown, a0: unknown) {
          return runProbed(P, this, new.target, arguments.length === 1 ? [a0] : slice(arguments));
        };
      case 2:
        return function (this: unknown, a0: unknown, a1: unknown) {
          return runProbed(P, this, new.target, arguments.length === 2 ? [a0, a1] : slice(arguments));
        };
      case 3:
        return function (this: unknown, a0: unknown, a1: unknown, a2: unknown) {
          return runProbed(P, this, new.target, arguments.length === 3 ? [a0, a1, a2] : slice(arguments));
        };
      case 4:
        return function (this: unknown, a0: unknown, a1: unknown, a2: unknown, a3: unknown) {
          return runProbed(P, this, new.target, arguments.length === 4 ? [a0, a1, a2, a3] : slice(arguments));
        };
      default:
        return function (this: unknown, ...args: unknown[]) {
          return runProbed(P, this, new.target, args);
        };
    }
  }
  switch (plan.cls.arity) {
    case 0:
      return {
        w(this: unknown) {
          return runProbed(P, this, undefined, arguments.length === 0 ? [] : slice(arguments));
        },
      }.w;
    case 1:
      return {
        w(this: unknown, a0: unknown) {
          return runProbed(P, this, undefined, arguments.length === 1 ? [a0] : slice(arguments));
        },
      }.w;
    case 2:
      return {
        w(this: unknown, a0: unknown, a1: unknown) {
          return runProbed(P, this, undefined, arguments.length === 2 ? [a0, a1] : slice(arguments));
        },
      }.w;
    case 3:
      return {
        w(this: unknown, a0: unknown, a1: unknown, a2: unknown) {
          return runProbed(P, this, undefined, arguments.length === 3 ? [a0, a1, a2] : slice(arguments));
        },
      }.w;
    case 4:
      return {
        w(this: unknown, a0: unknown, a1: unknown, a2: unknown, a3: unknown) {
          return runProbed(P, this, undefined, arguments.length === 4 ? [a0, a1, a2, a3] : slice(arguments));
        },
      }.w;
    default:
      return {
        w(this: unknown, ...args: unknown[]) {
          return runProbed(P, this, undefined, args);
        },
      }.w;
  }
}

/**
 * The eval-free wrapper of counting probes (no handlers, or a tally) on a synchronous function:
 * the compiled counting wrapper's closure twin, one small closure per arity up to 3 (a rest
 * parameter beyond, and for class constructors), so a call costs one small frame. Like the
 * compiled one it passes the declared parameters (the target reads nothing else: classify).
 */
function countWrapper(plan: WrapperPlan, shape: 'function' | 'method'): Function {
  const P = plan;
  const cell = plan.cell;
  const orig = plan.orig as (this: unknown, ...args: unknown[]) => unknown;
  const stats = plan.probes.map((p) => p.stats);
  const tallies = plan.probes.flatMap((p): Tally[] => (p.tally === undefined ? [] : [p.tally]));
  // Out of line: nothing of the counting is live across the original's call. One probe (the
  // common case) without loops. Errors are counted inline in the catch: a call there could
  // overflow the stack where the original's own overflow is being passed on, and miss the count.
  const s0 = stats[0]!;
  const t0 = tallies[0];
  const hit =
    stats.length === 1
      ? t0 === undefined
        ? (): void => {
            s0.hits++;
          }
        : (): void => {
            s0.hits++;
            t0.hits++;
          }
      : (): void => {
          for (let i = 0; i < stats.length; i++) stats[i]!.hits++;
          for (let i = 0; i < tallies.length; i++) tallies[i]!.hits++;
        };
  const arity = plan.cls.passAll ? -1 : plan.cls.arity;
  if (shape === 'function') {
    switch (arity) {
      case 0:
        return function self(this: unknown) {
          if (cell.live === false || guard.depth !== 0) return detour(P, this, new.target, slice(arguments));
          hit();
          try {
            return new.target === undefined ? orig.call(this) : construct(orig, [], new.target === self ? orig : new.target);
          } catch (e) {
            for (let i = 0; i < tallies.length; i++) tallies[i]!.errors++;
            throw e;
          }
        };
      case 1:
        return function self(this: unknown, a0: unknown) {
          if (cell.live === false || guard.depth !== 0) return detour(P, this, new.target, slice(arguments));
          hit();
          try {
            return new.target === undefined ? orig.call(this, a0) : construct(orig, [a0], new.target === self ? orig : new.target);
          } catch (e) {
            for (let i = 0; i < tallies.length; i++) tallies[i]!.errors++;
            throw e;
          }
        };
      case 2:
        return function self(this: unknown, a0: unknown, a1: unknown) {
          if (cell.live === false || guard.depth !== 0) return detour(P, this, new.target, slice(arguments));
          hit();
          try {
            return new.target === undefined ? orig.call(this, a0, a1) : construct(orig, [a0, a1], new.target === self ? orig : new.target);
          } catch (e) {
            for (let i = 0; i < tallies.length; i++) tallies[i]!.errors++;
            throw e;
          }
        };
      case 3:
        return function self(this: unknown, a0: unknown, a1: unknown, a2: unknown) {
          if (cell.live === false || guard.depth !== 0) return detour(P, this, new.target, slice(arguments));
          hit();
          try {
            return new.target === undefined ? orig.call(this, a0, a1, a2) : construct(orig, [a0, a1, a2], new.target === self ? orig : new.target);
          } catch (e) {
            for (let i = 0; i < tallies.length; i++) tallies[i]!.errors++;
            throw e;
          }
        };
      default:
        return function self(this: unknown, ...args: unknown[]) {
          if (cell.live === false || guard.depth !== 0) return detour(P, this, new.target, args);
          hit();
          try {
            return new.target === undefined ? apply(orig, this, args) : construct(orig, args, new.target === self ? orig : new.target);
          } catch (e) {
            for (let i = 0; i < tallies.length; i++) tallies[i]!.errors++;
            throw e;
          }
        };
    }
  }
  switch (arity) {
    case 0:
      return {
        w(this: unknown) {
          if (cell.live === false || guard.depth !== 0) return detour(P, this, undefined, slice(arguments));
          hit();
          try {
            return orig.call(this);
          } catch (e) {
            for (let i = 0; i < tallies.length; i++) tallies[i]!.errors++;
            throw e;
          }
        },
      }.w;
    case 1:
      return {
        w(this: unknown, a0: unknown) {
          if (cell.live === false || guard.depth !== 0) return detour(P, this, undefined, slice(arguments));
          hit();
          try {
            return orig.call(this, a0);
          } catch (e) {
            for (let i = 0; i < tallies.length; i++) tallies[i]!.errors++;
            throw e;
          }
        },
      }.w;
    case 2:
      return {
        w(this: unknown, a0: unknown, a1: unknown) {
          if (cell.live === false || guard.depth !== 0) return detour(P, this, undefined, slice(arguments));
          hit();
          try {
            return orig.call(this, a0, a1);
          } catch (e) {
            for (let i = 0; i < tallies.length; i++) tallies[i]!.errors++;
            throw e;
          }
        },
      }.w;
    case 3:
      return {
        w(this: unknown, a0: unknown, a1: unknown, a2: unknown) {
          if (cell.live === false || guard.depth !== 0) return detour(P, this, undefined, slice(arguments));
          hit();
          try {
            return orig.call(this, a0, a1, a2);
          } catch (e) {
            for (let i = 0; i < tallies.length; i++) tallies[i]!.errors++;
            throw e;
          }
        },
      }.w;
    default:
      return {
        w(this: unknown, ...args: unknown[]) {
          if (cell.live === false || guard.depth !== 0) return detour(P, this, undefined, args);
          hit();
          try {
            return apply(orig, this, args);
          } catch (e) {
            for (let i = 0; i < tallies.length; i++) tallies[i]!.errors++;
            throw e;
          }
        },
      }.w;
  }
}

/**
 * One armed probe with handlers on a synchronous function, as the compiled wrapper runs it: an
 * untimed probe's onEnter and onLeave are called inline, between raising and lowering the recursion
 * guard, with nothing there that may throw (a fault is reported in a nested try: reporting may
 * overflow the stack too); a timed one runs its phases out
 * of line (engine.ts), which keeps the clock reads out of the wrapper. Overrides and errors leave
 * for the shared out-of-line code. Calling the phases for every probe measured 6.9x the unprobed
 * method where the compiled wrapper reads 1.05-1.08x (the probe case, closure mode).
 */
function singleWrapper(plan: WrapperPlan, shape: 'function' | 'method'): Function {
  const P = plan;
  const cell = plan.cell;
  const orig = plan.orig;
  const H = plan.hookName;
  const probe = plan.probes[0]!;
  const stats = probe.stats;
  const catches = probe.error !== undefined;
  if (plan.timed) return timedSingleWrapper(plan, shape);
  const handlers = probe.handlers;
  const enter = probe.enter;
  const leave = probe.leave;
  // Module bindings read on the call path are loaded and checked for their temporal dead zone at
  // every use; these `const`s are constants of the wrapper.
  const [call, make, g] = [apply, construct, guard];
  // Small closures the JIT inlines into the wrapper: the first onEnter return that is `{ value }`
  // or `{ error }` overrides the call; an onLeave return replaces the result.
  const onEnter =
    enter === undefined
      ? null
      : (c0: ProbeContext): unknown => {
          let o: unknown;
          g.depth++;
          try {
            const v = enter.call(handlers, c0);
            if (v !== undefined && overrideKind(v) !== 0) o = v;
          } catch (error) {
            // Inline, no call of ours: fault() may overflow the stack, and the guard must come down.
            try {
              fault(P, probe, error);
            } catch {
              // uncounted; the program's call goes on
            }
          }
          g.depth--;
          return o;
        };
  const onLeave =
    leave === undefined
      ? null
      : (c0: ProbeContext, r: unknown): unknown => {
          g.depth++;
          try {
            const v = leave.call(handlers, c0, r);
            if (v !== undefined) r = v;
          } catch (error) {
            // Inline, no call of ours: fault() may overflow the stack, and the guard must come down.
            try {
              fault(P, probe, error);
            } catch {
              // uncounted; the program's call goes on
            }
          }
          g.depth--;
          return r;
        };
  if (shape === 'method') {
    return {
      w(this: unknown, ...args: unknown[]): unknown {
        if (cell.live === false || g.depth !== 0) return detour(P, this, undefined, args);
        stats.hits++;
        const c0 = new ProbeContext(args, this, undefined, H);
        if (onEnter !== null) {
          const o = onEnter(c0);
          if (o !== undefined) return resume(P, [c0], o);
        }
        let r: unknown;
        if (catches) {
          try {
            r = call(orig, this, args);
          } catch (error) {
            return failed(P, [c0], error);
          }
        } else r = call(orig, this, args);
        return onLeave === null ? r : onLeave(c0, r);
      },
    }.w;
  }
  return function self(this: unknown, ...args: unknown[]): unknown {
    const nt: Function | undefined = new.target;
    if (cell.live === false || g.depth !== 0) return detour(P, this, nt, args);
    stats.hits++;
    const ntx = nt === undefined ? undefined : nt === self ? orig : nt;
    // A construct call has no `this` to report (the function shape's fresh receiver is never used).
    const c0 = new ProbeContext(args, ntx === undefined ? this : undefined, ntx, H);
    if (onEnter !== null) {
      const o = onEnter(c0);
      if (o !== undefined) return resume(P, [c0], o);
    }
    let r: unknown;
    if (catches) {
      try {
        r = ntx === undefined ? call(orig, this, args) : make(orig, args, ntx);
      } catch (error) {
        return failed(P, [c0], error);
      }
    } else r = ntx === undefined ? call(orig, this, args) : make(orig, args, ntx);
    return onLeave === null ? r : onLeave(c0, r);
  };
}

/** {@link singleWrapper} for a timed probe: its phases out of line. */
function timedSingleWrapper(plan: WrapperPlan, shape: 'function' | 'method'): Function {
  const P = plan;
  const cell = plan.cell;
  const orig = plan.orig;
  const H = plan.hookName;
  const stats = plan.probes[0]!.stats;
  const enters = plan.probes[0]!.enter !== undefined || plan.timed;
  const leaves = plan.probes[0]!.leave !== undefined;
  const catches = plan.probes[0]!.error !== undefined;
  if (shape === 'method') {
    return {
      w(this: unknown, ...args: unknown[]): unknown {
        if (cell.live === false || guard.depth !== 0) return detour(P, this, undefined, args);
        stats.hits++;
        const cs = [new ProbeContext(args, this, undefined, H)];
        if (enters) {
          const o = enterPhase(P, cs);
          if (o !== undefined) return resume(P, cs, o);
        }
        let r: unknown;
        if (catches) {
          try {
            r = apply(orig, this, args);
          } catch (e) {
            return failed(P, cs, e, P.timed ? cs[0]!.startMs : undefined);
          }
        } else r = apply(orig, this, args);
        return leaves ? leavePhase(P, cs, r) : r;
      },
    }.w;
  }
  return function self(this: unknown, ...args: unknown[]): unknown {
    const nt: Function | undefined = new.target;
    if (cell.live === false || guard.depth !== 0) return detour(P, this, nt, args);
    stats.hits++;
    const ntx = nt === undefined ? undefined : nt === self ? orig : nt;
    // A construct call has no `this` to report (the function shape's fresh receiver is never used).
    const cs = [new ProbeContext(args, ntx === undefined ? this : undefined, ntx, H)];
    if (enters) {
      const o = enterPhase(P, cs);
      if (o !== undefined) return resume(P, cs, o);
    }
    let r: unknown;
    if (catches) {
      try {
        r = ntx === undefined ? apply(orig, this, args) : construct(orig, args, ntx);
      } catch (e) {
        return failed(P, cs, e, P.timed ? cs[0]!.startMs : undefined);
      }
    } else r = ntx === undefined ? apply(orig, this, args) : construct(orig, args, ntx);
    return leaves ? leavePhase(P, cs, r) : r;
  };
}

/**
 * The generic wrapper, for what cannot be boosted (classes, bound and native functions, functions
 * that read `arguments` or have non-simple parameters): a Proxy of the original with `apply` and
 * `construct` traps. Everything else (own properties, `prototype`, `name`, `length`, the prototype
 * link, `instanceof`, static members) reaches the original unchanged.
 */
export function genericWrapper(plan: WrapperPlan): Function {
  const P = plan;
  const runProbed = plan.scoped ? runScoped : plan.probes.length === 1 ? runSingle : runAll;
  return new Proxy(plan.orig, {
    apply(_target, thisArg, args: unknown[]) {
      return runProbed(P, thisArg, undefined, args);
    },
    construct(_target, args: unknown[], newTarget: Function) {
      return runProbed(P, undefined, newTarget, args) as object;
    },
  });
}

/** A copy of an `arguments` object. */
function slice(args: ArrayLike<unknown>): unknown[] {
  return Array.prototype.slice.call(args);
}
