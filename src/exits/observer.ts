/**
 * What every ready exit is: an {@link Observer} that records hits at hooks and probes, never changes
 * the program, and reports what it measured per site as plain JSON.
 */
import type { AnyHook } from '../core/index.ts';
import { validateFunction } from '../core/internal.ts';
import type { PublishReport } from './publish.ts';
import type { SpanReport } from './span.ts';

/** The per-call context a probe passes its handlers (the fields observers read). */
export interface ProbeCallContext {
  /** The call's arguments. Observers only read them. */
  readonly args: readonly unknown[];
  /** `this` of the call. */
  readonly thisArg?: unknown;
  /** `new.target` of the call (undefined unless constructed). */
  readonly newTarget?: unknown;
  /** The probe's hook name: the site observers report under. */
  readonly hook: string;
  /** Scratch object shared by one probe's handlers during one call. */
  readonly data: object;
  /** When the original was called (monotonic ms), if the probe took it: durations start here. */
  readonly startMs?: number;
  /** When the original returned, threw, settled (async) or completed (generator), if the probe took it. */
  readonly endMs?: number;
  /** Whether `endMs` is a settlement or completion rather than a return. */
  readonly settled?: boolean;
}

/**
 * Handlers an observer gives a probe. Each records and returns undefined, so the probe keeps the
 * call's arguments, result and error as they are.
 */
export interface ProbeHandlers {
  onEnter(ctx: ProbeCallContext): void;
  onLeave(ctx: ProbeCallContext, result: unknown): undefined;
  onError(ctx: ProbeCallContext, error: unknown): undefined;
  /** true when the handlers read the call's timestamps (`startMs`/`endMs`): the probe reads the clock only then. */
  readonly timed?: boolean;
}

/** The counters every site report has. */
export interface SiteReport {
  /** Hits seen (hook fires, probed calls entered). */
  hits: number;
  /** Faults the observer contained while handling this site (its own errors, never the program's). */
  faults: number;
}

/** `count`: hits and thrown calls per site. */
export interface CountSiteReport extends SiteReport {
  /** Probed calls that threw (or whose promise rejected). */
  errors: number;
}

/** `latency`: the duration distribution per site, in milliseconds (null while there is no sample). */
export interface LatencySiteReport extends SiteReport {
  errors: number;
  /** Durations measured (probed calls that completed; declared hooks have none). */
  count: number;
  /**
   * How many of them were timed until a promise settled (async functions, and functions that
   * return a thenable) or a generator completed; the others until the call returned or threw.
   */
  settled: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  minMs: number | null;
  meanMs: number | null;
}

/** `trace`: how many hits were written. */
export interface TraceSiteReport extends SiteReport {
  errors: number;
  /** Records written to the sink (after sampling). */
  recorded: number;
  /**
   * Records that could not be written: refused by the sink (a closed stream, a failing callback;
   * also counted as faults) or dropped by a buffered file's later flush (a full disk).
   */
  lost: number;
}

/** `assert`: checks, failures, and the capture of the first failure. */
export interface AssertSiteReport extends SiteReport {
  /** Times the predicate was evaluated. */
  checks: number;
  /** Times it did not hold. */
  failures: number;
  /** Path of the capture file written at the first failure, or null. */
  captured: string | null;
  /** Why the capture could not be written, if it could not. */
  captureError?: string;
}

/** A report of one observer type: `faults` totals the sites' faults and those that belong to no site. */
export interface ReportOf<T extends string, S extends SiteReport> {
  type: T;
  faults: number;
  sites: Record<string, S>;
}

/** What `count().report()` returns. */
export type CountReport = ReportOf<'count', CountSiteReport>;
/** What `latency().report()` returns. */
export type LatencyReport = ReportOf<'latency', LatencySiteReport>;
/** What `trace().report()` returns. */
export type TraceReport = ReportOf<'trace', TraceSiteReport>;
/** What `assert().report()` returns. */
export type AssertReport = ReportOf<'assert', AssertSiteReport>;

/** Plain JSON of what an observer measured, per site (hook or probe name); narrow it by `type`. */
export type ObserverReport = CountReport | LatencyReport | TraceReport | AssertReport | SpanReport | PublishReport;

