/* eslint-disable prefer-rest-params -- fixed-arity closures copy `arguments` only when the count differs */
import { runProbed as runAll, runSingle, type WrapperPlan } from './engine.ts';

/**
 * The eval-free wrapper (runtimes that forbid `new Function`): a closure of the target's shape
 * (`function` for plain functions, a method otherwise) with a fixed arity up to 4 parameters and a
 * rest parameter beyond, running the loop-based engine. Handlers get exactly the arguments passed
 * (`arguments` is copied when their count differs from the declared one).
 */
export function closureWrapper(plan: WrapperPlan, shape: 'function' | 'method'): Function {
  const P = plan;
  const runProbed = plan.probes.length === 1 ? runSingle : runAll;
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
 * The generic wrapper, for what cannot be boosted (classes, bound and native functions, functions
 * that read `arguments` or have non-simple parameters): a Proxy of the original with `apply` and
 * `construct` traps. Everything else (own properties, `prototype`, `name`, `length`, the prototype
 * link, `instanceof`, static members) reaches the original unchanged.
 */
export function genericWrapper(plan: WrapperPlan): Function {
  const P = plan;
  const runProbed = plan.probes.length === 1 ? runSingle : runAll;
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
