// Type tests: argument inference for every kind, and misuse rejected. `npm test` type-checks this
// file with tsc; an unused @ts-expect-error (misuse that type-checks) fails the build.
import { test } from 'node:test';
import { expectTypeOf } from 'expect-type';
import {
  STOP,
  asyncGate,
  asyncHook,
  asyncWaterfall,
  createRegistry,
  gate,
  hook,
  parallelHook,
  waterfall,
  type Exit,
  type Hook,
  type Stop,
} from '../../src/core/index.ts';

const registry = createRegistry();
/** Holds code that must type-check (or fail to) but must not run: misuse would throw. */
const typeOnly = (_code: () => void): void => undefined;

test('types: notify hooks infer argument types from the tuple', () => {
  const fileOpen = hook<[path: string, mode: number]>('types:open', { registry });
  expectTypeOf(fileOpen).toEqualTypeOf<Hook<[path: string, mode: number]>>();
  expectTypeOf(fileOpen.fire).parameters.toEqualTypeOf<[path: string, mode: number]>();
  expectTypeOf(fileOpen.fire).returns.toEqualTypeOf<void>();
  fileOpen.register((path, mode) => {
    expectTypeOf(path).toEqualTypeOf<string>();
    expectTypeOf(mode).toEqualTypeOf<number>();
  });
  fileOpen.register(() => STOP);
  fileOpen.register((path) => path.length); // any return is allowed and ignored
  typeOnly(() => {
    // @ts-expect-error wrong argument type at the site
    fileOpen.fire('/tmp/x', '0644');
  });
  typeOnly(() => {
    // @ts-expect-error missing argument at the site
    fileOpen.fire('/tmp/x');
  });
  typeOnly(() => {
    // @ts-expect-error exit parameter of the wrong type
    fileOpen.register((path: number) => path);
  });
  typeOnly(() => {
    // @ts-expect-error an exit must be a function
    fileOpen.register('log');
  });
  typeOnly(() => {
    // @ts-expect-error unknown register option
    fileOpen.register(() => undefined, { when: 'now' });
  });
  typeOnly(() => {
    // @ts-expect-error bad order
    fileOpen.register(() => undefined, { order: 'middle' });
  });
  const exit = fileOpen.register(() => undefined);
  expectTypeOf(exit).toMatchTypeOf<Exit>();
  expectTypeOf(exit.arm()).toEqualTypeOf(exit);
  expectTypeOf(exit.stats.hits).toEqualTypeOf<number>();
  typeOnly(() => {
    // @ts-expect-error stats are read-only
    exit.stats.hits = 3;
  });
  expectTypeOf(STOP).toEqualTypeOf<Stop>();
});

test('types: no arity ceiling', () => {
  const wide = hook<[number, number, number, number, number, number, number, number, number, number, string]>('types:wide', { registry });
  wide.register((...args) => {
    expectTypeOf(args[10]).toEqualTypeOf<string>();
  });
  wide.fire(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 'eleven');
});

test('types: gates return their result type or undefined', () => {
  const auth = gate<[user: string], 'allow' | 'deny'>('types:auth', { registry });
  expectTypeOf(auth.fire('ann')).toEqualTypeOf<'allow' | 'deny' | undefined>();
  auth.register((user) => (user === 'root' ? 'deny' : undefined));
  auth.register(() => STOP);
  typeOnly(() => {
    // @ts-expect-error a gate exit may not return another type
    auth.register(() => 'maybe');
  });
});

test('types: waterfalls thread their first argument', () => {
  const price = waterfall<[amount: number, currency: string]>('types:price', { registry });
  expectTypeOf(price.fire(1, 'EUR')).toEqualTypeOf<number>();
  price.register((amount, currency) => (currency === 'EUR' ? amount * 2 : undefined));
  typeOnly(() => {
    // @ts-expect-error must return the first argument's type
    price.register(() => 'free');
  });
  typeOnly(() => {
    // @ts-expect-error a waterfall needs at least one argument
    waterfall<[]>('types:empty', { registry });
  });
});

test('types: async kinds return promises and accept async exits', () => {
  const saved = asyncHook<[id: number]>('types:saved', { registry });
  expectTypeOf(saved.fire(1)).toEqualTypeOf<Promise<void>>();
  saved.register(async (id) => {
    expectTypeOf(id).toEqualTypeOf<number>();
  });
  const lookup = asyncGate<[key: string], Buffer>('types:lookup', { registry });
  expectTypeOf(lookup.fire('k')).toEqualTypeOf<Promise<Buffer | undefined>>();
  lookup.register(async () => Buffer.from('x'));
  lookup.register(() => undefined);
  typeOnly(() => {
    // @ts-expect-error resolves to the wrong type
    lookup.register(async () => 42);
  });
  const transform = asyncWaterfall<[html: string]>('types:transform', { registry });
  expectTypeOf(transform.fire('<p>')).toEqualTypeOf<Promise<string>>();
  transform.register(async (html) => html.toUpperCase());
  const notifyAll = parallelHook<[event: { type: string }]>('types:notify', { registry });
  expectTypeOf(notifyAll.fire({ type: 'x' })).toEqualTypeOf<Promise<void>>();
  typeOnly(() => {
    // @ts-expect-error wrong argument shape
    void notifyAll.fire({ kind: 'x' });
  });
});

test('types: hook options are checked', () => {
  typeOnly(() => {
    // @ts-expect-error unknown faults mode
    hook('types:opt1', { registry, faults: 'ignore' });
  });
  typeOnly(() => {
    // @ts-expect-error exclusive is a boolean
    hook('types:opt2', { registry, exclusive: 'yes' });
  });
  hook('types:opt3', { registry, exclusive: true, faults: 'isolate', args: ['a'], description: 'ok' });
});
