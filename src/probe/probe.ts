import { HookError, registry as defaultRegistry, type Order } from '../core/index.ts';
import {
  describe,
  validateBoolean,
  validateExitName,
  validateOptions,
  RegistryImpl,
  runTransaction,
  validateOrder,
  type ExitImpl,
} from '../core/internal.ts';
import type { MutableProbeStats } from './engine.ts';
import { openSlot, type Slot } from './install.ts';
import { pendingReason } from './loader.ts';
import { scopeOf } from './scope.ts';
import { Site, type ProbeRecord } from './site.ts';
import type { Probe, ProbeStats } from './types.ts';

/** Probe options after validation. */
export interface CheckedOptions {
  readonly name: string;
  readonly armed: boolean;
  readonly order: Order;
  readonly registry: RegistryImpl;
  readonly boost: boolean;
  readonly accessor: 'get' | 'set' | undefined;
}

/** Handlers after validation: the functions, read once, and the object they are called on. */
export interface CheckedHandlers {
  readonly object: object;
  readonly enter: ProbeRecord['enter'];
  readonly leave: ProbeRecord['leave'];
  readonly error: ProbeRecord['error'];
  readonly timed: boolean;
  /** hookwire's own call scope (scope.ts), when the handlers are an exit of ours that has one. */
  readonly scope: ProbeRecord['scope'];
}

let probeSeq = 0;
const noop = function probe(): void {};

/** Throws ERR_INVALID_ARG unless `options` are valid probe options. */
export function checkOptions(options: unknown): CheckedOptions {
  const opts = validateOptions(options, ['name', 'armed', 'order', 'registry', 'boost', 'accessor'], 'probe option');
  const reg = opts['registry'] ?? defaultRegistry;
  if (!(reg instanceof RegistryImpl)) {
    throw new HookError('ERR_INVALID_ARG', `probe option "registry" must come from createRegistry(), got ${describe(reg)}`);
  }
  const accessor = opts['accessor'];
  if (accessor !== undefined && accessor !== 'get' && accessor !== 'set') {
    throw new HookError('ERR_INVALID_ARG', `probe option "accessor" must be 'get' or 'set', got ${describe(accessor)}`);
  }
  return {
    name: opts['name'] === undefined ? `probe#${++probeSeq}` : validateExitName(opts['name']),
    armed: validateBoolean(opts['armed'], 'probe option "armed"') ?? true,
    order: opts['order'] === undefined ? 0 : validateOrder(opts['order']),
    registry: reg,
    boost: validateBoolean(opts['boost'], 'probe option "boost"') ?? true,
    accessor,
  };
}

/** Throws ERR_INVALID_ARG unless `handlers` is an object whose onEnter/onLeave/onError are functions. */
export function checkHandlers(handlers: unknown): CheckedHandlers {
  if ((typeof handlers !== 'object' && typeof handlers !== 'function') || handlers === null) {
    throw new HookError('ERR_INVALID_ARG', `probe handlers must be an object, got ${describe(handlers)}`);
  }
  const h = handlers as Record<string, unknown>;
  const pick = (key: 'onEnter' | 'onLeave' | 'onError') => {
    const fn = h[key];
    if (fn !== undefined && typeof fn !== 'function') {
      throw new HookError('ERR_INVALID_ARG', `probe handler "${key}" must be a function, got ${describe(fn)}`);
    }
    return fn as ((...args: never[]) => unknown) | undefined;
  };
  return {
    object: handlers,
    enter: pick('onEnter') as CheckedHandlers['enter'],
    leave: pick('onLeave') as CheckedHandlers['leave'],
    error: pick('onError') as CheckedHandlers['error'],
    timed: validateBoolean(h['timed'], 'probe handler option "timed"') ?? false,
    scope: scopeOf(handlers),
  };
}

/**
 * What a probe needs of the place its exit sits: a wrapper's `Site`, or a breakpoint site
 * (breakpoint-site.ts, `via: 'breakpoint'`), which holds no slots.
 */
