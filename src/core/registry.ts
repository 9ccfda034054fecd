import type { InflightTracker } from './compile/plan.ts';
import { HookError, toError } from './errors.ts';
import { HookImpl, type HookConfig } from './hook.ts';
import { snapshotOf } from './hook-state.ts';
import type { Kind } from './kinds.ts';
import type { FaultListener, Registry, RegistrySnapshot } from './types.ts';
import { validateFunction, validateHookName } from './validate.ts';
import { REGISTRY_KEY } from './copy.ts';

/** A registry: the hooks declared in it, their fault listeners, and the in-flight async dispatches. */
export class RegistryImpl implements Registry {
  /** @internal */ readonly _hooks = new Map<string, HookImpl>();
  /** @internal */ readonly _listeners = new Set<FaultListener>();
  /** @internal */ readonly _declareListeners = new Set<(hook: HookImpl) => void>();
  /** @internal */ readonly _tracker: InflightTracker = { current: { n: 0, done: null } };
  /** @internal */ _sealed = false;
  /** @internal */ _faults = 0;
  /** @internal the latest grace period, so a later one also waits for the earlier */
  _lastSync: Promise<void> = Promise.resolve();

  get sealed(): boolean {
    return this._sealed;
  }

  get(name: string): HookImpl | undefined {
    return this._hooks.get(name);
  }

  list(): HookImpl[] {
    return [...this._hooks.values()];
  }

  snapshot(): RegistrySnapshot {
    return { sealed: this._sealed, faults: this._faults, hooks: this.list().map((h) => snapshotOf(h._state)) };
  }

  seal(): void {
    this._sealed = true;
    for (const hook of this._hooks.values()) hook.seal();
  }

  onFault(listener: FaultListener): () => void {
    validateFunction(listener, 'a fault listener');
    this._listeners.add(listener);
    return () => {
      this._listeners.delete(listener);
    };
  }

  onDeclare(listener: (hook: HookImpl) => void): () => void {
    validateFunction(listener, 'a declare listener');
    this._declareListeners.add(listener);
    return () => {
      this._declareListeners.delete(listener);
    };
  }

  synchronize(): Promise<void> {
    const closing = this._tracker.current;
    this._tracker.current = { n: 0, done: null };
    const drained =
      closing.n === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            closing.done = resolve;
          });
    const previous = this._lastSync;
    const all = Promise.all([previous, drained]).then(() => undefined);
    this._lastSync = all;
    return all;
  }

  /** @internal Declares a hook; the factories and the probe layer come through here. */
  _declare(kind: Kind, name: unknown, config: HookConfig): HookImpl {
    const checked = validateHookName(name);
    if (this._sealed) throw new HookError('ERR_HOOK_SEALED', `the registry is sealed: cannot declare "${checked}"`);
    if (this._hooks.has(checked)) throw new HookError('ERR_HOOK_EXISTS', `a hook named "${checked}" is already declared`);
    const hook = new HookImpl(this, kind, checked, config);
    this._hooks.set(checked, hook);
    for (const listener of [...this._declareListeners]) {
      try {
        listener(hook);
      } catch {
        // A tool's listener must not fail the program's declaration.
      }
    }
    return hook;
  }

  /** @internal */
  _remove(hook: HookImpl): void {
    if (this._hooks.get(hook.name) === hook) this._hooks.delete(hook.name);
  }

  /** @internal Counts a contained fault and tells the listeners; a listener's own throw is dropped. */
  _reportFault(hook: string, exit: string, error: unknown): void {
    this._faults++;
    if (this._listeners.size === 0) return;
    const event = { hook, exit, error: toError(error) };
    for (const listener of this._listeners) {
      try {
        listener(event);
      } catch {
        // A listener that throws must not turn a contained fault into an uncontained one.
      }
    }
  }
}

/** Makes a registry of its own (for a plugin system, a test, a sandbox). */
export function createRegistry(): Registry {
  return new RegistryImpl();
}

/** The default registry, where hooks go unless their options name another. */
export const registry: Registry = new RegistryImpl();

// Also on the global object (copy.ts): the agent lists it in the end-of-run summary when
// the program loaded the core, without loading the core itself when the program did not (issue 8).
(globalThis as Record<symbol, unknown>)[REGISTRY_KEY] = registry;
