// A probed call's span is the active span while the original runs: nested probed calls (and the
// program's own spans) get it as parent; the caller's context comes back at the return (async
// functions and generators in detail: span-async.test.ts). Against the
// real SDK (in-memory exporter) with its AsyncLocalStorageContextManager, and under
// `hookwire run --otlp` with the context manager hookwire sets, to a loopback receiver.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { attach, span } from '../../src/exits/index.ts';
import type { Probe } from '../../src/probe/index.ts';
import { root, runCli } from '../control/helpers.ts';

const require = createRequire(import.meta.url);
type Nested = Record<'inner' | 'middle' | 'outer', (n: number) => number> & {
  later(n: number): Promise<number>;
  asyncOuter(n: number): Promise<number>;
  own(): void;
};
const nested = require('./fixtures/nested.cjs') as Nested;
const SPEC = './test/bridges/fixtures/nested.cjs';

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

test('synchronous calls: outer -> middle -> inner nest; the request span is the root; the context comes back after each call', () => {
  exporter.reset();
  const probes = probeAll(['outer', 'middle', 'inner']);
  const tracer = trace.getTracer('test');
  tracer.startActiveSpan('request', (request) => {
    nested.outer(1);
    assert.equal(trace.getActiveSpan(), request); // given back at the return
    nested.inner(5); // a call after it is the request's child, not outer's
    request.end();
  });
  for (const p of probes) p.remove();
  const spans = exporter.getFinishedSpans();
  const request = spans.find((x) => x.name === 'request')!;
  const [outer] = named(spans, 'outer');
  const [middle] = named(spans, 'middle');
  const inners = named(spans, 'inner');
  assert.ok(outer && middle && inners.length === 3, spans.map((x) => x.name).join(', '));
  assert.equal(parentOf(outer), id(request));
  assert.equal(parentOf(middle), id(outer));
  // inner under middle, inner under outer (outer's second call), inner under the request.
  assert.deepEqual(inners.map(parentOf).sort(), [id(middle), id(outer), id(request)].sort());
  assert.ok(spans.every((x) => x.spanContext().traceId === request.spanContext().traceId));
});

test("the program's own spans inside a probed call are its children", () => {
  exporter.reset();
  const probes = probeAll(['own']);
  nested.own();
  for (const p of probes) p.remove();
  const spans = exporter.getFinishedSpans();
  const own = spans.find((x) => x.name === 'own work')!;
  const [probed] = named(spans, 'own');
  assert.ok(own && probed);
  assert.equal(parentOf(own), id(probed));
  assert.equal(parentOf(probed), undefined);
});

test('a plain function returning a promise: what its promise runs later is its child; its caller is not', async () => {
  exporter.reset();
  const probes = probeAll(['later', 'inner']);
  await trace.getTracer('test').startActiveSpan('request', async (request) => {
    const pending = nested.later(2);
    nested.inner(0); // right after the call, in the caller
    await pending;
    request.end();
  });
  for (const p of probes) p.remove();
  const spans = exporter.getFinishedSpans();
  const request = spans.find((x) => x.name === 'request')!;
  const [later] = named(spans, 'later');
  const inners = named(spans, 'inner');
  assert.ok(later && inners.length === 2);
  assert.deepEqual(inners.map(parentOf).sort(), [id(later), id(request)].sort());
});

test('an async function is made active during its body: a call inside, after its await, is its child; the caller keeps its span', async () => {
  exporter.reset();
  const probes = probeAll(['asyncOuter', 'inner']);
  await trace.getTracer('test').startActiveSpan('request', async (request) => {
    const pending = nested.asyncOuter(1);
    assert.equal(trace.getActiveSpan(), request);
    await pending;
    assert.equal(trace.getActiveSpan(), request);
    request.end();
  });
  for (const p of probes) p.remove();
  const spans = exporter.getFinishedSpans();
  const request = spans.find((x) => x.name === 'request')!;
  const [asyncOuter] = named(spans, 'asyncOuter');
  const [inner] = named(spans, 'inner');
  assert.ok(asyncOuter && inner);
  assert.equal(parentOf(asyncOuter), id(request));
  assert.equal(parentOf(inner), id(asyncOuter));
});

test('hookwire run --otlp: nested probed calls arrive nested (the context manager hookwire sets)', async () => {
  const spans: { name: string; spanId: string; parentSpanId?: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const json = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: { name: string; spanId: string; parentSpanId?: string }[] }[] }[] };
      for (const rs of json.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      res.end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  try {
    const { port } = receiver.address() as AddressInfo;
    const probes = ['main', 'outer', 'middle', 'asyncOuter', 'inner'].flatMap((name) => ['--probe', `${SPEC}#${name}=span`]);
    const app = join(root, 'test/bridges/fixtures/nested-app.cjs');
    const r = await runCli(['run', '--otlp', `http://127.0.0.1:${port}`, ...probes, '--', app]);
    assert.equal(r.code, 0, r.stderr);
    const byName = (name: string) => spans.filter((x) => x.name === `probe:${SPEC}#${name}`);
    const [main] = byName('main');
    assert.ok(main, JSON.stringify(spans));
    assert.ok(!main.parentSpanId, 'main is a root');
    assert.equal(byName('outer').length, 2);
    for (const outer of byName('outer')) assert.equal(outer.parentSpanId, main.spanId);
    const outerIds = new Set(byName('outer').map((x) => x.spanId));
    for (const middle of byName('middle')) assert.ok(outerIds.has(middle.parentSpanId ?? ''));
    // The async function (after main): a root, and the inner call after its await is its child.
    const [asyncOuter] = byName('asyncOuter');
    assert.ok(asyncOuter && !asyncOuter.parentSpanId, JSON.stringify(spans));
    assert.equal(byName('inner').filter((x) => x.parentSpanId === asyncOuter.spanId).length, 1);
  } finally {
    await new Promise((r) => receiver.close(r));
  }
});
