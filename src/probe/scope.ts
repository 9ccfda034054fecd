/**
 * A probe's call scope: hookwire's own handler for the moments a probe's other handlers cannot
 * see. `onEnter` runs before the original and `onLeave`/`onError` after its end, which for an
 * async function or a generator is its settlement or completion; the original's synchronous run
 * (an async function up to its first `await`, each resumption of a generator) has no handler of
 * its own. An exit that must act right around that run (the `span` exit makes its span the active
 * context there, and gives the caller's back when it returns) puts a {@link CALL_SCOPE} function on
 * its handlers object: the wrapper calls it right before the original runs, and disposes of what it
 * returned right after the original returned or threw (before any `onLeave`), for every kind of
 * target; for a generator also around each `next`/`throw`/`return` that resumes it. A wrapper is
 * generated per set of handlers, so probes without a scope pay nothing for it. The symbol is
 * hookwire's own: a program's handlers cannot ask for it (like the tally, tally.ts).
 */
import type { ProbeContext } from './context.ts';

/** What a call scope returns: `dispose()` ends the scope (the previous state comes back). */
export interface ScopeExit {
  dispose(): void;
}

/**
 * A call scope: called with the probe's context of the call right before the original runs (the
 * call, or a generator's resumption); what it returns is disposed of right after. Its exceptions
 * (and those of `dispose`) are contained and counted as the probe's faults, like any handler's.
 */
export type CallScope = (this: unknown, ctx: ProbeContext) => ScopeExit | undefined;

/** Key of a handlers object's call scope (see the file's comment). */
export const CALL_SCOPE: unique symbol = Symbol('hookwire.callScope');

/** A handlers object with a call scope. */
export interface ScopeProvider {
  readonly [CALL_SCOPE]: CallScope;
}

/** The call scope of `handlers`, read once at registration; undefined when it has none. */
export function scopeOf(handlers: object): CallScope | undefined {
  const scope = (handlers as Partial<ScopeProvider>)[CALL_SCOPE];
  return typeof scope === 'function' ? scope : undefined;
}

/** The generator methods a delegating `yield*` calls on the iterator it delegates to. */
type Step = 'next' | 'throw' | 'return';

/**
 * An iterator that passes every `next`/`throw`/`return` on to `inner`, inside `open()` …
 * `close(token)`, for a wrapper's `yield*` to delegate to: the generator's body runs inside the
 * scope at each resumption. Only for iterators that have all three methods (generators do), so
 * `yield*` sees exactly the methods it would see on `inner`.
 */
export function scopedIterator<T>(inner: object, open: () => T, close: (token: T) => void): object {
  const it = inner as Record<Step, (this: unknown, v?: unknown) => unknown>;
  const step = (method: Step, v: unknown): unknown => {
    const token = open();
    try {
      return it[method](v);
    } finally {
      close(token);
    }
  };
  return {
    next: (v?: unknown) => step('next', v),
    throw: (v?: unknown) => step('throw', v),
    return: (v?: unknown) => step('return', v),
    [Symbol.iterator]() {
      return this;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Whether `value` has the three methods {@link scopedIterator} passes on. */
export function resumable(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<Step, unknown>;
  return typeof v.next === 'function' && typeof v.throw === 'function' && typeof v.return === 'function';
}