export interface ProbeSite {
  readonly hook: Site['hook'];
  readonly records: Site['records'];
  readonly via?: 'breakpoint';
  rebuild(armed: readonly ExitImpl[]): void;
  release(slot: Slot): boolean;
  dispose(): void;
  source(): string;
}

/** One function (or breakpoint) a probe is attached to: its site, the probe's exit there, and the record. */
export interface Part {
  readonly site: ProbeSite;
  readonly exit: ExitImpl;
  readonly record: ProbeRecord;
}

/**
 * A probe. Usually attached to one function; a spec probe also follows fresh instances of its
 * module (a CommonJS module evaluated again after its cache entry was deleted, another copy of a
 * package): each distinct function is a part, with its own hook and exit, armed together.
 * Further slots holding a function already probed (an ESM namespace next to the CommonJS exports)
 * share that function's wrapper.
 */
export class ProbeImpl implements Probe {
  readonly name: string;
  /** @internal */ _hookName: string;
  /** @internal */ _parts: Part[] = [];
  /** @internal */ _wantArmed: boolean;
  /** @internal */ _status: 'attached' | 'pending' | 'removed' = 'pending';
  /** @internal */ _restored = true;
  /** @internal the counters as they were at removal (the records, and the handlers, are dropped) */
  _final: ProbeStats = Object.freeze({ hits: 0, faults: 0, missed: 0 });
  /** @internal called once on removal (loader watchers unhook here) */ _cleanups: (() => void)[] = [];
  /** @internal */ readonly _opts: CheckedOptions;
  /** @internal */ readonly _handlers: CheckedHandlers;
  /** @internal the spec, for probes made by probeSpec (shown in the hook's snapshot meta) */
  readonly _spec: string | undefined;

  constructor(handlers: CheckedHandlers, opts: CheckedOptions, hookName: string, spec?: string) {
    this._handlers = handlers;
    this._opts = opts;
    this._spec = spec;
    this.name = opts.name;
    this._hookName = hookName;
    this._wantArmed = opts.armed;
  }

  get hook(): string {
    return this._hookName;
  }

  get armed(): boolean {
    const first = this._parts[0];
    return first !== undefined && first.exit.armed;
  }

  get status(): 'attached' | 'pending' | 'removed' {
    return this._status;
  }

  get pendingReason(): string | undefined {
    return pendingReason(this);
  }

  get via(): 'wrapper' | 'breakpoint' | undefined {
    const first = this._parts[0];
    return first === undefined ? undefined : (first.site.via ?? 'wrapper');
  }

  get stats(): ProbeStats {
    const parts = this._parts;
    if (parts.length === 0) return this._final;
    if (parts.length === 1) return parts[0]!.record.stats;
    return sumStats(parts);
  }

  arm(): this {
    return this._setArmed(true);
  }

  disarm(): this {
    return this._setArmed(false);
  }

  remove(): boolean {
    if (this._status === 'removed') return this._restored;
    const parts = this._parts;
    // One transaction: a sealed hook throws before anything changed, and a site whose last probe
    // goes is deregistered and terminated with one rebuild (its slots restored once).
    const ending = new Set<ProbeSite>();
    runTransaction(`probe "${this.name}"`, (tx) => {
      for (const { site, exit } of parts) {
        tx.deregister(exit); // nothing, if it is gone already (its hook terminated)
        if (site.records.size === 1 && !site.hook.terminated) {
          tx.terminate(site.hook, { force: true });
          ending.add(site);
        }
      }
    });
    let restored = true;
    for (const { site, exit, record } of parts) {
      site.records.delete(exit);
      for (const slot of record.slots) if (!site.release(slot)) restored = false;
      if (ending.has(site)) site.dispose();
    }
    this._restored = restored;
    this._status = 'removed';
    for (const cleanup of this._cleanups.splice(0)) cleanup();
    if (parts.length > 0) this._final = Object.freeze({ ...sumStats(parts) });
    this._parts = [];
    return this._restored;
  }

  [Symbol.dispose](): void {
    this.remove();
  }

