import { HookError } from './errors.ts';
import { describe } from './validate.ts';

/**
 * Where an exit runs among its hook's exits: `'first'`, `'last'`, `'only'` (no other exit may be
 * registered), or a numeric stage (lower runs earlier; equal stages keep registration order).
 */
export type Order = 'first' | 'last' | 'only' | number;

/** What ordering needs to know of an exit. */
export interface Ordered {
  readonly order: Order;
  readonly seq: number;
}

/** Throws ERR_INVALID_ARG unless `order` is a valid {@link Order}. */
export function validateOrder(order: unknown): Order {
  if (order === 'first' || order === 'last' || order === 'only') return order;
  if (typeof order === 'number' && Number.isFinite(order)) return order;
  throw new HookError('ERR_INVALID_ARG', `order must be 'first', 'last', 'only' or a finite number, got ${describe(order)}`);
}

/** The exits of a hook holding the unique orders, if any. */
export interface OrderHolders {
  first?: { readonly name: string } | undefined;
  last?: { readonly name: string } | undefined;
  only?: { readonly name: string } | undefined;
}

/**
 * Throws ERR_HOOK_ORDER if an exit with `order` cannot join the `count` exits of hook `hookName`.
 * `exclusive` hooks accept one exit only. Constant time: the unique orders' holders are kept.
 */
export function checkOrderFits(hookName: string, exclusive: boolean, count: number, holders: OrderHolders, order: Order): void {
  if (count === 0) return;
  if (exclusive) {
    throw new HookError('ERR_HOOK_ORDER', `hook "${hookName}" is exclusive and already has an exit`);
  }
  if (holders.only) {
    throw new HookError('ERR_HOOK_ORDER', `exit "${holders.only.name}" holds hook "${hookName}" with order 'only'`);
  }
  if (order === 'only') {
    throw new HookError('ERR_HOOK_ORDER', `order 'only' needs hook "${hookName}" to have no other exit, but it has ${count}`);
  }
  if (order === 'first' || order === 'last') {
    const holder = holders[order];
    if (holder) {
      throw new HookError('ERR_HOOK_ORDER', `exit "${holder.name}" already runs ${order} on hook "${hookName}"`);
    }
  }
}

/** Sorts exits into running order: first, numeric stages ascending (stable), last. */
export function compareOrder(a: Ordered, b: Ordered): number {
  const ra = rank(a.order);
  const rb = rank(b.order);
  if (ra !== rb) return ra < rb ? -1 : 1;
  return a.seq - b.seq;
}

function rank(order: Order): number {
  if (order === 'first' || order === 'only') return -Infinity;
  if (order === 'last') return Infinity;
  return order;
}
