/**
 * Experiment (not a case): why registering 10,000 exits on one hook takes seconds, and a prototype
 * that makes it linear. Run: `node --expose-gc --import tsx bench/experiments/register-scaling.ts`.
 *
 * Today each `register` scans the exits for a duplicate name, scans them again for 'only' and for
 * a 'first'/'last' holder, copies and re-sorts the whole list, and copies it once more into the
 * frozen `exits` view: five passes over n exits per registration, O(n²) for n registrations.
 * The prototype keeps a name set and the holders of 'only'/'first'/'last' per hook, inserts the new
 * exit at its place found by binary search (one `splice`), and builds the frozen view only when
 * `exits` is read. It replaces `HookImpl.prototype.register` and the `exits` getter in this process
 * only; src/ is untouched. Validation and error codes are the same; the running order is checked
 * against today's below.
 */
import { createRegistry, hook } from '../../src/index.ts';
import { HookError } from '../../src/errors.ts';
import { ExitImpl } from '../../src/exit.ts';
import { HookImpl } from '../../src/hook.ts';
import { compareOrder, validateOrder, type Order } from '../../src/order.ts';
import type { AnyFn } from '../../src/types.ts';
import { validateBoolean, validateExitName, validateFunction, validateOptions } from '../../src/validate.ts';
import { X } from '../exits.ts';

interface Index {
  names: Set<string>;
  only: ExitImpl | undefined;
  first: ExitImpl | undefined;
  last: ExitImpl | undefined;
  view: readonly ExitImpl[] | null;
}
const indexes = new WeakMap<HookImpl, Index>();
function indexOf(h: HookImpl): Index {
  let ix = indexes.get(h);
  if (ix === undefined) {
    ix = { names: new Set(h._exits.map((e) => e.name)), only: undefined, first: undefined, last: undefined, view: null };
    for (const e of h._exits) if (e.order === 'only' || e.order === 'first' || e.order === 'last') ix[e.order] = e;
    indexes.set(h, ix);
  }
  return ix;
}

function register(this: HookImpl, fn: AnyFn, options?: unknown): ExitImpl {
  this._assertChangeable();
  validateFunction(fn, 'an exit');
  const opts = validateOptions(options, ['name', 'order', 'armed'], 'register option');
  const order: Order = opts['order'] === undefined ? 0 : validateOrder(opts['order']);
  const armed = validateBoolean(opts['armed'], 'register option "armed"') ?? false;
  const seq = this._seq + 1;
  const name = opts['name'] === undefined ? `${fn.name || 'exit'}#${seq}` : validateExitName(opts['name']);
  const ix = indexOf(this);
  if (ix.names.has(name)) throw new HookError('ERR_INVALID_ARG', `hook "${this.name}" already has an exit named "${name}"`);
  const existing = this._exits;
  if (existing.length > 0) {
    if (this.exclusive) throw new HookError('ERR_HOOK_ORDER', `hook "${this.name}" is exclusive and already has exit "${existing[0]!.name}"`);
    if (ix.only) throw new HookError('ERR_HOOK_ORDER', `exit "${ix.only.name}" holds hook "${this.name}" with order 'only'`);
    if (order === 'only') throw new HookError('ERR_HOOK_ORDER', `order 'only' needs hook "${this.name}" to have no other exit, but it has ${existing.length}`);
    const holder = order === 'first' ? ix.first : order === 'last' ? ix.last : undefined;
    if (holder) throw new HookError('ERR_HOOK_ORDER', `exit "${holder.name}" already runs ${String(order)} on hook "${this.name}"`);
  }
  this._seq = seq;
  const exit = new ExitImpl(this, fn, name, order, seq);
  exit._armed = armed;
  // The new exit has the highest seq: it goes after every exit that does not sort after it.
  let lo = 0;
  let hi = existing.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareOrder(existing[mid]!, exit) <= 0) lo = mid + 1;
    else hi = mid;
  }
  existing.splice(lo, 0, exit);
  ix.names.add(name);
  if (order === 'only' || order === 'first' || order === 'last') ix[order] = exit;
  ix.view = null;
  if (armed) this._rebuild();
  return exit;
}

function timeRegister(n: number, label: string): number {
  const h = hook<[a: number, b: number]>(`experiment:register-${label}-${n}`, { registry: createRegistry(), args: ['a', 'b'] });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) h.register(X[i % 50]!);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function orderOf(): string[] {
  const h = hook<[a: number, b: number]>(`experiment:register-order-${Math.random()}`, { registry: createRegistry() });
  const orders: Order[] = [3, 'last', 0, -1, 'first', 3, 0, 2.5, -1];
  orders.forEach((order, i) => h.register(X[i]!, { name: `e${i}`, order }));
  return h.exits.map((e) => e.name);
}

const sizes = [1_000, 10_000];
const today = sizes.map((n) => timeRegister(n, 'today'));
const expected = orderOf();

const original = HookImpl.prototype.register;
const originalExits = Object.getOwnPropertyDescriptor(HookImpl.prototype, 'exits')!;
HookImpl.prototype.register = register;
Object.defineProperty(HookImpl.prototype, 'exits', {
  configurable: true,
  get(this: HookImpl) {
    const ix = indexOf(this);
    return (ix.view ??= Object.freeze(this._exits.slice()));
  },
});
const proto = sizes.map((n) => timeRegister(n, 'proto'));
const got = orderOf();
HookImpl.prototype.register = original;
Object.defineProperty(HookImpl.prototype, 'exits', originalExits);

if (got.join() !== expected.join()) throw new Error(`prototype order ${got.join()} differs from today's ${expected.join()}`);
sizes.forEach((n, i) => {
  console.log(`register ${n.toLocaleString('en-US')} exits: today ${today[i]!.toFixed(1)} ms, prototype ${proto[i]!.toFixed(1)} ms`);
});
console.log(`running order identical for mixed orders: ${got.join(' ')}`);
