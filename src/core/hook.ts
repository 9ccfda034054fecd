import { dispatcherSource } from './compile/index.ts';
import type { Dispatcher } from './compile/plan.ts';
import { HookError } from './errors.ts';
import { ExitImpl } from './exit.ts';
import { HookState, assertChangeable, planFor, terminatedError, type HookConfig } from './hook-state.ts';
import type { Kind, KindName } from './kinds.ts';
import { checkOrderFits, validateOrder } from './order.ts';
import type { RegistryImpl } from './registry.ts';
import { register, terminate } from './transaction.ts';
import type { AnyFn, Exit, FaultPolicy } from './types.ts';
import { validateBoolean, validateExitName, validateFunction, validateOptions } from './validate.ts';

export type { HookConfig } from './hook-state.ts';

/**
 * A declared hook: the object a site holds and calls `fire` on. Arming never sets a flag the site
 * tests. The hook inherits from its own switch object, and a change of the armed set sets the
 * switch's prototype: the idle state (empty `fire`, `enabled` false) or a fresh armed one (the
 * compiled dispatcher, `enabled` true). This object's hidden class therefore never changes after
 * declaration; its only own field is its state (`HookState`), which the control path uses instead
 * of it. Why, with the measurements: ARCHITECTURE.md, "Why arming swaps a prototype (V8)".
 */
export class HookImpl {
  declare readonly fire: Dispatcher;
  declare readonly enabled: boolean;
  /** @internal */ readonly _state: HookState;

  constructor(registry: RegistryImpl, kind: Kind, name: string, config: HookConfig) {
    this._state = new HookState(this, registry, kind, name, config);
  }

  get name(): string {
    return this._state.name;
  }

  get kind(): KindName {
    return this._state.kind.name;
  }

  get registry(): RegistryImpl {
    return this._state.registry;
  }

  get exclusive(): boolean {
    return this._state.config.exclusive;
  }

  get faultPolicy(): FaultPolicy {
    return this._state.config.isolate ? 'isolate' : 'propagate';
  }

  /** @deprecated The older name of `faultPolicy`, kept because it was documented. */
  get faults(): FaultPolicy {
    return this.faultPolicy;
  }

  get args(): readonly string[] | null {
    return this._state.config.args;
  }

  get description(): string | undefined {
    return this._state.config.description;
  }

  get sealed(): boolean {
    return this._state.sealed;
  }

  get terminated(): boolean {
    return this._state.terminated;
  }

  get exits(): readonly Exit[] {
    const s = this._state;
    return (s.view ??= Object.freeze(s.exits.slice()));
  }

  register(fn: AnyFn, options?: unknown): ExitImpl {
    const s = this._state;
    assertChangeable(s);
    validateFunction(fn, 'an exit');
    const opts = validateOptions(options, ['name', 'order', 'armed'], 'register option');
    const order = opts['order'] === undefined ? 0 : validateOrder(opts['order']);
    const armed = validateBoolean(opts['armed'], 'register option "armed"') ?? false;
    const seq = s.seq + 1;
    const name = opts['name'] === undefined ? `${fn.name || 'exit'}#${seq}` : validateExitName(opts['name']);
    if (s.names.has(name)) {
      throw new HookError('ERR_INVALID_ARG', `hook "${s.name}" already has an exit named "${name}"`);
    }
    checkOrderFits(s.name, s.config.exclusive, s.exits.length, s.holders, order);
    const exit = new ExitImpl(s, fn, name, order, seq);
    exit._armed = armed;
    register(s, exit);
    s.seq = seq;
    return exit;
  }

  terminate(options?: unknown): void {
    const s = this._state;
    const opts = validateOptions(options, ['force'], 'terminate option');
    const force = validateBoolean(opts['force'], 'terminate option "force"') ?? false;
    terminate(s, force);
  }

  seal(): void {
    const s = this._state;
    if (s.terminated) throw terminatedError(s.name);
    s.sealed = true;
  }

  source(): string {
    const s = this._state;
    if (s.config.source !== undefined) return s.config.source();
    if (s.armed.length === 0) return idleSource(s);
    return dispatcherSource(planFor(s, s.armed));
  }
}

function idleSource(s: HookState): string {
  return `// hook "${s.name}" (${s.kind.name}) has no armed exit: fire is the idle function\n${String((s.idleProto as { fire: Dispatcher }).fire)}`;
}
