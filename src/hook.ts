import { compileDispatcher } from './compile/index.ts';
import type { Dispatcher, DispatchPlan, PlannedExit } from './compile/plan.ts';
import { HookError } from './errors.ts';
import { ExitImpl } from './exit.ts';
import type { Kind, KindName } from './kinds.ts';
import { checkOrderFits, compareOrder, validateOrder } from './order.ts';
import type { RegistryImpl } from './registry.ts';
import type { AnyFn, Exit, HookSnapshot } from './types.ts';
import { validateBoolean, validateExitName, validateFunction, validateOptions } from './validate.ts';

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
   * that dispatches by itself (probes compile their own wrapper) uses this instead of `fire`.
   */
  readonly onArmedChange?: (armed: readonly ExitImpl[]) => void;
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
function idleFire(kind: Kind): Dispatcher {
  if (kind.async) return kind.combine === 'waterfall' ? resolvedIdentity : resolvedNoop;
  return kind.combine === 'waterfall' ? identity : noop;
}

/**
 * A declared hook. Arming never sets a flag the site tests: each hook owns two prototype objects,
 * idle (empty `fire`, `enabled` false) and armed (the compiled dispatcher, `enabled` true), and a
 * change of the armed set swaps which one the hook inherits from. The site's inline cache sees at
 * most these two shapes, so V8 keeps treating `fire` as a constant it can inline, however many
 * times the hook is armed and disarmed (an own `fire` field that is reassigned loses that).
 */
export class HookImpl {
  declare readonly fire: Dispatcher;
  declare readonly enabled: boolean;
  readonly name: string;
  readonly kind: KindName;
  readonly registry: RegistryImpl;
  readonly exclusive: boolean;
  readonly faults: 'propagate' | 'isolate';
  readonly args: readonly string[] | null;
  readonly description: string | undefined;
  /** @internal */ readonly _kind: Kind;
  /** @internal */ readonly _config: HookConfig;
  /** @internal registered exits in running order */ _exits: ExitImpl[] = [];
  /** @internal */ _view: readonly ExitImpl[] = Object.freeze([]);
  /** @internal */ _seq = 0;
  /** @internal */ _sealed = false;
  /** @internal */ _terminated = false;
  /** @internal */ _source: string;
  /** @internal */ readonly _idle: object;
  /** @internal */ readonly _armedProto: { fire: Dispatcher; enabled: true };
  /** @internal */ readonly _fault: (exit: PlannedExit, error: unknown) => void;

  constructor(registry: RegistryImpl, kind: Kind, name: string, config: HookConfig) {
    this.name = name;
    this.kind = kind.name;
    this.registry = registry;
    this.exclusive = config.exclusive;
    this.faults = config.isolate ? 'isolate' : 'propagate';
    this.args = config.args;
    this.description = config.description;
    this._kind = kind;
    this._config = config;
    this._source = idleSource(name, kind);
    this._fault = (exit, error) => {
      (exit as ExitImpl).stats.faults++;
      registry._reportFault(name, (exit as ExitImpl).name, error);
    };
    this._idle = Object.create(HookImpl.prototype, {
      fire: { value: idleFire(kind) },
      enabled: { value: false },
    });
    this._armedProto = Object.create(HookImpl.prototype, {
      fire: { value: noop, writable: true },
      enabled: { value: true },
    });
    Object.setPrototypeOf(this, this._idle);
  }

  get sealed(): boolean {
    return this._sealed;
  }

  get terminated(): boolean {
    return this._terminated;
  }

  get exits(): readonly Exit[] {
    return this._view;
  }

  register(fn: AnyFn, options?: unknown): ExitImpl {
    this._assertChangeable();
    validateFunction(fn, 'an exit');
    const opts = validateOptions(options, ['name', 'order', 'armed'], 'register option');
    const order = opts['order'] === undefined ? 0 : validateOrder(opts['order']);
    const armed = validateBoolean(opts['armed'], 'register option "armed"') ?? false;
    const seq = this._seq + 1;
    const name =
      opts['name'] === undefined ? `${fn.name || 'exit'}#${seq}` : validateExitName(opts['name']);
    if (this._exits.some((e) => e.name === name)) {
      throw new HookError('ERR_INVALID_ARG', `hook "${this.name}" already has an exit named "${name}"`);
    }
    checkOrderFits(this.name, this.exclusive, this._exits, order);
    this._seq = seq;
    const exit = new ExitImpl(this, fn, name, order, seq);
    exit._armed = armed;
    this._exits = [...this._exits, exit].sort(compareOrder);
    this._view = Object.freeze(this._exits.slice());
    if (armed) this._rebuild();
    return exit;
  }

