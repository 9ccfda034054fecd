/**
 * Every misuse of hookwire throws a {@link HookError} whose `code` is one of these stable strings.
 * Callers branch on `code`, never on the message.
 */
export const ErrorCodes = {
  /** A hook with this name is already declared in the registry. */
  ERR_HOOK_EXISTS: 'ERR_HOOK_EXISTS',
  /** `terminate()` was called on a hook that still has armed exits, without `{ force: true }`. */
  ERR_HOOK_BUSY: 'ERR_HOOK_BUSY',
  /** The requested order cannot be met: a second `first`/`last`, an `only` conflict, a taken exclusive hook. */
  ERR_HOOK_ORDER: 'ERR_HOOK_ORDER',
  /** The hook (or its registry) is sealed: its exits can no longer change. */
  ERR_HOOK_SEALED: 'ERR_HOOK_SEALED',
  /** The hook was terminated: it and its exits can no longer be used. */
  ERR_HOOK_TERMINATED: 'ERR_HOOK_TERMINATED',
  /** The exit was deregistered: it can no longer be armed. */
  ERR_EXIT_DEREGISTERED: 'ERR_EXIT_DEREGISTERED',
  /**
   * A change was attempted while a transaction is open (or while hooks are being rebuilt for a
   * change): transactions do not nest; mark the change on the open transaction instead.
   */
  ERR_TRANSACTION_OPEN: 'ERR_TRANSACTION_OPEN',
  /** An argument is malformed: a bad name, a non-function exit, an unknown option, a foreign exit. */
  ERR_INVALID_ARG: 'ERR_INVALID_ARG',
  /** A probe target cannot be probed: no such property, not a function, frozen/non-configurable, probed in another registry. */
  ERR_PROBE_TARGET: 'ERR_PROBE_TARGET',
  /** A probe spec names a module that cannot be resolved. */
  ERR_MODULE_NOT_FOUND: 'ERR_MODULE_NOT_FOUND',
  /** A probe spec names an ES module, and the loader (`node --import hookwire/register`) is not installed. */
  ERR_PROBE_LOADER: 'ERR_PROBE_LOADER',
  /** A probe spec names an `export const` (or re-exported import) holding a function: its binding cannot be replaced. */
  ERR_PROBE_CONST: 'ERR_PROBE_CONST',
  /**
   * A probe on the breakpoint path (a source line, or an ES module export that cannot be handed
   * over to a wrapper) was asked for what a breakpoint cannot give: a return value, an error, a
   * duration or an override; or the in-process inspector is not available.
   */
  ERR_PROBE_BREAKPOINT: 'ERR_PROBE_BREAKPOINT',
  /**
   * Reported (to fault listeners, never thrown) when a probe's wrapper was replaced by someone else:
   * the probe leaves their function in place instead of restoring over it.
   */
  ERR_PROBE_REPLACED: 'ERR_PROBE_REPLACED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** The one error class hookwire throws. `code` is stable across versions; `message` is for people. */
export class HookError extends Error {
  readonly code: string;
  constructor(code: ErrorCode | (string & {}), message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HookError';
    this.code = code;
  }
}

/** Turns any thrown value into an Error, so fault listeners always receive one. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  let text: string;
  try {
    text = typeof value === 'string' ? value : String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return new Error(`non-error thrown: ${text}`, { cause: value });
}
