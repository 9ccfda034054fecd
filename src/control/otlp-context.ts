/**
 * The context manager `hookwire run --otlp` sets when the program has none: without one the
 * OpenTelemetry API has no active context at all (every span would be a root). One
 * AsyncLocalStorage, as the SDK's own AsyncLocalStorageContextManager, with the same imperative
 * `attach(context)` (its experimental API), so the span exit can make a span active for a call
 * it does not wrap.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** What `attach` returns: `dispose()` gives the previous context back. */
export interface ContextToken {
  dispose(): void;
}

/** The OpenTelemetry `ContextManager` interface, plus `attach`. */
export interface OwnContextManager {
  active(): unknown;
  with<A extends unknown[], R>(context: unknown, fn: (...args: A) => R, thisArg?: unknown, ...args: A): R;
  bind<T>(context: unknown, target: T): T;
  attach(context: unknown): ContextToken;
  enable(): this;
  disable(): this;
}

/** Makes the context manager; `root` is the API's ROOT_CONTEXT (the answer when nothing is active). */
export function ownContextManager(root: unknown): OwnContextManager {
  const storage = new AsyncLocalStorage<unknown>();
  const manager: OwnContextManager = {
    active: () => storage.getStore() ?? root,
    with(context, fn, thisArg, ...args) {
      return storage.run(context, () => Reflect.apply(fn, thisArg, args));
    },
    bind<T>(context: unknown, target: T): T {
      if (typeof target !== 'function') return target;
      const fn = target as unknown as (...a: unknown[]) => unknown;
      return function (this: unknown, ...args: unknown[]) {
        return storage.run(context, () => Reflect.apply(fn, this, args));
      } as unknown as T;
    },
    attach(context) {
      const previous = storage.getStore();
      storage.enterWith(context);
      let done = false;
      return {
        dispose() {
          if (done) return;
          done = true;
          storage.enterWith(previous);
        },
      };
    },
    enable: () => manager,
    disable() {
      storage.disable();
      return manager;
    },
  };
  return manager;
}
