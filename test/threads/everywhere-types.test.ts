// Type tests of the cross-thread API in hookwire/control: `npm test` type-checks this file; an unused @ts-expect-error fails it.
import { test } from 'node:test';
import { expectTypeOf } from 'expect-type';
import {
  armEverywhere,
  disarmEverywhere,
  synchronizeEverywhere,
  ControlErrorCodes,
  type EverywhereOptions,
  type EverywhereResult,
  type ThreadExitSelector,
  type ThreadExitSelectors,
} from '../../src/control/index.ts';

const typeOnly = (_code: () => void): void => undefined;

test('types: selectors are hook names or { hook, exit }; every call answers a Promise of EverywhereResult', () => {
  expectTypeOf(armEverywhere).parameter(0).toEqualTypeOf<ThreadExitSelectors>();
  expectTypeOf(armEverywhere).returns.toEqualTypeOf<Promise<EverywhereResult>>();
  expectTypeOf(disarmEverywhere).returns.toEqualTypeOf<Promise<EverywhereResult>>();
  expectTypeOf(synchronizeEverywhere).returns.toEqualTypeOf<Promise<EverywhereResult>>();
  expectTypeOf<EverywhereResult['threads']>().toEqualTypeOf<number>();
  expectTypeOf<EverywhereOptions['timeoutMs']>().toEqualTypeOf<number | undefined>();
  expectTypeOf(ControlErrorCodes.ERR_NOT_MAIN_THREAD).toEqualTypeOf<'ERR_NOT_MAIN_THREAD'>();
  typeOnly(() => {
    void armEverywhere(['db:query', { hook: 'http:request', exit: 'audit' }], { timeoutMs: 500 });
    void disarmEverywhere(new Set<ThreadExitSelector>(['db:query']));
    void synchronizeEverywhere({ timeoutMs: 1000 });
    // @ts-expect-error a selector names a hook, not an exit object
    void armEverywhere([{ exit: 'audit' }]);
    // @ts-expect-error one string is not a list of selectors
    void armEverywhere('db:query');
    // @ts-expect-error the timeout is a number of milliseconds
    void synchronizeEverywhere({ timeoutMs: '1s' });
  });
});
