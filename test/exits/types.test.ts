// Type tests of hookwire/exits: `npm test` type-checks this file; an unused @ts-expect-error fails it.
import { test } from 'node:test';
import { expectTypeOf } from 'expect-type';
import type { Exit } from '../../src/core/index.ts';
import {
  assert,
  attach,
  count,
  latency,
  observerFromSpec,
  summarize,
  trace,
  type AssertReport,
  type CountReport,
  type LatencyReport,
  type Observer,
  type ObserverReport,
  type ObserverType,
  type Predicate,
  type TraceRecord,
  type TraceReport,
} from '../../src/exits/index.ts';
import type { Probe, ProbeHandlers } from '../../src/probe/index.ts';

const typeOnly = (_code: () => void): void => undefined;

test('types: ObserverType, written out, is exactly the types of the reports', () => {
  expectTypeOf<ObserverType>().toEqualTypeOf<ObserverReport['type']>();
});

test('types: each factory returns an observer of its own report type', () => {
  expectTypeOf(trace()).toEqualTypeOf<Observer<TraceReport>>();
  expectTypeOf(count().report()).toEqualTypeOf<CountReport>();
  expectTypeOf(latency().report().sites['x']).toEqualTypeOf<
    | {
        hits: number;
        faults: number;
        errors: number;
        count: number;
        settled: number;
        p50Ms: number | null;
        p90Ms: number | null;
        p99Ms: number | null;
        maxMs: number | null;
        minMs: number | null;
        meanMs: number | null;
      }
    | undefined
  >();
  expectTypeOf<LatencyReport['type']>().toEqualTypeOf<'latency'>();
  expectTypeOf(assert({ predicate: { arg: 0, op: 'exists' } }).report()).toEqualTypeOf<AssertReport>();
  expectTypeOf(observerFromSpec('count')).toEqualTypeOf<Observer>();
  expectTypeOf(observerFromSpec('count').report()).toEqualTypeOf<ObserverReport>();
  const specific: Observer = trace(); // a specific observer is an Observer
  void specific;
});

test('types: observer handlers fit the probe layer, and attach returns an exit or a probe', () => {
  expectTypeOf(count().forProbe()).toMatchTypeOf<ProbeHandlers>();
  expectTypeOf(attach).returns.toEqualTypeOf<Exit | Probe>();
  expectTypeOf(count().forHook).returns.toEqualTypeOf<(...args: unknown[]) => void>();
  expectTypeOf(summarize).returns.toEqualTypeOf<unknown>();
});

test('types: trace records and predicates', () => {
  expectTypeOf<TraceRecord['event']>().toEqualTypeOf<'fire' | 'call'>();
  expectTypeOf<TraceRecord['error']>().toEqualTypeOf<{ name: string; message: string } | undefined>();
  const p: Predicate = { all: [{ arg: '0.id', op: '>', value: 0 }, { not: { error: true, op: 'exists' } }] };
  void p;
  typeOnly(() => {
    // @ts-expect-error: an unknown operator
    assert({ predicate: { arg: 0, op: '=~', value: 'x' } });
    // @ts-expect-error: assert needs options
    assert();
    // @ts-expect-error: a trace sink is stderr, a file or a callback
    trace({ sink: 'stdout' });
  });
});
