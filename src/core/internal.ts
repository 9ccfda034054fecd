/**
 * @internal The core's internals, for hookwire's own layers (probes, exits, control) only.
 * Not part of the public API: nothing here is exported from the package's entry points.
 */
export { declare } from './factories.ts';
export { HookImpl } from './hook.ts';
export { ExitImpl } from './exit.ts';
export { runTransaction } from './transaction.ts';
export { RegistryImpl } from './registry.ts';
export { KINDS, type Kind } from './kinds.ts';
export type { InflightTracker } from './compile/plan.ts';
export { validateOrder } from './order.ts';
export { describe, isHookName, validateOptions, validateBoolean, validateFunction, validateExitName, validateHookName } from './validate.ts';
export { codeGenerationEnabled } from './compile/mode.ts';
export { sanitize } from './compile/sanitize.ts';
export { didYouMean, editDistance, nearest } from './suggest.ts';
