import { liveStats, type ExitCounter } from './hit-counts.ts';
import type { HookImpl } from './hook.ts';
import type { HookState } from './hook-state.ts';
import type { Order } from './order.ts';
import { deregister, setArmed } from './transaction.ts';
import type { AnyFn, Exit, ExitStats } from './types.ts';

const dropped: AnyFn = () => undefined;

/** An exit's state. Every change goes through `transaction.ts`, so that a hook's exits always change together. */
export class ExitImpl implements Exit {
  readonly name: string;
  readonly order: Order;
  readonly hook: HookImpl;
  /** @internal the hook's state: the control path never goes through the hook object itself */
  readonly _state: HookState;
  /** Registration sequence on its hook: ties between equal stages keep this order. */
  readonly seq: number;
  /** @internal what dispatchers that count per exit, and the fault path, write (hit-counts.ts) */
  readonly _counter: ExitCounter = { hits: 0, faults: 0 };
  /** @internal what `stats` returns, made at its first read (registering 10,000 exits makes none) */
  _stats: ExitStats | null = null;
  /** The inserted function; replaced by a no-op on deregistration so the original can be freed. */
  fn: AnyFn;
  /** @internal */ _armed = false;
  /** @internal */ _registered = true;

  constructor(state: HookState, fn: AnyFn, name: string, order: Order, seq: number) {
    this._state = state;
    this.hook = state.hook as HookImpl;
    this.fn = fn;
    this.name = name;
    this.order = order;
    this.seq = seq;
  }

  /**
   * Its counter plus its dispatch counts, read when asked. An exit of a layer that dispatches by
   * itself (probes) gets the counter itself, which that layer's code increments.
   */
  get stats(): ExitStats {
    return (this._stats ??= this._state.config.onArmedChange !== undefined ? this._counter : liveStats(this));
  }

  get armed(): boolean {
    return this._armed;
  }

  get registered(): boolean {
    return this._registered;
  }

  arm(): this {
    setArmed(this, true);
    return this;
  }

  disarm(): this {
    setArmed(this, false);
    return this;
  }

  deregister(): void {
    deregister(this);
  }

  [Symbol.dispose](): void {
    this.deregister();
  }

  /** @internal called by the hook once the exit is out of every future dispatch. */
  _drop(): void {
    this._armed = false;
    this._registered = false;
    this.fn = dropped;
  }
}