/**
 * The observer types of the catalogue. Written out, not `ObserverReport['type']`: the API reference
 * then names this type where a property uses it, instead of a union whose order TypeScript may change.
 */
export type ObserverType = 'count' | 'latency' | 'trace' | 'assert' | 'span' | 'publish';

/**
 * A ready exit: attach it to declared hooks (`forHook`) and probes (`forProbe`), then read
 * `report()`. `R` is its report type (`trace()` returns `Observer<TraceReport>`, …).
 */
export interface Observer<R extends ObserverReport = ObserverReport> {
  readonly type: R['type'];
  /** An exit function for a declared hook: records the hit (arguments) and never throws, never returns a value that steers. */
  forHook(hook: AnyHook): (...args: unknown[]) => void;
  /** Probe handlers (onEnter/onLeave/onError) for a probe: record args/result/duration/error; never throw; never replace results. */
  forProbe(): ProbeHandlers;
  /** Plain JSON of what it measured so far, per site name (hook or probe name). */
  report(): R;
  /** Flushes/closes any file it writes. Idempotent. */
  close(): void;
}

/**
 * The sites of one observer, created on first use, plus faults that belong to no site. `fault`
 * counts a contained error against a site (or the observer).
 */
export class SiteTable<S extends SiteReport> {
  readonly sites = new Map<string, S>();
  /** Faults with no site to blame (a sink that failed to flush, a malformed context). */
  orphanFaults = 0;

  constructor(private readonly make: () => S) {}

  /** The site named `name`, created if new. */
  site(name: string): S {
    let s = this.sites.get(name);
    if (s === undefined) {
      s = this.make();
      this.sites.set(name, s);
    }
    return s;
  }

  /** The site of a probe context, or undefined if the context carries no usable name. */
  siteOf(ctx: ProbeCallContext): S | undefined {
    const name = typeof ctx === 'object' && ctx !== null ? ctx.hook : undefined;
    return typeof name === 'string' ? this.site(name) : undefined;
  }

  /** Counts a contained fault against `site` (or the observer). */
  fault(site: S | undefined): void {
    if (site === undefined) this.orphanFaults++;
    else site.faults++;
  }

  /** Every site's report (made by `view`) and the total of faults. */
  report<R>(view: (s: S) => R): { faults: number; sites: Record<string, R> } {
    const sites: Record<string, R> = {};
    let faults = this.orphanFaults;
    for (const [name, s] of this.sites) {
      sites[name] = view(s);
      faults += s.faults;
    }
    return { faults, sites };
  }
}

/** Per-call scratch of one observer, kept in the probe's `ctx.data` under a key only it knows. */
export function scratch<T>(ctx: ProbeCallContext, key: symbol): T | undefined {
  return (ctx.data as Record<symbol, T | undefined>)[key];
}

/** Stores per-call scratch (see {@link scratch}). */
export function setScratch(ctx: ProbeCallContext, key: symbol, value: unknown): void {
  (ctx.data as Record<symbol, unknown>)[key] = value;
}

/** Names an exit function after its observer type, so default exit names read `trace#3`. */
export function named<F extends (...args: never[]) => unknown>(fn: F, name: string): F {
  Object.defineProperty(fn, 'name', { value: name, configurable: true });
  return fn;
}

/** Clocks an observer reads; tests pass fake ones instead of sleeping. */
export interface ClockOptions {
  /** Monotonic milliseconds for durations (default `performance.now`). */
  clock?: () => number;
  /** Wall-clock epoch milliseconds for record times (default `Date.now`). */
  now?: () => number;
}

/** The clocks of `options`, checked; defaults where absent. */
export function resolveClocks(options: ClockOptions, what: string): { clock: () => number; now: () => number } {
  const { clock, now } = options;
  if (clock !== undefined) validateFunction(clock, `${what} option "clock"`);
  if (now !== undefined) validateFunction(now, `${what} option "now"`);
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return {
    clock: clock ?? (perf !== undefined ? () => perf.now() : () => Date.now()),
    now: now ?? (() => Date.now()),
  };
}
