/**
 * Budgets of one attachment, what production users ask before they point a tool at a live
 * process: it expires after N hits or T seconds, it records only a sample of the hits (every Nth,
 * or with a probability), at most R hits per second, and it is disarmed when its own time exceeds a
 * share of the thread's time over a window. The budget wraps the attachment's observer: an
 * attachment without one keeps its observer as it is, and its fire path gains nothing.
 */
import { HookError, type AnyHook } from '../core/index.ts';
import { describe } from '../core/internal.ts';
import { resolveClocks, scratch, setScratch, type Observer, type ObserverReport, type ProbeCallContext, type ProbeHandlers } from './observer.ts';

/** The `budget` field of an exit spec. Every field is optional; at least one is required. */
export interface Budget {
  /** Expire (the exit or probe is removed, the original restored) after this many hits. */
  hits?: number;
  /** Expire this many seconds after attaching. */
  seconds?: number;
  /** Record one hit in N. */
  every?: number;
  /** Record each hit with this probability (0 < p <= 1). */
  probability?: number;
  /** Record at most this many hits per second (a token bucket holding one second's worth). */
  ratePerSec?: number;
  /** Disarm when the attachment's own time exceeds this share of the time of a window (0 < share < 1). */
  overhead?: number;
  /** The overhead window in milliseconds (default 1000, 100 to 600000). */
  windowMs?: number;
}

/** Where a budget stands, as its attachment's report carries it (`report.budget`). */
export interface BudgetState {
  /** `active`; `expired` (hits or seconds used up: removed); `disarmed` (over its overhead share). */
  state: 'active' | 'expired' | 'disarmed';
  /** Why it ended, for people: `expired after 100 hits`, `own time 7.2% of 1000 ms > 5%`. */
  reason: string | null;
  /** Hits that reached the budget. */
  hits: number;
  /** Hits the sampling or the rate limit let through to the exit. */
  recorded: number;
  /** Hits they held back. */
  skipped: number;
  /** The exit's own time in the last complete window, as a share of it (null before one). */
  share: number | null;
}

/** How a budget ends: the attachment is removed (expiry) or disarmed (overhead). */
export type BudgetEnd = 'expired' | 'disarmed';

const FIELDS = ['hits', 'seconds', 'every', 'probability', 'ratePerSec', 'overhead', 'windowMs'] as const;

/**
 * Checks a spec's `budget` field and returns it as a fresh object; ERR_INVALID_ARG naming the field
 * and what is allowed.
 */
export function checkBudget(value: unknown, what = 'budget'): Budget {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HookError('ERR_INVALID_ARG', `${what} must be an object like {"hits":100} or {"overhead":0.05}, got ${describe(value)}`);
  }
  const b = value as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!(FIELDS as readonly string[]).includes(key))
      throw new HookError('ERR_INVALID_ARG', `unknown field "${key}" in ${what} (allowed: ${FIELDS.join(', ')})`);
  }
  if (Object.keys(b).length === 0) throw new HookError('ERR_INVALID_ARG', `${what} is empty: give at least one of ${FIELDS.join(', ')}`);
  const out: Budget = {};
  const num = (key: (typeof FIELDS)[number], ok: (n: number) => boolean, allowed: string): number | undefined => {
    if (!(key in b)) return undefined;
    const n = b[key];
    if (typeof n !== 'number' || !Number.isFinite(n) || !ok(n))
      throw new HookError('ERR_INVALID_ARG', `${what} "${key}" must be ${allowed}, got ${describe(n)}`);
    return n;
  };
  const set = <K extends keyof Budget>(key: K, n: number | undefined): void => {
    if (n !== undefined) out[key] = n;
  };
  set(
    'hits',
    num('hits', (n) => Number.isInteger(n) && n >= 1 && n <= 1e12, 'a whole number from 1 to 1e12'),
  );
  set(
    'seconds',
    num('seconds', (n) => n > 0 && n <= 31_536_000, 'a number of seconds above 0, at most 31536000 (a year)'),
  );
  set(
    'every',
    num('every', (n) => Number.isInteger(n) && n >= 1 && n <= 1e9, 'a whole number from 1 to 1e9'),
  );
  set(
    'probability',
    num('probability', (n) => n > 0 && n <= 1, 'a number above 0, at most 1'),
  );
  set(
    'ratePerSec',
    num('ratePerSec', (n) => n > 0 && n <= 1e9, 'a number of hits per second above 0'),
  );
  set(
    'overhead',
    num('overhead', (n) => n > 0 && n < 1, 'a share above 0 and below 1 (0.05 is 5%)'),
  );
  set(
    'windowMs',
    num('windowMs', (n) => Number.isInteger(n) && n >= 100 && n <= 600_000, 'a whole number of milliseconds from 100 to 600000'),
  );
  if (out.windowMs !== undefined && out.overhead === undefined) throw new HookError('ERR_INVALID_ARG', `${what} "windowMs" needs "overhead"`);
  if (out.every !== undefined && out.probability !== undefined) throw new HookError('ERR_INVALID_ARG', `${what}: give "every" or "probability", not both`);
  return out;
}

