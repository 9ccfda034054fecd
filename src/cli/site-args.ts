/**
 * The CLI's site and exit arguments: `--probe SPEC[=EXIT]`, `--hook NAME[=EXIT]`, a TARGET or
 * SITE, an EXIT list. None of the rules is the CLI's own: a probe spec is what `parseProbeSpec`
 * (hookwire/probe) accepts, a hook name what the core's `validateHookName` accepts, an exit what
 * `parseExitList` (hookwire/exits) accepts, exactly as for the API and the control server. A
 * refusal becomes a usage error naming the argument.
 */
import type { AttachRequest } from '../control/protocol.ts';
import { HookError } from '../core/index.ts';
import { isHookName, validateHookName } from '../core/internal.ts';
import { parseExitList, type ExitSpec } from '../exits/exit-spec.ts';
import { isLineSpecText, isProbeSpecText, parseProbeSpec } from '../probe/spec.ts';
import { UsageError } from './args.ts';

/**
 * An EXIT argument: a type name (`latency`), several (`trace,latency`), or a JSON spec
 * (`{"type":"trace","every":10}`). Returns one spec per exit.
 */
export function parseExitArg(text: string, what: string): ExitSpec[] {
  return asUsage(what, () => parseExitList(text));
}

/**
 * `--probe SPEC[=EXIT]`: a probe spec and its exits (default: latency; count for a source line,
 * whose breakpoint sees no durations). The exits start at the first `=` after the spec's first `#`
 * (a module specifier may hold `=`, an exit's JSON may hold `#`).
 */
export function parseProbeOption(value: string): AttachRequest[] {
  const eq = value.indexOf('=', Math.max(0, value.indexOf('#')));
  const spec = eq === -1 ? value : value.slice(0, eq);
  const exits = eq === -1 ? (isLineSpecText(spec) ? 'count' : 'latency') : value.slice(eq + 1);
  asUsage(`--probe ${value}`, () => parseProbeSpec(spec));
  return parseExitArg(exits, `--probe ${value}`).map((exit) => ({ target: spec, exit }));
}

/** `--hook NAME[=EXIT]`: a hook the program declares, and its exits (default: count). */
export function parseHookOption(value: string): AttachRequest[] {
  const eq = value.indexOf('=');
  const name = eq === -1 ? value : value.slice(0, eq);
  const exits = eq === -1 ? 'count' : value.slice(eq + 1);
  asUsage(`--hook ${value}`, () => validateHookName(name));
  return parseExitArg(exits, `--hook ${value}`).map((exit) => ({ target: name, exit }));
}

/**
 * A TARGET or SITE, read as the control server reads it: `probe:SPEC`, anything with a `#`
 * (`MODULE#PATH`) and a source line (`FILE:LINE[:COLUMN]`) are probe specs; anything else is the
 * name of a hook the program declares (`area:point`).
 */
export function checkTarget(target: string, what: string): void {
  if (target.startsWith('probe:')) asUsage(what, () => parseProbeSpec(target.slice('probe:'.length)));
  else if (isProbeSpecText(target)) asUsage(what, () => parseProbeSpec(target));
  else asUsage(what, () => validateHookName(target));
}

/** Whether an argument reads as a SITE (a probe spec or a hook name) rather than a program to run. */
export function isSite(arg: string): boolean {
  return arg.startsWith('probe:') || isProbeSpecText(arg) || isHookName(arg);
}

/** Runs an owner's check; its refusal (ERR_INVALID_ARG) becomes a UsageError prefixed with `what`. */
function asUsage<T>(what: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof HookError && error.code === 'ERR_INVALID_ARG') throw new UsageError(`${what}: ${error.message}`);
    throw error;
  }
}