  terminate(options?: unknown): void {
    const opts = validateOptions(options, ['force'], 'terminate option');
    const force = validateBoolean(opts['force'], 'terminate option "force"') ?? false;
    this._assertChangeable();
    const armed = this._exits.filter((e) => e._armed);
    if (armed.length > 0 && !force) {
      throw new HookError(
        'ERR_HOOK_BUSY',
        `hook "${this.name}" has ${armed.length} armed exit(s) (${armed.map((e) => e.name).join(', ')}); disarm them or pass { force: true }`,
      );
    }
    for (const exit of this._exits) exit._drop();
    this._exits = [];
    this._view = Object.freeze([]);
    this._rebuild();
    this._terminated = true;
    this.registry._remove(this);
  }

  seal(): void {
    if (this._terminated) throw terminatedError(this.name);
    this._sealed = true;
  }

  source(): string {
    return this._source;
  }

  /** @internal Arms or disarms exits of this hook in one step; validates all before changing any. */
  _setArmed(exits: readonly ExitImpl[], on: boolean): void {
    this._checkArmable(exits, on);
    let changed = false;
    for (const exit of exits) {
      if (exit._registered && exit._armed !== on) {
        exit._armed = on;
        changed = true;
      }
    }
    if (changed) this._rebuild();
  }

  /** @internal Throws what arming/disarming `exits` would hit, without changing anything. */
  _checkArmable(exits: readonly ExitImpl[], on: boolean): void {
    this._assertChangeable();
    if (!on) return;
    for (const exit of exits) {
      if (!exit._registered) {
        throw new HookError('ERR_EXIT_DEREGISTERED', `exit "${exit.name}" of hook "${this.name}" was deregistered`);
      }
    }
  }

  /** @internal */
  _deregister(exit: ExitImpl): void {
    this._assertChangeable();
    const wasArmed = exit._armed;
    this._exits = this._exits.filter((e) => e !== exit);
    this._view = Object.freeze(this._exits.slice());
    exit._drop();
    if (wasArmed) this._rebuild();
  }

  /** @internal */
  _assertChangeable(): void {
    if (this._terminated) throw terminatedError(this.name);
    if (this._sealed) throw new HookError('ERR_HOOK_SEALED', `hook "${this.name}" is sealed`);
  }

  /** @internal Recompiles the dispatcher for the armed exits and swaps it in. */
  _rebuild(): void {
    const armed = this._exits.filter((e) => e._armed);
    if (armed.length === 0) {
      this._source = idleSource(this.name, this._kind);
      if (Object.getPrototypeOf(this) !== this._idle) Object.setPrototypeOf(this, this._idle);
    } else {
      const { fire, source } = compileDispatcher(this._plan(armed));
      this._armedProto.fire = fire;
      this._source = source;
      if (Object.getPrototypeOf(this) !== this._armedProto) Object.setPrototypeOf(this, this._armedProto);
    }
    this._config.onArmedChange?.(armed);
  }

  /** @internal */
  _plan(armed: readonly ExitImpl[]): DispatchPlan {
    return {
      hookName: this.name,
      kind: this._kind,
      isolate: this._config.isolate,
      arity: this.args === null ? null : this.args.length,
      exits: armed,
      fault: this._fault,
      tracker: this.registry._tracker,
    };
  }

  /** @internal */
  _snapshot(): HookSnapshot {
    const snap: HookSnapshot = {
      name: this.name,
      kind: this.kind,
      enabled: this._exits.some((e) => e._armed),
      sealed: this._sealed,
      exclusive: this.exclusive,
      faults: this.faults,
      args: this.args === null ? null : [...this.args],
      exits: this._exits.map((e) => ({
        name: e.name,
        order: e.order,
        armed: e._armed,
        hits: e.stats.hits,
        faults: e.stats.faults,
      })),
    };
    if (this.description !== undefined) snap.description = this.description;
    if (this._config.meta !== undefined) snap.meta = { ...this._config.meta };
    return snap;
  }
}

function idleSource(name: string, kind: Kind): string {
  return `// hook "${name}" (${kind.name}) has no armed exit: fire is the shared idle function\n${idleFire(kind).toString()}`;
}

function terminatedError(name: string): HookError {
  return new HookError('ERR_HOOK_TERMINATED', `hook "${name}" was terminated`);
}
