/**
 * What `assert` accepts: its options, checked, the predicate compiled whole. The rules `assert`
 * and exit specs share (exit-spec.ts), in a module of their own so that checking a spec loads no
 * capture code (issue 8).
 */
import { HookError, type Registry } from '../core/index.ts';
import { describe, validateOptions } from '../core/internal.ts';
import { resolveClocks, type ClockOptions } from './observer.ts';
import { defaultCaptureDir } from './platform.ts';
import { compilePredicate, type CompiledPredicate, type Predicate } from './predicate.ts';
import { resolveLimits, type SummaryLimits } from './summarize.ts';

/** Options of {@link assert}. */
export interface AssertOptions extends Pick<ClockOptions, 'now'> {
  /** What must hold at every hit (see the predicate language in docs/exits.md). Required. */
  predicate: Predicate;
  /** Where the first failure's capture file goes (default: `os.tmpdir()/hookwire-captures-<uid>`, one per user). */
  captureDir?: string;
  /** false: count failures but write no capture file (default true). */
  capture?: boolean;
  /** Limits of the argument/result summaries in the capture. */
  limits?: SummaryLimits;
  /** Registry whose snapshot a probe's capture holds (default: the default registry; hooks use their own). */
  registry?: Registry;
}

const ASSERT_KEYS = ['predicate', 'captureDir', 'capture', 'limits', 'registry', 'now'];

/** {@link AssertOptions} after {@link checkAssertOptions}: checked, the predicate compiled, defaults filled in. */
export interface AssertSettings {
  readonly predicate: CompiledPredicate;
  readonly captureDir: string | undefined;
  readonly capture: boolean;
  readonly registry: Registry | undefined;
  readonly limits: Readonly<Required<SummaryLimits>>;
  readonly now: () => number;
}

/**
 * Checks assert options, the predicate whole (the rules `assert` and exit specs share). Throws
 * ERR_INVALID_ARG naming the first problem.
 */
export function checkAssertOptions(options: unknown): AssertSettings {
  if (options === undefined) throw new HookError('ERR_INVALID_ARG', 'assert needs options with a "predicate"');
  const opts = validateOptions(options, ASSERT_KEYS, 'assert option') as unknown as AssertOptions;
  if (!('predicate' in opts) || opts.predicate === undefined) {
    throw new HookError('ERR_INVALID_ARG', 'assert needs a "predicate", e.g. {"arg":0,"op":"typeof","value":"string"}');
  }
  const predicate = compilePredicate(opts.predicate);
  const captureDir = opts.captureDir ?? defaultCaptureDir();
  if (opts.captureDir !== undefined && (typeof opts.captureDir !== 'string' || opts.captureDir.length === 0 || opts.captureDir.includes('\0'))) {
    throw new HookError('ERR_INVALID_ARG', `assert option "captureDir" must be a non-empty path, got ${describe(opts.captureDir)}`);
  }
  if (opts.capture !== undefined && typeof opts.capture !== 'boolean') {
    throw new HookError('ERR_INVALID_ARG', `assert option "capture" must be a boolean, got ${describe(opts.capture)}`);
  }
  const registry = opts.registry;
  if (registry !== undefined && (typeof registry !== 'object' || registry === null || typeof registry.snapshot !== 'function')) {
    throw new HookError('ERR_INVALID_ARG', `assert option "registry" must be a registry, got ${describe(registry)}`);
  }
  const capture = opts.capture ?? true;
  const limits = resolveLimits(opts.limits, 'assert option "limits"');
  const { now } = resolveClocks(opts, 'assert');
  return { predicate, captureDir, capture, registry, limits, now };
}
