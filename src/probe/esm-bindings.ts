/**
 * hookwire's registry of ES module bindings, on the main thread: which module URLs probe specs
 * name (the module hooks transform exactly those, esm-transform.ts), the binding views the
 * transformed modules hand over when their body has run, and which modules the hooks passed
 * untouched (loaded before any spec named them). One registry per thread, kept on the global
 * object under `Symbol.for('hookwire.esm')`, where the appended code finds it.
 */
import { ESM_REGISTRY_KEY } from './esm-transform.ts';

/** Set on globalThis once the ES module hooks are installed (defined with the agent's switches). */
export { REGISTERED } from './esm-demand.ts';

/** Makes the error a refused slot throws (the probe layer gives HookError; this file stays free of the core, so the preload stays small). */
export type ErrorMaker = (code: string, message: string) => Error;

/** The accessors a transformed module hands over per export: read and assign its local binding. */
export type BindingAccessors = readonly [get: () => unknown, set: (value: unknown) => void];

/** How the registry reaches module hooks that run on another thread (Node < 22.15): named URLs go out, passed ones come back. */
export interface HooksChannel {
  name(url: string): void;
  unname(url: string): void;
  /** Takes every message the hooks thread sent so far (synchronously). */
  drain(): void;
}

/** What a watcher of one module URL is told: its bindings, or that it loaded untouched. */
export interface EsmWatcher {
  bound(view: object): void;
  late(): void;
}

/**
 * An object whose properties are a transformed module's exports: reading one reads the module's
 * binding, defining one (what a probe does to install or restore a wrapper) assigns the module's
 * local binding. Exports with no assignable binding say why when a probe asks for their slot.
 */
function bindingView(
  fail: ErrorMaker,
  url: string,
  locals: Record<string, BindingAccessors>,
  others: Record<string, string>,
  stars: readonly string[],
  ns: object | undefined,
): object {
  const own = (key: PropertyKey): boolean => typeof key === 'string' && Object.prototype.hasOwnProperty.call(locals, key);
  const writable = new Map<string, boolean>();
  // A const (or imported) binding throws on assignment; assigning the value it holds tells without changing anything.
  const canAssign = (key: string): boolean => {
    let ok = writable.get(key);
    if (ok === undefined) {
      const [get, set] = locals[key]!;
      try {
        set(get());
        ok = true;
      } catch {
        ok = false;
      }
      writable.set(key, ok);
    }
    return ok;
  };
  const where = (key: string): string | undefined => {
    if (Object.prototype.hasOwnProperty.call(others, key)) return others[key];
    if (stars.length > 0 && ns !== undefined && key in ns) {
      return `it comes from export * from ${stars.map((s) => JSON.stringify(s)).join(', ')}: probe it in the module that declares it`;
    }
    return undefined;
  };
  return new Proxy(Object.create(null) as object, {
    get(_t, key) {
      if (own(key)) return locals[key as string]![0]();
      if (typeof key === 'string' && ns !== undefined && key in ns) return (ns as Record<string, unknown>)[key];
      return undefined;
    },
    has(_t, key) {
      return own(key) || (typeof key === 'string' && ns !== undefined && key in ns);
    },
    getOwnPropertyDescriptor(_t, key) {
      if (typeof key !== 'string') return undefined;
      if (own(key)) {
        const value = locals[key]![0]();
        if (typeof value === 'function' && !canAssign(key)) {
          throw fail(
            'ERR_PROBE_CONST',
            `cannot probe export "${key}" of ${url}: its binding is a const (or an imported binding), which cannot be replaced; declare it with let, var, function or class, or probe the module that declares it`,
          );
        }
        return { value, writable: true, enumerable: true, configurable: true };
      }
      const why = where(key);
      if (why !== undefined) {
        throw fail('ERR_PROBE_TARGET', `cannot probe export "${key}" of ${url}: ${why}`);
      }
      return undefined;
    },
    defineProperty(_t, key, desc) {
      if (typeof key !== 'string' || !own(key) || !('value' in desc) || !canAssign(key)) return false;
      locals[key]![1](desc.value);
      return true;
    },
    set(_t, key, value) {
      if (typeof key !== 'string' || !own(key) || !canAssign(key)) return false;
      locals[key]![1](value);
      return true;
    },
    deleteProperty() {
      return false;
    },
  });
}

