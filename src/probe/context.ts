/**
 * What a probe's handlers receive for one call. One context per probe per call: `args` is shared
 * by every probe of the call (so an `onEnter` that changes it affects later probes and the
 * original), `data` is this probe's own scratch for the call.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a probe takes any function: `unknown` parameters would refuse typed ones (contravariance)
export class ProbeContext<A extends unknown[] = any[]> {
  /** The arguments; `onEnter` may change them in place (assign, push, pop) before the original runs. */
  readonly args: A;
  /** `this` of the call (undefined for a construct call). */
  readonly thisArg: unknown;
  /** `new.target` of a construct call (the original function when the wrapper itself was `new`ed), else undefined. */
  readonly newTarget: Function | undefined;
  /** The probed function's hook name (`probe:...`). */
  readonly hook: string;
  /**
   * When the original was called (monotonic ms, `performance.now`), taken by the probe after every
   * `onEnter` ran; NaN until then, when an `onEnter` override skipped the original, and when no
   * probe of the call has an `onLeave` or `onError` to read it.
   */
  startMs: number;
  /**
   * When the original returned or threw, taken before any `onLeave`/`onError` ran; for async
   * targets when the promise settled, for generators when they completed. NaN until then.
   */
  endMs: number;
  /** Whether `endMs` is a settlement or completion (async and generator targets), not a return. */
  settled: boolean;
  /** @internal */ _data: Record<string | symbol, unknown> | undefined;

  constructor(args: A, thisArg: unknown, newTarget: Function | undefined, hook: string) {
    this.args = args;
    this.thisArg = thisArg;
    this.newTarget = newTarget;
    this.hook = hook;
    this.startMs = NaN;
    this.endMs = NaN;
    this.settled = false;
    this._data = undefined;
  }

  /** Per-call scratch shared by this probe's handlers (created on first use). */
  get data(): Record<string | symbol, unknown> {
    return (this._data ??= {});
  }

  set data(value: Record<string | symbol, unknown>) {
    this._data = value;
  }
}
