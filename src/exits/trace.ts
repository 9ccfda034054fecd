/**
 * `trace`: one structured record per (sampled) hit — time, site, arguments and result summarised
 * safely, duration, error — to stderr, a JSON-lines file or a callback. A declared hook's fire is
 * recorded at once (`event: 'fire'`); a probed call is recorded when it completes (`event: 'call'`,
 * with the arguments as they were at entry).
 */
import type { AnyHook } from '../core/index.ts';
import {
  named,
  scratch,
  setScratch,
  SiteTable,
  type Observer,
  type TraceReport,
  type ProbeCallContext,
  type ProbeHandlers,
  type TraceSiteReport,
} from './observer.ts';
import { whenSettled } from './settle.ts';
import { openSink, type Sink, type TraceRecord } from './sinks.ts';
import { checkTraceOptions, type TraceOptions } from './trace-options.ts';

export { checkTraceOptions, type TraceOptions, type TraceSettings } from './trace-options.ts';
import { errorInfo, summarize, summarizeArgs } from './summarize.ts';

interface CallState {
  time: number;
  start: number;
  args: unknown;
  /** Cleared by a microtask queued at entry: still set at completion means the call completed synchronously. */
  tick: { sync: boolean };
}

/** Makes a tracing observer. Bad options throw ERR_INVALID_ARG; a file sink is opened here. */
export function trace(options?: TraceOptions): Observer<TraceReport> {
  const { sink: sinkOption, format, every, rate, limits, random, clock, now } = checkTraceOptions(options);
  const table = new SiteTable<TraceSiteReport>(() => ({ hits: 0, errors: 0, recorded: 0, lost: 0, faults: 0 }));
  // A buffered file loses lines at a later flush: each moves from recorded to lost then.
  const sink: Sink = openSink(sinkOption, format, (name) => {
    const site = table.site(name);
    site.recorded--;
    site.lost++;
  });
  const CALL = Symbol('hookwire.trace.call');
  let closed = false;

  const sampled = (site: TraceSiteReport): boolean => (every === 1 || (site.hits - 1) % every === 0) && (rate === 1 || random() < rate);

  const emit = (site: TraceSiteReport, record: TraceRecord): void => {
    if (closed) return;
    try {
      sink.write(record);
    } catch (error) {
      // Refused: lost, and a fault of the site (the caller counts it).
      site.lost++;
      throw error;
    }
    site.recorded++;
  };

  const complete = (ctx: ProbeCallContext, outcome: { result: unknown } | { error: unknown }): void => {
    let site: TraceSiteReport | undefined;
    try {
      site = table.siteOf(ctx);
      if (site === undefined) return table.fault(undefined);
      if ('error' in outcome) site.errors++;
      const state = scratch<CallState>(ctx, CALL);
      if (state === undefined) return;
      setScratch(ctx, CALL, undefined);
      const record: TraceRecord = { time: state.time, site: ctx.hook, event: 'call', args: state.args };
      // The probe's stamps around the original call, unless a clock was given (tests): no exit's work is in them.
      const stamped = options?.clock === undefined && typeof ctx.startMs === 'number' && typeof ctx.endMs === 'number' && ctx.endMs >= ctx.startMs;
      const start = stamped ? ctx.startMs : state.start;
      // A non-async function that returned a thenable: the record is its settlement (value or
      // error, time until then), written when it settles, as for an async function.
      const traced = site;
      if (!('error' in outcome) && ctx.settled !== true) {
        const waiting = whenSettled(outcome.result, (rejected, value) => {
          try {
            if (rejected) {
              traced.errors++;
              record.error = errorInfo(value, limits);
            } else record.result = summarize(value, limits);
            record.durationMs = Math.round((clock() - start) * 1000) / 1000;
            record.async = true;
            emit(traced, record);
          } catch {
            table.fault(traced);
          }
        });
        if (waiting) return;
      }
      if ('error' in outcome) record.error = errorInfo(outcome.error, limits);
      else record.result = summarize(outcome.result, limits);
      record.durationMs = Math.round(((stamped ? ctx.endMs : clock()) - start) * 1000) / 1000;
      record.async = !state.tick.sync;
      emit(site, record);
    } catch {
      table.fault(site);
    }
  };

  return {
    type: 'trace',
    forHook(hook: AnyHook) {
      const site = table.site(hook.name);
      const name = hook.name;
      const names = hook.args;
      return named((...args: unknown[]): void => {
        try {
          site.hits++;
          if (!sampled(site)) return;
          emit(site, { time: now(), site: name, event: 'fire', args: summarizeArgs(args, limits, names) });
        } catch {
          table.fault(site);
        }
      }, 'trace');
    },
    forProbe(): ProbeHandlers {
      return {
        // The probe reads the clock around the original for us (unless a clock of the caller's is used).
        timed: options?.clock === undefined,
        onEnter(ctx) {
          let site: TraceSiteReport | undefined;
          try {
            site = table.siteOf(ctx);
            if (site === undefined) return table.fault(undefined);
            site.hits++;
            if (closed || !sampled(site)) return;
            const tick = { sync: true };
            queueMicrotask(() => {
              tick.sync = false;
            });
            const state: CallState = { time: now(), start: clock(), args: summarizeArgs(ctx.args, limits), tick };
            setScratch(ctx, CALL, state);
          } catch {
            table.fault(site);
          }
        },
        onLeave(ctx, result) {
          complete(ctx, { result });
          return undefined;
        },
        onError(ctx, error) {
          complete(ctx, { error });
          return undefined;
        },
      };
    },
    report(): TraceReport {
      return { type: 'trace', ...table.report((s) => ({ ...s })) };
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        sink.close();
      } catch {
        table.fault(undefined);
      }
    },
  };
}