/** An observer under a budget; `onEnd` is called once, outside the hit that used it up. */
export interface BudgetedObserver extends Observer {
  /** Where its budget stands. */
  readonly budget: BudgetState;
  /** Tells it what to do when the budget ends (the catalogue removes or disarms the attachment). */
  onEnd(action: (end: BudgetEnd) => void): void;
}

/** Options of {@link withBudget}: clocks and randomness for tests. */
export interface BudgetOptions {
  clock?: () => number;
  random?: () => number;
  /** Runs `fn` soon, outside the current hit (default setTimeout 0). */
  defer?: (fn: () => void) => void;
}

/**
 * Wraps `observer` so that `budget` (checked by {@link checkBudget}) governs it. Hits held back by
 * sampling or the rate limit never reach it; once the budget ends, none does, and `onEnd`'s action
 * runs (deferred: a hook is not changed from inside its own dispatch).
 */
export function withBudget(observer: Observer, budget: Budget, options: BudgetOptions = {}): BudgetedObserver {
  const b = checkBudget(budget);
  const { clock } = resolveClocks(options.clock === undefined ? {} : { clock: options.clock }, 'withBudget');
  const random = options.random ?? Math.random;
  const defer = options.defer ?? ((fn: () => void) => void setTimeout(fn, 0));
  const state: BudgetState = { state: 'active', reason: null, hits: 0, recorded: 0, skipped: 0, share: null };
  let action: ((end: BudgetEnd) => void) | undefined;
  let endedBeforeAction: BudgetEnd | undefined;
  const started = clock();
  const deadline = b.seconds === undefined ? Infinity : started + b.seconds * 1000;
  const rate = b.ratePerSec;
  let tokens = rate === undefined ? 0 : Math.max(1, rate);
  let refilled = started;
  const windowMs = b.windowMs ?? 1000;
  const limit = b.overhead;
  let windowStart = started;
  let own = 0;
  // Plain sampling and hit counts need no clock: it is read only for what reads it.
  const timed = limit !== undefined || rate !== undefined || deadline !== Infinity;
  const now = timed ? clock : () => 0;

  const end = (kind: BudgetEnd, reason: string): void => {
    if (state.state !== 'active') return;
    state.state = kind;
    state.reason = reason;
    if (action === undefined) endedBeforeAction = kind;
    else run(action, kind);
  };
  // The action never throws into the program: what it could not do is added to the reason.
  const run = (act: (end: BudgetEnd) => void, kind: BudgetEnd): void =>
    defer(() => {
      try {
        act(kind);
      } catch (error) {
        state.reason = `${state.reason ?? ''} (but could not ${kind === 'expired' ? 'remove' : 'disarm'} it: ${error instanceof Error ? error.message : String(error)})`;
      }
    });
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (b.seconds !== undefined && typeof setTimeout === 'function') {
    timer = setTimeout(() => end('expired', `expired after ${b.seconds} s`), b.seconds * 1000);
    (timer as { unref?: () => void }).unref?.();
  }

  /** Whether this hit goes to the exit. */
  const admit = (now: number): boolean => {
    if (state.state !== 'active') return false;
    state.hits++;
    if (now >= deadline) {
      end('expired', `expired after ${b.seconds} s`);
      return false;
    }
    let pass = true;
    if (b.every !== undefined) pass = (state.hits - 1) % b.every === 0;
    else if (b.probability !== undefined) pass = random() < b.probability;
    if (pass && rate !== undefined) {
      tokens = Math.min(Math.max(1, rate), tokens + ((now - refilled) / 1000) * rate);
      refilled = now;
      if (tokens >= 1) tokens -= 1;
      else pass = false;
    }
    if (pass) state.recorded++;
    else state.skipped++;
    // The last hit of the budget is still recorded; the next one finds it ended.
    if (b.hits !== undefined && state.hits >= b.hits) end('expired', `expired after ${b.hits} hits`);
    return pass;
  };

  /** Adds the exit's own time of one hit and checks the overhead window. */
  const spent = (from: number, to: number): void => {
    if (limit === undefined) return;
    own += to - from;
    const elapsed = to - windowStart;
    if (own > limit * Math.max(elapsed, windowMs)) {
      const share = own / Math.max(elapsed, 1e-9);
      state.share = share;
      end('disarmed', `own time ${(share * 100).toFixed(1)}% of ${elapsed.toFixed(0)} ms > ${(limit * 100).toFixed(1)}% (overhead budget)`);
    } else if (elapsed >= windowMs) {
      state.share = own / elapsed;
      own = 0;
      windowStart = to;
    }
  };

  const key = Symbol('budget');
  const budgeted: BudgetedObserver = {
    type: observer.type,
    budget: state,
    forHook(hook: AnyHook) {
      const inner = observer.forHook(hook);
      return (...args: unknown[]): void => {
        const t0 = now();
        if (!admit(t0)) return;
        inner(...args);
        spent(t0, now());
      };
    },
    forProbe(): ProbeHandlers {
      const inner = observer.forProbe();
      return {
        ...(inner.timed === true && { timed: true }),
        onEnter(ctx: ProbeCallContext): void {
          const t0 = now();
          if (!admit(t0)) return;
          setScratch(ctx, key, true);
          inner.onEnter(ctx);
          spent(t0, now());
        },
        onLeave(ctx: ProbeCallContext, result: unknown): undefined {
          if (scratch<boolean>(ctx, key) !== true) return undefined;
          const t0 = now();
          inner.onLeave(ctx, result);
          spent(t0, now());
          return undefined;
        },
        onError(ctx: ProbeCallContext, error: unknown): undefined {
          if (scratch<boolean>(ctx, key) !== true) return undefined;
          const t0 = now();
          inner.onError(ctx, error);
          spent(t0, now());
          return undefined;
        },
      };
    },
    report(): ObserverReport {
      return { ...observer.report(), budget: { ...state } } as unknown as ObserverReport;
    },
    close() {
      if (timer !== undefined) clearTimeout(timer);
      observer.close();
    },
    onEnd(fn) {
      action = fn;
      if (endedBeforeAction !== undefined) {
        run(fn, endedBeforeAction);
        endedBeforeAction = undefined;
      }
    },
  };
  return budgeted;
}

/** Whether `observer` is under a budget. */
export function isBudgeted(observer: Observer): observer is BudgetedObserver {
  return typeof (observer as Partial<BudgetedObserver>).onEnd === 'function' && 'budget' in observer;
}