/** The registry (one per thread). */
export class EsmRegistry {
  /** Module URLs probe specs name, with how many watchers ask for each. */
  readonly named = new Map<string, number>();
  /** URLs the hooks passed untouched: loaded before any spec named them. */
  readonly untouched = new Set<string>();
  /** URL → binding view of each transformed module whose body has run. */
  readonly views = new Map<string, object>();
  private readonly watchers = new Map<string, Set<EsmWatcher>>();
  private channel: HooksChannel | undefined;
  /** How refused slots fail; the probe layer sets HookError here before it attaches anything. */
  fail: ErrorMaker = (code, message) => Object.assign(new Error(message), { code });

  /** Module hooks on another thread: names go to them from now on, passed URLs come back. */
  connect(channel: HooksChannel): void {
    this.channel = channel;
  }

  /** Takes what the hooks thread sent so far; then `untouched` and `views` are current. */
  sync(): void {
    this.channel?.drain();
  }

  /**
   * Called by the code appended to a transformed module, once its body has run. Never throws
   * into the module: a watcher's failure is its own to report.
   */
  bound(url: unknown, locals: Record<string, BindingAccessors>, others: Record<string, string>, stars: readonly string[], ns?: object): void {
    if (typeof url !== 'string' || this.views.has(url)) return;
    const view = bindingView((code, message) => this.fail(code, message), url, locals, others, stars, ns);
    this.views.set(url, view);
    for (const w of this.take(url)) {
      try {
        w.bound(view);
      } catch {
        // Watchers report their own faults; nothing reaches the module.
      }
    }
  }

  /** Called when the hooks passed `url` untouched: watchers of it learn they came too late. */
  passed(url: string): void {
    this.untouched.add(url);
    if (!this.watchers.has(url)) return;
    for (const w of this.take(url)) {
      try {
        w.late();
      } catch {
        // as in bound()
      }
    }
  }

  /** Names `url` for the hooks and waits for it; returns the function that stops waiting. */
  watch(url: string, watcher: EsmWatcher): () => void {
    let set = this.watchers.get(url);
    if (set === undefined) this.watchers.set(url, (set = new Set()));
    set.add(watcher);
    this.name(url);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const s = this.watchers.get(url);
      if (s?.delete(watcher) === true && s.size === 0) this.watchers.delete(url);
      this.unname(url);
    };
  }

  private take(url: string): EsmWatcher[] {
    const set = this.watchers.get(url);
    this.watchers.delete(url);
    return set === undefined ? [] : [...set];
  }

  private name(url: string): void {
    const n = this.named.get(url) ?? 0;
    this.named.set(url, n + 1);
    if (n === 0) this.channel?.name(url);
  }

  private unname(url: string): void {
    const n = this.named.get(url);
    if (n === undefined) return;
    if (n > 1) this.named.set(url, n - 1);
    else {
      this.named.delete(url);
      this.channel?.unname(url);
    }
  }
}

/** This thread's registry, created on first use and shared by every copy of hookwire loaded in it. */
export function esmRegistry(): EsmRegistry {
  const g = globalThis as Record<symbol, unknown>;
  const key = Symbol.for(ESM_REGISTRY_KEY);
  const found = g[key];
  if (typeof found === 'object' && found !== null) return found as EsmRegistry;
  const made = new EsmRegistry();
  Object.defineProperty(g, key, { value: made, writable: false, enumerable: false, configurable: true });
  return made;
}
