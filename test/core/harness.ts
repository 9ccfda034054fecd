// A matrix of the seven hook kinds, so one behaviour test covers every kind (sync and async).
import {
  asyncGate,
  asyncHook,
  asyncWaterfall,
  createRegistry,
  gate,
  hook,
  parallelHook,
  waterfall,
  type AnyHook,
  type HookOptions,
  type Registry,
} from '../../src/core/index.ts';

export interface KindCase {
  readonly name: string;
  readonly async: boolean;
  readonly combine: 'notify' | 'gate' | 'waterfall' | 'parallel';
  declare(name: string, options?: HookOptions): AnyHook;
}

export const KIND_CASES: readonly KindCase[] = [
  { name: 'hook', async: false, combine: 'notify', declare: (n, o) => hook<unknown[]>(n, o) },
  { name: 'gate', async: false, combine: 'gate', declare: (n, o) => gate<unknown[]>(n, o) },
  { name: 'waterfall', async: false, combine: 'waterfall', declare: (n, o) => waterfall<[unknown, ...unknown[]]>(n, o) },
  { name: 'asyncHook', async: true, combine: 'notify', declare: (n, o) => asyncHook<unknown[]>(n, o) },
  { name: 'asyncGate', async: true, combine: 'gate', declare: (n, o) => asyncGate<unknown[]>(n, o) },
  { name: 'asyncWaterfall', async: true, combine: 'waterfall', declare: (n, o) => asyncWaterfall<[unknown, ...unknown[]]>(n, o) },
  { name: 'parallelHook', async: true, combine: 'parallel', declare: (n, o) => parallelHook<unknown[]>(n, o) },
];

let counter = 0;
/** A fresh registry and a unique hook name, so tests never collide. */
export function fresh(kind: KindCase, options: HookOptions = {}): { hook: AnyHook; registry: Registry } {
  const registry = createRegistry();
  const h = kind.declare(`test:${kind.name}${++counter}`, { registry, ...options });
  return { hook: h, registry };
}

/** Fires and awaits (for async kinds) the result. */
export async function fire(h: AnyHook, ...args: unknown[]): Promise<unknown> {
  return await h.fire(...args);
}

/** A plain-JSON fingerprint of a registry, to check that a failed call changed nothing. */
export function state(registry: Registry): string {
  return JSON.stringify(registry.snapshot());
}
