import { HookError } from './errors.ts';
import type { HookConfig, HookImpl } from './hook.ts';
import { KINDS, type KindName } from './kinds.ts';
import { describe } from './validate.ts';
import { RegistryImpl, registry as defaultRegistry } from './registry.ts';
import type { AsyncGate, AsyncHook, AsyncWaterfall, FaultPolicy, Gate, Hook, HookOptions, ParallelHook, Waterfall } from './types.ts';
import { validateBoolean, validateOptions } from './validate.ts';

const OPTION_KEYS = ['registry', 'exclusive', 'faultPolicy', 'faults', 'args', 'description'] as const;

/** Declares a notify hook: `const fileOpen = hook<[path: string, mode: number]>('fs:open')`. */
export function hook<A extends unknown[] = []>(name: string, options?: HookOptions): Hook<A> {
  return declare('hook', name, options);
}

/** Declares a gate: the first exit returning a value decides what `fire` returns. */
export function gate<A extends unknown[] = [], R = unknown>(name: string, options?: HookOptions): Gate<A, R> {
  return declare('gate', name, options) as unknown as Gate<A, R>;
}

/** Declares a waterfall: exits may replace the first argument in turn; `fire` returns the result. */
export function waterfall<A extends [unknown, ...unknown[]]>(name: string, options?: HookOptions): Waterfall<A> {
  return declare('waterfall', name, options);
}

/** Declares an async notify hook: exits run in series, each awaited. */
export function asyncHook<A extends unknown[] = []>(name: string, options?: HookOptions): AsyncHook<A> {
  return declare('asyncHook', name, options) as unknown as AsyncHook<A>;
}

/** Declares an async gate. */
export function asyncGate<A extends unknown[] = [], R = unknown>(name: string, options?: HookOptions): AsyncGate<A, R> {
  return declare('asyncGate', name, options) as unknown as AsyncGate<A, R>;
}

/** Declares an async waterfall. */
export function asyncWaterfall<A extends [unknown, ...unknown[]]>(name: string, options?: HookOptions): AsyncWaterfall<A> {
  return declare('asyncWaterfall', name, options) as unknown as AsyncWaterfall<A>;
}

/** Declares a parallel hook: all exits start together and are awaited together. */
export function parallelHook<A extends unknown[] = []>(name: string, options?: HookOptions): ParallelHook<A> {
  return declare('parallelHook', name, options) as unknown as ParallelHook<A>;
}

/** @internal Validates factory options and declares the hook in its registry. */
export function declare(kind: KindName, name: unknown, options: unknown, extra?: Partial<HookConfig>): HookImpl {
  const opts = validateOptions(options, OPTION_KEYS, 'hook option');
  const target = opts['registry'] ?? defaultRegistry;
  if (!(target instanceof RegistryImpl)) {
    throw new HookError('ERR_INVALID_ARG', `hook option "registry" must come from createRegistry(), got ${describe(target)}`);
  }
  const faultPolicy = validateFaultPolicy(opts['faultPolicy'], opts['faults']);
  const description = opts['description'];
  if (description !== undefined && typeof description !== 'string') {
    throw new HookError('ERR_INVALID_ARG', `hook option "description" must be a string, got ${describe(description)}`);
  }
  const config: HookConfig = {
    exclusive: validateBoolean(opts['exclusive'], 'hook option "exclusive"') ?? false,
    isolate: faultPolicy === 'isolate',
    args: validateArgs(opts['args'], KINDS[kind].combine === 'waterfall'),
    description,
    ...extra,
  };
  return target._declare(KINDS[kind], name, config);
}

/**
 * The fault policy from `faultPolicy`, or from `faults`, its older name (documented, so still
 * accepted); both given must agree. The count of faults is `stats.faults`, never this.
 */
function validateFaultPolicy(policy: unknown, legacy: unknown): FaultPolicy {
  for (const [value, key] of [
    [policy, 'faultPolicy'],
    [legacy, 'faults'],
  ] as const) {
    if (value !== undefined && value !== 'propagate' && value !== 'isolate') {
      throw new HookError('ERR_INVALID_ARG', `hook option "${key}" must be 'propagate' or 'isolate', got ${describe(value)}`);
    }
  }
  if (policy !== undefined && legacy !== undefined && policy !== legacy) {
    throw new HookError(
      'ERR_INVALID_ARG',
      `hook options "faultPolicy" and "faults" (its older name) disagree: ${describe(policy)} and ${describe(legacy)}`,
    );
  }
  return (policy ?? legacy ?? 'propagate') as FaultPolicy;
}

function validateArgs(args: unknown, needsOne: boolean): readonly string[] | null {
  if (args === undefined) return null;
  const ok = Array.isArray(args) && args.length <= 64 && args.every((a) => typeof a === 'string' && /^[\p{L}_$][\p{L}\p{N}_$]{0,63}$/u.test(a));
  if (!ok) {
    throw new HookError('ERR_INVALID_ARG', `hook option "args" must be an array of at most 64 identifier names, got ${describe(args)}`);
  }
  if (needsOne && args.length === 0) {
    throw new HookError('ERR_INVALID_ARG', 'a waterfall hook needs at least one argument: the value it passes along');
  }
  return Object.freeze([...(args as string[])]);
}
