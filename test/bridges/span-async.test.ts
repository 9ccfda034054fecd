// An async function's or a generator's span is the active span while its body runs (up to its
// first await, after each await, at each resumption), and its caller's context is back at the
// synchronous return: calls inside are its children, before and after awaits; two interleaved
// calls keep their own parents; a rejection gives an ERROR status. Real SDK (in-memory exporter)
// with its AsyncLocalStorageContextManager; both compile modes (the runner).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { attach, span } from '../../src/exits/index.ts';
import type { HookError } from '../../src/core/index.ts';
import type { Probe } from '../../src/probe/index.ts';

const require = createRequire(import.meta.url);
const lib = require('./fixtures/async-nest.cjs') as {
  inner(n: number): number;
  asyncInner(n: number): Promise<number>;
  outer(n: number): Promise<number>;
  failing(message: string): Promise<never>;
  gen(n: number): Generator<number>;
  agen(n: number): AsyncGenerator<number>;
};
const SPEC = './test/bridges/fixtures/async-nest.cjs';

const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

function probeAll(names: string[]): Probe[] {
  const s = span();
  return names.map((name) => attach(s, `${SPEC}#${name}`) as Probe);
}

const parentOf = (x: ReadableSpan) => x.parentSpanContext?.spanId;
const id = (x: ReadableSpan) => x.spanContext().spanId;
const named = (spans: ReadableSpan[], name: string) => spans.filter((x) => x.name === `probe:${SPEC}#${name}`);
const arg = (x: ReadableSpan) => x.attributes['hookwire.args.0'];

test('async outer: inner before and after its awaits and an awaited async inner are its children; the caller keeps its span', async () => {
  exporter.reset();
  const probes = probeAll(['outer', 'asyncInner', 'inner']);
  await trace.getTracer('test').startActiveSpan('request', async (request) => {
    const pending = lib.outer(1);
    assert.equal(trace.getActiveSpan(), request, 'back at the synchronous return');
    lib.inner(9); // the caller's own call, between the return and the settlement
    assert.equal(named(exporter.getFinishedSpans(), 'outer').length, 0, 'outer ends at its settlement, not at its return');
    assert.equal(await pending, 2);
    assert.equal(named(exporter.getFinishedSpans(), 'outer').length, 1);
    assert.equal(trace.getActiveSpan(), request, 'still after the settlement');
    request.end();
  });
  for (const p of probes) p.remove();
  const spans = exporter.getFinishedSpans();
  const request = spans.find((x) => x.name === 'request')!;
  const [outer] = named(spans, 'outer');
  const [asyncInner] = named(spans, 'asyncInner');
  const inners = named(spans, 'inner');
  assert.ok(request && outer && asyncInner && inners.length === 4, spans.map((x) => x.name).join(', '));
  assert.equal(parentOf(outer), id(request));
  assert.equal(parentOf(asyncInner), id(outer));
  const byParent = (x: ReadableSpan) =>
    parentOf(x) === id(outer) ? 'outer' : parentOf(x) === id(asyncInner) ? 'asyncInner' : parentOf(x) === id(request) ? 'request' : 'other';
  // Before outer's first await, inside asyncInner after its await, after outer's awaits; the caller's.
  assert.deepEqual(inners.map(byParent).sort(), ['asyncInner', 'outer', 'outer', 'request']);
  assert.equal(inners.find((x) => arg(x) === 9) && byParent(inners.find((x) => arg(x) === 9)!), 'request');
  assert.ok(spans.every((x) => x.spanContext().traceId === request.spanContext().traceId));
});

test('no caller context: the async call is a root, its calls its children, and nothing is left active after it', async () => {
  exporter.reset();
  const probes = probeAll(['outer', 'asyncInner', 'inner']);
  const pending = lib.outer(4);
  assert.equal(trace.getActiveSpan(), undefined);
  await pending;
  assert.equal(trace.getActiveSpan(), undefined);
  lib.inner(0);
  for (const p of probes) p.remove();
  const spans = exporter.getFinishedSpans();
  const [outer] = named(spans, 'outer');
  const [asyncInner] = named(spans, 'asyncInner');
  assert.ok(outer && asyncInner);
  assert.equal(parentOf(outer), undefined);
  const inners = named(spans, 'inner');
  assert.deepEqual(
    inners
      .filter((x) => arg(x) === 4)
      .map(parentOf)
      .sort(),
    [id(outer), id(outer), id(asyncInner)].sort(),
  );
  assert.equal(parentOf(inners.find((x) => arg(x) === 0)!), undefined, 'a call after it is a root again');
});

