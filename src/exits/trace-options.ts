/**
 * What `trace` accepts: its options, checked without opening anything, and the sink they name
 * checked the same way. The rules `trace` and exit specs share (exit-spec.ts), in a module of
 * their own so that checking a spec loads no sink, format or file code (issue 8).
 */
import { HookError } from '../core/index.ts';
import { describe, validateFunction, validateOptions } from '../core/internal.ts';
import { resolveClocks, type ClockOptions } from './observer.ts';
import type { TraceRecord, TraceSink } from './sinks.ts';
import { resolveLimits, type SummaryLimits } from './summarize.ts';

/** Options of {@link trace}. */
export interface TraceOptions extends ClockOptions {
  /** Where records go: `'stderr'` (default), `{ file: path }` (JSON lines, appended) or `{ callback }`. */
  sink?: TraceSink;
  /** Line format on stderr: `'text'` (default, for people) or `'json'`. Files always get JSON lines. */
  format?: 'text' | 'json';
  /** Record every Nth hit of each site (the 1st, N+1th, …); integer ≥ 1, default 1. */
  every?: number;
  /** Then record each remaining hit with this probability, 0..1 (default 1). */
  rate?: number;
  /** Limits of the argument/result summaries. */
  limits?: SummaryLimits;
  /** Random numbers in [0, 1) for `rate` (default `Math.random`); tests pass a fixed sequence. */
  random?: () => number;
}

const OPTION_KEYS = ['sink', 'format', 'every', 'rate', 'limits', 'random', 'clock', 'now'];

/** {@link TraceOptions} after {@link checkTraceOptions}: checked, defaults filled in, nothing opened. */
export interface TraceSettings {
  readonly sink: TraceSink | undefined;
  readonly format: 'text' | 'json';
  readonly every: number;
  readonly rate: number;
  readonly limits: Readonly<Required<SummaryLimits>>;
  readonly random: () => number;
  readonly clock: () => number;
  readonly now: () => number;
}

/**
 * Checks trace options without opening anything (the rules `trace` and exit specs share). Throws
 * ERR_INVALID_ARG naming the first bad option.
 */
export function checkTraceOptions(options: unknown): TraceSettings {
  const opts = validateOptions(options, OPTION_KEYS, 'trace option') as TraceOptions;
  const every = opts.every ?? 1;
  if (typeof every !== 'number' || !Number.isInteger(every) || every < 1 || every > 1e9) {
    throw new HookError('ERR_INVALID_ARG', `trace option "every" must be an integer from 1 to 1e9, got ${describe(every)}`);
  }
  const rate = opts.rate ?? 1;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw new HookError('ERR_INVALID_ARG', `trace option "rate" must be a number from 0 to 1, got ${describe(rate)}`);
  }
  const format = opts.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new HookError('ERR_INVALID_ARG', `trace option "format" must be "text" or "json", got ${describe(format)}`);
  }
  const limits = resolveLimits(opts.limits, 'trace option "limits"');
  const random = opts.random === undefined ? Math.random : (validateFunction(opts.random, 'trace option "random"') as () => number);
  const { clock, now } = resolveClocks(opts, 'trace');
  const sink = checkSink(opts.sink);
  return { sink, format, every, rate, limits, random, clock, now };
}

/**
 * Checks a {@link TraceSink} without opening anything: `'stderr'` (or undefined), `{ file: path }`
 * with a non-empty path, or `{ callback: fn }`. Throws ERR_INVALID_ARG for anything else.
 */
export function checkSink(sink: unknown): TraceSink | undefined {
  if (sink === undefined || sink === 'stderr') return sink;
  if (typeof sink === 'object' && sink !== null && !Array.isArray(sink)) {
    const keys = Object.keys(sink);
    const only = keys.length === 1 ? keys[0] : undefined;
    if (only === 'file' || only === 'chrome') {
      const file = (sink as Record<string, unknown>)[only];
      if (typeof file !== 'string' || file.length === 0 || file.includes('\0')) {
        throw new HookError('ERR_INVALID_ARG', `trace sink "${only}" must be a non-empty path, got ${describe(file)}`);
      }
      return sink as { file: string } | { chrome: string };
    }
    if (only === 'callback') {
      const callback = (sink as { callback: unknown }).callback;
      if (typeof callback !== 'function') {
        throw new HookError('ERR_INVALID_ARG', `trace sink "callback" must be a function, got ${describe(callback)}`);
      }
      return sink as { callback: (record: TraceRecord) => void };
    }
  }
  throw new HookError('ERR_INVALID_ARG', `trace sink must be "stderr", { file: path }, { chrome: path } or { callback: fn }, got ${describe(sink)}`);
}
