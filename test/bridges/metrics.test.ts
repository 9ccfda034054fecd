// Prometheus metrics: GET /metrics on the control socket and hookwire run --metrics on loopback
// TCP, read with a real parser of the text exposition format.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { exitCatalogue } from '../../src/control/catalogue.ts';
import { Registry } from 'prom-client';
import { METRICS_CONTENT_TYPE, parseMetricsAddress, serveMetrics } from '../../src/control/metrics.ts';
import { Attachments } from '../../src/control/attachments.ts';
import { startControlServer } from '../../src/control/server.ts';
import { createRegistry, hook, HookError } from '../../src/core/index.ts';
import { call, cli, root, runCli, tempDir, until } from '../control/helpers.ts';

const parse = (text: string) => Object.fromEntries(parsePrometheusTextFormat(text).map((f) => [f.name, f]));

/**
 * One site's latency histogram. The parser folds every series of a histogram family into one and
 * keeps only unlabelled _sum/_count, so it is given the family's lines of that one site, without
 * the labels that are the same on all of them.
 */
function histogramOf(text: string, site: string): { buckets: Record<string, string>; count: string; sum: string } {
  const label = `site="${site}"`;
  const lines = text
    .split('\n')
    .filter(
      (l) =>
        l.startsWith('# HELP hookwire_latency_seconds ') ||
        l.startsWith('# TYPE hookwire_latency_seconds ') ||
        (l.startsWith('hookwire_latency_seconds') && l.includes(label)),
    );
  const stripped = lines.map((l) =>
    l.replace(/\{([^}]*)\}/u, (_m, inner: string) => {
      const le = /le="([^"]*)"/u.exec(inner)?.[1];
      return le === undefined ? '' : `{le="${le}"}`;
    }),
  );
  const family = parse(`${stripped.join('\n')}\n`)['hookwire_latency_seconds'];
  assert.equal(family?.type, 'HISTOGRAM');
  const [one] = family.metrics;
  return { buckets: one?.buckets ?? {}, count: one?.count ?? '', sum: one?.sum ?? '' };
}
const busy = join(root, 'test/bridges/fixtures/busy.mjs');
const SPEC = './test/bridges/fixtures/work.cjs';

test('GET /metrics on the control socket: hits, faults, missed per site, latency as a histogram', async () => {
  using tmp = tempDir();
  const registry = createRegistry();
  const h = hook<[number]>('app:tick', { registry, args: ['n'] });
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir: tmp.path });
  const where = { socketPath: server.path! };
  try {
    assert.equal((await call(where, 'POST', '/v1/attach', { target: 'app:tick', exit: 'count', name: 'ticks' })).status, 201);
    const a = await call(where, 'POST', '/v1/attach', { target: 'tracing:metrics-test:op', exit: 'latency', name: 'ops' });
    assert.equal(a.status, 201, a.text);
    for (let i = 0; i < 7; i++) h.fire(i);
    const dc = await import('node:diagnostics_channel');
    const tc = dc.tracingChannel('metrics-test:op');
    // Two operations that settle at once and one of 300 ms: far apart, so a loaded machine's
    // delays (tens of ms) cannot move one across the 0.25 s bucket bound.
    for (const ms of [0, 0, 300]) await tc.tracePromise(() => (ms === 0 ? Promise.resolve() : new Promise((r) => setTimeout(r, ms))), {});
    const answer = await call(where, 'GET', '/metrics');
    assert.equal(answer.status, 200);
    assert.match(String(answer.headers['content-type']), /^text\/plain; version=0\.0\.4/u);
    const families = parse(answer.text);
    assert.equal(families['hookwire_hits_total']?.type, 'COUNTER');
    const hits = families['hookwire_hits_total'].metrics;
    assert.deepEqual(
      hits.map((m) => [m.labels?.['site'], m.labels?.['attachment'], m.value]),
      [
        ['app:tick', 'ticks', '7'],
        ['tracing:metrics-test:op', 'ops', '3'],
      ],
    );
    assert.ok(families['hookwire_faults_total']);
    assert.ok(families['hookwire_missed_total']);
    assert.equal(families['hookwire_latency_seconds']?.type, 'HISTOGRAM');
    const op = histogramOf(answer.text, 'tracing:metrics-test:op');
    assert.equal(op.count, '3');
    // The 300 ms operation is above 0.25 s, the two short ones below it; all three within 10 s.
    assert.equal(op.buckets['0.25'], '2');
    assert.equal(op.buckets['10'], '3');
    assert.equal(op.buckets['+Inf'], '3');
    // A 300 ms timer can end a fraction of a millisecond early on the monotonic clock (CI: 0.2998).
    assert.ok(Number(op.sum) >= 0.29, op.sum);
    const head = await call(where, 'HEAD', '/metrics');
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    assert.equal((await call(where, 'POST', '/metrics', '')).status, 405);
  } finally {
    await server.close();
  }
});

