/**
 * How an observer is built from an exit spec, given the exit types' factories: the spec is parsed
 * and checked whole by `parseExitSpec` (exit-spec.ts); this file fills in the caller's defaults,
 * applies its file policy and calls the type's factory. `observerFromSpec` (spec.ts) passes every
 * factory; the agent passes those it loaded for the specs it was given (exit-loaders.ts, issue 8).
 */
import { HookError, type Registry } from '../core/index.ts';
import { describe } from '../core/internal.ts';
import type { assert } from './assert.ts';
import type { count } from './count.ts';
import { parseExitSpec } from './exit-spec.ts';
import type { latency } from './latency.ts';
import type { Observer } from './observer.ts';
import type { publish } from './publish.ts';
import type { TraceSink } from './sinks.ts';
import type { span } from './span.ts';
import { resolveLimits, type SummaryLimits } from './summarize.ts';
import type { trace } from './trace.ts';

/**
 * What a spec leaves out, filled in by the caller (the agent passes its trace sink, for example).
 * A spec's own fields win over these.
 */
export interface SpecDefaults {
  /** Trace sink when the spec names none (may be a callback: defaults come from code, not JSON). */
  sink?: TraceSink;
  /** Trace line format on stderr when the spec names none. */
  format?: 'text' | 'json';
  /** Summary limits under the spec's own `limits`. */
  limits?: SummaryLimits;
  /** Assert capture directory when the spec names none. */
  captureDir?: string;
  /** Registry whose snapshot assert captures of probes hold. */
  registry?: Registry;
  /** false: refuse specs that name file paths (`sink: {file}`, `captureDir`). Default true. */
  allowFiles?: boolean;
}

/**
 * The factory of each exit type. The agent's are getters that refuse a type not loaded yet
 * (exit-loaders.ts); they are read only after the spec itself was checked.
 */
export interface ExitMakers {
  readonly count: typeof count;
  readonly latency: typeof latency;
  readonly trace: typeof trace;
  readonly span: typeof span;
  readonly publish: typeof publish;
  readonly assert: typeof assert;
}

/**
 * Builds an observer from a spec with `makers` (see `observerFromSpec` for the spec's forms).
 * Throws ERR_INVALID_ARG for a bad spec or defaults, or a file path where `allowFiles` is false.
 */
export function buildObserver(spec: unknown, defaults: SpecDefaults | undefined, makers: ExitMakers): Observer {
  const d = checkDefaults(defaults);
  const s = parseExitSpec(spec);
  const type = s.type;
  const baseLimits = resolveLimits(d.limits, 'default limits');
  const limits = 'limits' in s ? resolveLimits(s['limits'], `${type} spec "limits"`, baseLimits) : baseLimits;
  switch (type) {
    case 'count':
      return makers.count();
    case 'latency':
      return makers.latency();
    case 'trace': {
      let sink: TraceSink | undefined = d.sink;
      if ('sink' in s) {
        const given = s['sink'] as 'stderr' | { file: string };
        if (given !== 'stderr' && d.allowFiles === false) throw new HookError('ERR_INVALID_ARG', 'trace spec "sink": file paths are not allowed here');
        sink = given;
      }
      return makers.trace({
        ...(sink !== undefined && { sink }),
        ...((s['format'] ?? d.format) !== undefined && { format: (s['format'] ?? d.format) as 'text' | 'json' }),
        ...('every' in s && { every: s['every'] as number }),
        ...('rate' in s && { rate: s['rate'] as number }),
        limits,
      });
    }
    case 'span':
      return makers.span({ limits, ...('tracer' in s && { tracer: s['tracer'] as string }) });
    case 'publish':
      return makers.publish();
    case 'assert': {
      if ('captureDir' in s && d.allowFiles === false) {
        throw new HookError('ERR_INVALID_ARG', 'assert spec "captureDir": file paths are not allowed here');
      }
      const captureDir = 'captureDir' in s ? s['captureDir'] : d.captureDir;
      return makers.assert({
        predicate: s['predicate'] as never,
        ...(captureDir !== undefined && { captureDir: captureDir as string }),
        ...('capture' in s && { capture: s['capture'] as boolean }),
        ...(d.registry !== undefined && { registry: d.registry }),
        limits,
      });
    }
  }
}

function checkDefaults(defaults: unknown): SpecDefaults {
  if (defaults === undefined) return {};
  if (!isRecord(defaults)) throw new HookError('ERR_INVALID_ARG', `spec defaults must be an object, got ${describe(defaults)}`);
  const known = ['sink', 'format', 'limits', 'captureDir', 'registry', 'allowFiles'];
  for (const key of Object.keys(defaults)) {
    if (!known.includes(key)) throw new HookError('ERR_INVALID_ARG', `unknown spec default "${key}" (known: ${known.join(', ')})`);
  }
  return defaults;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
