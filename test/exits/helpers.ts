// Shared helpers of the exits tests: hand-made probe contexts and a fake clock.
import type { ProbeCallContext, ProbeHandlers } from '../../src/exits/observer.ts';

/** A context like the one a probe passes its handlers, for calling handlers directly. */
export function ctx(hook: string, args: unknown[] = []): ProbeCallContext & { data: Record<string | symbol, unknown> } {
  return { args, thisArg: undefined, newTarget: undefined, hook, data: {} };
}

/** A clock the test moves by hand. */
export function fakeClock(start = 0): { clock: () => number; advance(ms: number): void; set(ms: number): void } {
  let t = start;
  return {
    clock: () => t,
    advance(ms) {
      t += ms;
    },
    set(ms) {
      t = ms;
    },
  };
}

/** Runs one probed call through handlers the way a probe does: enter, then leave or error. */
export function call(
  handlers: ProbeHandlers,
  hook: string,
  args: unknown[],
  outcome: { result: unknown } | { error: unknown },
  during?: () => void,
): { leaveReturn: unknown } {
  const c = ctx(hook, args);
  handlers.onEnter(c);
  during?.();
  const leaveReturn = 'error' in outcome ? handlers.onError(c, outcome.error) : handlers.onLeave(c, outcome.result);
  return { leaveReturn };
}
