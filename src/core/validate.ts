import { HookError } from './errors.ts';

/** Hook names are namespaced `area:point` (`fs:open`, `probe:node:fs#readFileSync`). */
const HOOK_NAME = /^[^\s:]+:\S+$/u;

/**
 * Whether `name` is a hook name: namespaced `area:point`, no whitespace or control characters, at
 * most 256 characters. The one hook-name rule: the core, the CLI and the control server ask here.
 */
export function isHookName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 256 && HOOK_NAME.test(name) && !/\p{Cc}/u.test(name);
}

/** Throws ERR_INVALID_ARG unless `name` is a hook name ({@link isHookName}). */
export function validateHookName(name: unknown): string {
  // A channel site with no channel (exits/channel-site.ts owns the rest of that rule).
  if (name === 'dc:' || name === 'tracing:') {
    throw new HookError(
      'ERR_INVALID_ARG',
      `${name} needs a channel name, like ${name === 'dc:' ? 'dc:http.client.request.start' : 'tracing:my-lib:query'}`,
    );
  }
  if (!isHookName(name)) {
    throw new HookError(
      'ERR_INVALID_ARG',
      `a hook name must be a namespaced string like "area:point" with no spaces (at most 256 characters), got ${describe(name)}`,
    );
  }
  return name;
}

/** Throws ERR_INVALID_ARG unless `name` is a non-empty exit name of at most 128 characters. */
export function validateExitName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 128 || /\p{Cc}/u.test(name)) {
    throw new HookError('ERR_INVALID_ARG', `an exit name must be a non-empty string of at most 128 characters, got ${describe(name)}`);
  }
  return name;
}

/** Throws ERR_INVALID_ARG unless `fn` is a function. */
export function validateFunction(fn: unknown, what: string): (...args: never[]) => unknown {
  if (typeof fn !== 'function') throw new HookError('ERR_INVALID_ARG', `${what} must be a function, got ${describe(fn)}`);
  return fn as (...args: never[]) => unknown;
}

/**
 * Returns `options` as a record after checking it is undefined or a plain object with only the
 * `allowed` keys, so a misspelt option fails loudly instead of being ignored.
 */
export function validateOptions(options: unknown, allowed: readonly string[], what: string): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new HookError('ERR_INVALID_ARG', `${what} must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new HookError('ERR_INVALID_ARG', `unknown ${what} "${key}" (known: ${allowed.join(', ')})`);
    }
  }
  return options as Record<string, unknown>;
}

/** Throws ERR_INVALID_ARG unless `value` is undefined or a boolean. */
export function validateBoolean(value: unknown, what: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new HookError('ERR_INVALID_ARG', `${what} must be a boolean, got ${describe(value)}`);
}

/** A short, safe description of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  // Only primitives are left here (strings, objects and functions were handled above).
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return String(value);
}