  /**
   * Attaches to `target[key]`: adds the slot to the part of the function it holds, or starts a
   * part for a function not probed yet. Validates everything before changing anything; throws
   * HookError.
   */
  attach(target: unknown, key: PropertyKey, label: string, hookLabel: string, after?: () => void): void {
    if (this._status === 'removed') return;
    const slot = openSlot(target, key, this._opts.accessor, label, after);
    let site = Site.of(slot.fn);
    if (site !== undefined && slot.fn !== site.orig) slot.restoreFn = site.orig;
    const mine = site === undefined ? undefined : this._parts.find((p) => p.site === site);
    if (mine !== undefined) {
      for (const s of mine.record.slots) if (s.target === slot.target && s.key === slot.key && s.role === slot.role) return;
      mine.record.slots.add(site!.retain(slot));
      return;
    }
    if (site !== undefined && site.registry !== this._opts.registry) {
      throw new HookError('ERR_PROBE_TARGET', `cannot probe ${label}: it is already probed in another registry (hook "${site.hook.name}")`);
    }
    const created = site === undefined;
    site ??= Site.create(slot.fn, this._opts.registry, hookLabel, this._spec);
    let exit: ExitImpl;
    try {
      exit = site.hook.register(noop, { name: this.name, order: this._opts.order });
    } catch (error) {
      if (created) {
        site.hook.terminate({ force: true });
        site.dispose();
      }
      throw error;
    }
    const stats = exit.stats as typeof exit.stats & MutableProbeStats;
    stats.missed = 0;
    const record: ProbeRecord = {
      exit,
      stats,
      handlers: this._handlers.object,
      enter: this._handlers.enter,
      leave: this._handlers.leave,
      error: this._handlers.error,
      timed: this._handlers.timed,
      scope: this._handlers.scope,
      boost: this._opts.boost,
      slots: new Set(),
    };
    site.records.set(exit, record);
    record.slots.add(site.retain(slot));
    this._parts.push({ site, exit, record });
    if (this._parts.length === 1) this._hookName = site.hook.name;
    this._status = 'attached';
    if (this._wantArmed) exit.arm();
  }

  /** The generated wrapper source of the probed function (compiled mode), for debugging. */
  source(): string {
    return this._parts[0]?.site.source() ?? `// ${this._hookName}: ${this._status}`;
  }

  /** Arms or disarms every part at once (all or nothing), and what later parts start as. */
  private _setArmed(on: boolean): this {
    this._assertLive();
    const parts = this._parts;
    if (parts.length > 0) {
      runTransaction(`probe "${this.name}"`, (tx) => {
        for (const { exit } of parts) {
          if (on) tx.arm(exit);
          else tx.disarm(exit);
        }
      });
    }
    this._wantArmed = on;
    return this;
  }

  private _assertLive(): void {
    if (this._status === 'removed') throw new HookError('ERR_EXIT_DEREGISTERED', `probe "${this.name}" was removed`);
  }
}

function sumStats(parts: readonly Part[]): ProbeStats {
  let hits = 0;
  let faults = 0;
  let missed = 0;
  for (const { record } of parts) {
    hits += record.stats.hits;
    faults += record.stats.faults;
    missed += record.stats.missed;
  }
  return { hits, faults, missed };
}

/** A readable label for an object target: `Client.prototype`, `fs`, a function's name. */
export function labelOf(target: unknown): string {
  if (typeof target === 'function') return target.name || 'function';
  if (typeof target !== 'object' || target === null) return String(target);
  const ctor = (target as { constructor?: unknown }).constructor;
  if (
    typeof ctor === 'function' &&
    Object.prototype.hasOwnProperty.call(target, 'constructor') &&
    (ctor as { prototype?: unknown }).prototype === target
  ) {
    return `${ctor.name || 'anonymous'}.prototype`;
  }
  const tag = (target as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag];
  if (typeof tag === 'string') return tag;
  return typeof ctor === 'function' && ctor.name ? ctor.name : 'object';
}
