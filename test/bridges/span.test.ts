// The span exit against the real OpenTelemetry SDK (2.x, in-memory exporter), and hookwire run
// --otlp against a loopback OTLP/HTTP receiver started here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { parseOtlpUrl } from '../../src/control/otlp.ts';
import { createRegistry, hook, HookError } from '../../src/core/index.ts';
import { attach, parseExitSpec, span } from '../../src/exits/index.ts';
import type { Probe } from '../../src/probe/index.ts';
import { root, runCli } from '../control/helpers.ts';

const require = createRequire(import.meta.url);
const work = require('./fixtures/work.cjs') as { step(n: number): number; wait(ms: number): Promise<number>; fail(m: string): never };
const SPEC = './test/bridges/fixtures/work.cjs';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
trace.setGlobalTracerProvider(provider);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

test('span: one span per hit, attributes from the arguments, error status, parent from the active context, async ends at settlement', async () => {
  exporter.reset();
  const registry = createRegistry();
  const s = span();
  const probes = ['step', 'wait', 'fail'].map((name) => attach(s, `${SPEC}#${name}`, { registry }) as Probe);
  const h = hook<[user: { id: number }]>('app:login', { registry, args: ['user'] });
  attach(s, h);
  const tracer = trace.getTracer('test');
  const parentIds = await tracer.startActiveSpan('request', async (parent) => {
    work.step(2);
    assert.throws(() => work.fail('boom'), /boom/u);
    h.fire({ id: 7 });
    await work.wait(25);
    parent.end();
    return parent.spanContext();
  });
  for (const p of probes) p.remove();
  const spans = exporter.getFinishedSpans();
  const byName = new Map(spans.map((x) => [x.name, x]));
  const step = byName.get(`probe:${SPEC}#step`)!;
  const fail = byName.get(`probe:${SPEC}#fail`)!;
  const wait = byName.get(`probe:${SPEC}#wait`)!;
  const login = byName.get('app:login')!;
  assert.ok(step && fail && wait && login, spans.map((x) => x.name).join(', '));
  assert.equal(step.attributes['hookwire.args.0'], 2);
  assert.equal(step.attributes['hookwire.site'], `probe:${SPEC}#step`);
  assert.equal(step.status.code, SpanStatusCode.UNSET);
  assert.equal(login.attributes['hookwire.args.user'], '{"id":7}');
  assert.equal(fail.status.code, SpanStatusCode.ERROR);
  assert.equal(fail.status.message, 'Error: boom');
  assert.equal(fail.events[0]?.name, 'exception');
  assert.equal(fail.events[0]?.attributes?.['exception.message'], 'boom');
  // The async call's span ends when its promise settles: it lasts the 25 ms wait.
  const waitMs = (wait.duration[0] * 1e9 + wait.duration[1]) / 1e6;
  assert.ok(waitMs >= 20, `wait span ${waitMs} ms`);
  for (const x of [step, fail, wait, login]) {
    assert.equal(x.spanContext().traceId, parentIds.traceId);
    assert.equal(x.parentSpanContext?.spanId, parentIds.spanId);
  }
  assert.deepEqual(s.report().sites[`probe:${SPEC}#fail`], { hits: 1, errors: 1, spans: 1, faults: 0 });
});

test('span specs and options are checked', () => {
  const invalid = (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG';
  assert.deepEqual(parseExitSpec('span'), { type: 'span' });
  assert.deepEqual(parseExitSpec({ type: 'span', tracer: 'shop' }), { type: 'span', tracer: 'shop' });
  assert.throws(() => parseExitSpec({ type: 'span', tracer: '' }), invalid);
  assert.throws(() => parseExitSpec({ type: 'span', every: 2 }), invalid);
  assert.throws(() => span({ tracer: 3 } as never), invalid);
});

test('without @opentelemetry/api installed, span() throws ERR_PEER_MISSING saying what to install', () => {
  const r = spawnSync(
    process.execPath,
    [
      '--require',
      join(root, 'test/bridges/fixtures/hide-otel.cjs'),
      '--import',
      'tsx',
      '-e',
      "import('./src/exits/index.ts').then((m) => { try { m.span(); console.log('made'); } catch (e) { console.log(e.code + ' ' + e.message); } })",
    ],
    { cwd: root, encoding: 'utf8', timeout: 30_000 },
  );
  assert.match(
    r.stdout,
    /^ERR_PEER_MISSING the span exit needs @opentelemetry\/api, an optional peer dependency of hookwire: npm install @opentelemetry\/api/u,
    r.stderr,
  );
});

test('OTLP endpoints: http(s) URLs, the traces path added to a base URL', () => {
  assert.equal(parseOtlpUrl('http://127.0.0.1:4318'), 'http://127.0.0.1:4318/v1/traces');
  assert.equal(parseOtlpUrl('https://otel.example/base/'), 'https://otel.example/base/v1/traces');
  assert.equal(parseOtlpUrl('http://c:4318/v1/traces'), 'http://c:4318/v1/traces');
  for (const bad of ['collector:4318', 'ftp://x/', 'not a url', '']) {
    assert.throws(
      () => parseOtlpUrl(bad),
      (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG',
      bad,
    );
  }
});

test('hookwire run --otlp: not a URL is a usage error', async () => {
  const r = await runCli(['run', '--otlp', 'collector:4318', '--probe', `${SPEC}#step=span`, '--', join(root, 'test/bridges/fixtures/busy.mjs')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--otlp: an OTLP endpoint must be an http or https URL/u);
});

test('hookwire run --otlp URL: the spans reach a loopback OTLP/HTTP receiver, with the service name', async () => {
  const bodies: { path: string; type: string; body: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push({ path: req.url ?? '', type: String(req.headers['content-type']), body });
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const { port } = receiver.address() as AddressInfo;
  try {
    const app = join(root, 'test/bridges/fixtures/once.mjs');
    const r = await runCli(['run', '--otlp', `http://127.0.0.1:${port}`, '--probe', `${SPEC}#step=span`, '--probe', `${SPEC}#wait=span`, '--', app], {
      OTEL_SERVICE_NAME: 'bridge-test',
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(bodies.length >= 1, 'the exporter posted');
    assert.equal(bodies[0]?.path, '/v1/traces');
    assert.match(bodies[0].type, /application\/json/u);
    const spans = bodies.flatMap((b) =>
      (
        JSON.parse(b.body) as {
          resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: { name: string }[] }[] }[];
        }
      ).resourceSpans.flatMap((rs) =>
        rs.scopeSpans.flatMap((ss) =>
          ss.spans.map((sp) => ({ name: sp.name, service: rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue })),
        ),
      ),
    );
    assert.equal(spans.filter((x) => x.name === `probe:${SPEC}#step`).length, 3);
    assert.equal(spans.filter((x) => x.name === `probe:${SPEC}#wait`).length, 2);
    assert.ok(spans.every((x) => x.service === 'bridge-test'));
  } finally {
    await new Promise((r) => receiver.close(r));
  }
});
