/**
 * hookwire: hooks that cost nothing while disarmed, exits with a managed life, and a registry to
 * list and steer them. This is the core: it imports nothing from `node:` and runs wherever
 * JavaScript does.
 */
export { hook, gate, waterfall, asyncHook, asyncGate, asyncWaterfall, parallelHook } from './factories.ts';
export { armAll, disarmAll } from './group.ts';
export { transaction, type Transaction } from './transaction.ts';
export { registry, createRegistry } from './registry.ts';
export { STOP, type Stop } from './stop.ts';
export { HookError, ErrorCodes, type ErrorCode } from './errors.ts';
export { setCodeGeneration, codeGenerationEnabled } from './compile/mode.ts';
export type { KindName } from './kinds.ts';
export type { Order } from './order.ts';
export type {
  AnyFn,
  AnyHook,
  AsyncGate,
  AsyncHook,
  AsyncWaterfall,
  Awaitable,
  Exit,
  ExitSnapshot,
  ExitStats,
  FaultEvent,
  FaultListener,
  FaultPolicy,
  Gate,
  Hook,
  HookBase,
  HookOptions,
  HookSnapshot,
  ParallelHook,
  RegisterOptions,
  Registry,
  RegistrySnapshot,
  Waterfall,
} from './types.ts';