test('two interleaved concurrent async calls keep their own children', async () => {
  exporter.reset();
  const probes = probeAll(['outer', 'asyncInner', 'inner']);
  await trace.getTracer('test').startActiveSpan('request', async (request) => {
    assert.deepEqual(await Promise.all([lib.outer(1), lib.outer(2), lib.outer(3)]), [2, 3, 4]);
    assert.equal(trace.getActiveSpan(), request);
    request.end();
  });
  for (const p of probes) p.remove();
  const spans = exporter.getFinishedSpans();
  const request = spans.find((x) => x.name === 'request')!;
  for (const n of [1, 2, 3]) {
    const outer = named(spans, 'outer').find((x) => arg(x) === n)!;
    const asyncInner = named(spans, 'asyncInner').find((x) => arg(x) === n)!;
    assert.ok(outer && asyncInner);
    assert.equal(parentOf(outer), id(request));
    assert.equal(parentOf(asyncInner), id(outer));
    const inners = named(spans, 'inner').filter((x) => arg(x) === n);
    assert.deepEqual(inners.map(parentOf).sort(), [id(outer), id(outer), id(asyncInner)].sort(), `call ${n}`);
  }
});

test('a rejected async call: ERROR status and exception event, its inner call its child, the caller keeps its span', async () => {
  exporter.reset();
  const probes = probeAll(['failing', 'inner']);
  await trace.getTracer('test').startActiveSpan('request', async (request) => {
    const pending = lib.failing('nope');
    assert.equal(trace.getActiveSpan(), request);
    await assert.rejects(pending, /nope/u);
    assert.equal(trace.getActiveSpan(), request);
    request.end();
  });
  for (const p of probes) p.remove();
  const spans = exporter.getFinishedSpans();
  const [failing] = named(spans, 'failing');
  const [inner] = named(spans, 'inner');
  assert.ok(failing && inner);
  assert.equal(failing.status.code, SpanStatusCode.ERROR);
  assert.equal(failing.status.message, 'Error: nope');
  assert.equal(failing.events[0]?.name, 'exception');
  assert.equal(parentOf(inner), id(failing));
  assert.equal(inner.status.code, SpanStatusCode.UNSET);
});

test("generators: each resumption runs with the generator's span; the consumer's span is back between them", async () => {
  exporter.reset();
  const probes = probeAll(['gen', 'agen', 'inner']);
  await trace.getTracer('test').startActiveSpan('request', async (request) => {
    const it = lib.gen(1);
    assert.equal(trace.getActiveSpan(), request);
    assert.deepEqual(it.next(), { value: 2, done: false });
    assert.equal(trace.getActiveSpan(), request);
    assert.deepEqual([...it], [3]);
    const seen: number[] = [];
    for await (const v of lib.agen(5)) {
      assert.equal(trace.getActiveSpan(), request);
      seen.push(v);
    }
    assert.deepEqual(seen, [6, 7]);
    assert.equal(trace.getActiveSpan(), request);
    request.end();
  });
  for (const p of probes) p.remove();
  const spans = exporter.getFinishedSpans();
  const request = spans.find((x) => x.name === 'request')!;
  const [gen] = named(spans, 'gen');
  const [agen] = named(spans, 'agen');
  assert.ok(gen && agen);
  assert.equal(parentOf(gen), id(request));
  assert.equal(parentOf(agen), id(request));
  const inners = named(spans, 'inner');
  assert.deepEqual(inners.filter((x) => arg(x) === 1 || arg(x) === 2).map(parentOf), [id(gen), id(gen)]);
  // agen's second inner runs after an await inside the body: still its child.
  assert.deepEqual(inners.filter((x) => arg(x) === 5 || arg(x) === 6).map(parentOf), [id(agen), id(agen)]);
});

test('a line (breakpoint) probe refuses a span: it would see the entry only, so the span would never end', () => {
  exporter.reset();
  const lines = require('../fixtures/breakpoint/lines.cjs') as { total(items: number[]): number };
  assert.throws(
    () => attach(span(), './test/fixtures/breakpoint/lines.cjs:3'),
    (e: HookError) => e.code === 'ERR_PROBE_BREAKPOINT' && /with a span/u.test(e.message),
  );
  // Nothing half-done: the line runs unprobed, no span was started and none is active.
  assert.equal(lines.total([1, 2]), 3);
  assert.equal(trace.getActiveSpan(), undefined);
  assert.equal(exporter.getFinishedSpans().length, 0);
});
