/**
 * `latency`: a duration histogram per site with p50/p90/p99/max. On a probe a duration covers the
 * original call only (the probe's timestamps, taken around it, so other exits on the site add
 * nothing) until it returns or throws — for async targets and for functions that return a
 * thenable until the promise settles, for generators until they complete. `settled` counts the
 * samples timed to a settlement. A declared hook has no duration: its fires count as hits and its
 * percentiles stay null.
 */
import type { AnyHook } from '../core/index.ts';
import { validateOptions } from '../core/internal.ts';
import { Histogram } from './histogram.ts';
import { recordHistograms } from './latency-histograms.ts';
import { whenSettled } from './settle.ts';
import {
  named,
  resolveClocks,
  scratch,
  setScratch,
  SiteTable,
  type ClockOptions,
  type LatencySiteReport,
  type Observer,
  type LatencyReport,
  type ProbeCallContext,
  type ProbeHandlers,
  type SiteReport,
} from './observer.ts';

export { latencyHistograms } from './latency-histograms.ts';

/** Options of {@link latency}. */
export interface LatencyOptions extends ClockOptions {}

interface LatencySite extends SiteReport {
  errors: number;
  settled: number;
  histogram: Histogram;
}

/** Makes a latency observer. `clock` (monotonic ms, default `performance.now`) can be faked in tests. */
export function latency(options?: LatencyOptions): Observer<LatencyReport> {
  const opts = validateOptions(options, ['clock', 'now'], 'latency option') as LatencyOptions;
  const { clock } = resolveClocks(opts, 'latency');
  // A clock of the caller's (tests) is read by the handlers; else the probe's own timestamps count.
  const ownStamps = opts.clock === undefined;
  const table = new SiteTable<LatencySite>(() => ({ hits: 0, errors: 0, settled: 0, faults: 0, histogram: new Histogram() }));
  const START = Symbol('hookwire.latency.start');

  const finish = (ctx: ProbeCallContext, failed: boolean, result: unknown): void => {
    let site: LatencySite | undefined;
    try {
      site = table.siteOf(ctx);
      if (site === undefined) return table.fault(undefined);
      const stamped = ownStamps && typeof ctx.startMs === 'number' && typeof ctx.endMs === 'number' && ctx.endMs >= ctx.startMs;
      const start = stamped ? ctx.startMs : scratch<number>(ctx, START);
      if (typeof start !== 'number') {
        if (failed) site.errors++;
        return table.fault(site);
      }
      if (!failed && ctx.settled !== true && untilSettled(site, start, result)) return;
      if (failed) site.errors++;
      if (ctx.settled === true) site.settled++;
      site.histogram.record((stamped ? ctx.endMs : clock()) - start);
    } catch {
      table.fault(site);
    }
  };

  /** Times a returned thenable until it settles (see settle.ts); false when `result` is no thenable. */
  const untilSettled = (site: LatencySite, start: number, result: unknown): boolean =>
    whenSettled(result, (rejected) => {
      try {
        if (rejected) site.errors++;
        site.settled++;
        site.histogram.record(clock() - start);
      } catch {
        table.fault(site);
      }
    });

  const observer: Observer<LatencyReport> = {
    type: 'latency',
    forHook(hook: AnyHook) {
      const site = table.site(hook.name);
      return named((..._args: unknown[]): void => {
        site.hits++;
      }, 'latency');
    },
    forProbe(): ProbeHandlers {
      return {
        // The probe reads the clock around the original for us (unless a clock of the caller's is used).
        timed: ownStamps,
        onEnter(ctx) {
          let site: LatencySite | undefined;
          try {
            site = table.siteOf(ctx);
            if (site === undefined) return table.fault(undefined);
            site.hits++;
            setScratch(ctx, START, clock());
          } catch {
            table.fault(site);
          }
        },
        onLeave(ctx, result) {
          finish(ctx, false, result);
          return undefined;
        },
        onError(ctx) {
          finish(ctx, true, undefined);
          return undefined;
        },
      };
    },
    report(): LatencyReport {
      return {
        type: 'latency',
        ...table.report((s): LatencySiteReport => ({
          hits: s.hits,
          errors: s.errors,
          faults: s.faults,
          count: s.histogram.count,
          settled: s.settled,
          p50Ms: round(s.histogram.percentile(50)),
          p90Ms: round(s.histogram.percentile(90)),
          p99Ms: round(s.histogram.percentile(99)),
          maxMs: round(s.histogram.max),
          minMs: round(s.histogram.min),
          meanMs: round(s.histogram.mean),
        })),
      };
    },
    close() {},
  };
  recordHistograms(observer, table.sites);
  return observer;
}

/** Rounds to 0.001 ms (a microsecond), keeping null. */
function round(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 1000) / 1000;
}
