/**
 * `latency`: a duration histogram per site with p50/p90/p99/max. On a probe a duration runs from
 * entry to return or throw — for async targets until the promise settles, for generators until
 * they complete (the probe calls `onLeave`/`onError` then). A declared hook has no duration: its
 * fires count as hits and its percentiles stay null.
 */
import type { AnyHook } from '../core/index.ts';
import { validateOptions } from '../core/internal.ts';
import { Histogram } from './histogram.ts';
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

/** Options of {@link latency}. */
export interface LatencyOptions extends ClockOptions {}

interface LatencySite extends SiteReport {
  errors: number;
  histogram: Histogram;
}

/** Makes a latency observer. `clock` (monotonic ms, default `performance.now`) can be faked in tests. */
export function latency(options?: LatencyOptions): Observer<LatencyReport> {
  const opts = validateOptions(options, ['clock', 'now'], 'latency option') as LatencyOptions;
  const { clock } = resolveClocks(opts, 'latency');
  const table = new SiteTable<LatencySite>(() => ({ hits: 0, errors: 0, faults: 0, histogram: new Histogram() }));
  const START = Symbol('hookwire.latency.start');

  const finish = (ctx: ProbeCallContext, failed: boolean): void => {
    let site: LatencySite | undefined;
    try {
      site = table.siteOf(ctx);
      if (site === undefined) return table.fault(undefined);
      const start = scratch<number>(ctx, START);
      if (failed) site.errors++;
      if (typeof start !== 'number') return table.fault(site);
      site.histogram.record(clock() - start);
    } catch {
      table.fault(site);
    }
  };

  return {
    type: 'latency',
    forHook(hook: AnyHook) {
      const site = table.site(hook.name);
      return named((..._args: unknown[]): void => {
        site.hits++;
      }, 'latency');
    },
    forProbe(): ProbeHandlers {
      return {
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
        onLeave(ctx) {
          finish(ctx, false);
          return undefined;
        },
        onError(ctx) {
          finish(ctx, true);
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
}

/** Rounds to 0.001 ms (a microsecond), keeping null. */
function round(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 1000) / 1000;
}