test('metrics addresses: loopback only, with a clear error', () => {
  assert.equal(METRICS_CONTENT_TYPE, Registry.PROMETHEUS_CONTENT_TYPE);
  assert.deepEqual(parseMetricsAddress('127.0.0.1:9464'), { host: '127.0.0.1', port: 9464 });
  assert.deepEqual(parseMetricsAddress('[::1]:0'), { host: '::1', port: 0 });
  assert.deepEqual(parseMetricsAddress('localhost:1'), { host: '127.0.0.1', port: 1 });
  for (const bad of ['0.0.0.0:9464', '192.168.1.2:80', ':9464', '9464', '127.0.0.1:70000', '[::]:9464', 'example.com:80']) {
    assert.throws(
      () => parseMetricsAddress(bad),
      (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG',
      bad,
    );
  }
  assert.throws(() => parseMetricsAddress('0.0.0.0:9464'), /0\.0\.0\.0 is not a loopback address/u);
  // Each refusal says what to write instead, truthfully.
  for (const [bad, why] of [
    [
      '127.0.0.2:0',
      /: 127\.0\.0\.2 is loopback, but not one metrics are served on \(metrics are served on 127\.0\.0\.1:PORT, localhost:PORT or \[::1\]:PORT only/u,
    ],
    ['::1:0', /: write an IPv6 address in brackets, as \[::1\]:0 \(/u],
    ['http://127.0.0.1:0', /: give the address without a scheme or path, as 127\.0\.0\.1:0 \(/u],
    ['http://127.0.0.1:9464/metrics', /: give the address without a scheme or path, as 127\.0\.0\.1:9464 \(/u],
    ['127.0.0.1:70000', /: port 70000 is out of range \(/u],
    [':9464', /: expected HOST:PORT \(/u],
  ] as const) {
    assert.throws(() => parseMetricsAddress(bad), why, bad);
  }
  assert.doesNotThrow(() => parseMetricsAddress('LOCALHOST:9464'));
});

test('the --metrics server answers only a Host that names it (127.0.0.1:PORT, localhost:PORT): 403 ERR_HOST_REFUSED otherwise', async () => {
  const registry = createRegistry();
  const attachments = new Attachments(registry, exitCatalogue(registry), () => {});
  const server = await serveMetrics({ host: '127.0.0.1', port: 0 }, attachments);
  const port = (server.address() as AddressInfo).port;
  const get = (host: string | undefined, path = '/metrics', method = 'GET') =>
    new Promise<{ status: number; text: string; type: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path, method, agent: false, setHost: host !== undefined, headers: host === undefined ? {} : { host } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, type: String(res.headers['content-type']) }));
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end();
    });
  try {
    // What Prometheus sends for the target 127.0.0.1:PORT, and localhost.
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LocalHost:${port}`]) {
      const ok = await get(host);
      assert.equal(ok.status, 200, host);
      assert.equal(ok.type, METRICS_CONTENT_TYPE);
    }
    for (const host of [`rebound.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `[::1]:${port}`, undefined]) {
      const refused = await get(host);
      assert.equal(refused.status, 403, String(host));
      assert.match(refused.text, /^Host ".*" is not this server: scrape 127\.0\.0\.1:\d+ \(ERR_HOST_REFUSED\)\n$/u, String(host));
      assert.ok(!refused.text.includes('hookwire_'), 'no metrics in a refusal');
    }
    const notFound = await get(`127.0.0.1:${port}`, '/other');
    assert.equal(notFound.status, 404);
    assert.equal(notFound.text, 'no /other here: metrics are at /metrics (ERR_NOT_FOUND)\n');
    const post = await get(`127.0.0.1:${port}`, '/metrics', 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.text, 'POST is not allowed on /metrics (ERR_METHOD_NOT_ALLOWED)\n');
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('hookwire run --metrics 0.0.0.0:9464 is a usage error; the program never starts', async () => {
  const r = await runCli(['run', '--metrics', '0.0.0.0:9464', '--', busy]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--metrics: metrics address "0\.0\.0\.0:9464": 0\.0\.0\.0 is not a loopback address/u);
  assert.equal(r.stdout, '');
});

test('hookwire run --metrics 127.0.0.1:0: a scrape over TCP while the program runs', async () => {
  using tmp = tempDir();
  const child = spawn(
    process.execPath,
    [cli, 'run', '--metrics', '127.0.0.1:0', '--probe', `${SPEC}#step=latency`, '--probe', `${SPEC}#wait=count`, '--', busy],
    { env: { ...process.env, HOOKWIRE_RUNTIME_DIR: tmp.path }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const closed = new Promise((r) => child.on('close', r));
  try {
    const url = await until(() => /metrics (http:\/\/127\.0\.0\.1:\d+\/metrics)/u.exec(stderr)?.[1], 'the metrics address');
    await until(() => stdout.includes('busy: ready'), 'the program to be busy');
    const text = await new Promise<string>((resolve, reject) => {
      request(url, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(body));
      })
        .on('error', reject)
        .end();
    });
    const families = parse(text);
    const hits = new Map(families['hookwire_hits_total']!.metrics.map((m) => [m.labels?.['site'], Number(m.value)]));
    assert.ok(hits.get(`probe:${SPEC}#step`)! >= 5, text);
    assert.ok(hits.get(`probe:${SPEC}#wait`)! >= 5, text);
    const step = histogramOf(text, `probe:${SPEC}#step`);
    assert.ok(Number(step.count) >= 5, text);
    assert.equal(step.buckets['+Inf'], step.count);
  } finally {
    child.kill('SIGTERM');
    await closed;
  }
});
