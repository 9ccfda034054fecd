import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { exitCatalogue } from '../../src/control/catalogue.ts';
import { startControlServer } from '../../src/control/server.ts';
import { createRegistry, HookError } from '../../src/core/index.ts';
import { attach, channelSubscribed, count, latency, trace, type TraceRecord } from '../../src/exits/index.ts';
import type { Probe } from '../../src/probe/index.ts';
import { call, tempDir } from '../control/helpers.ts';

const isInvalid = (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG';

test('dc: subscribes on arm and unsubscribes on disarm: nothing is subscribed while disarmed', () => {
  const registry = createRegistry();
  const name = 'hookwire-test.dc.arm';
  const channel = dc.channel(name);
  const records: TraceRecord[] = [];
  const p = attach(trace({ sink: { callback: (r) => records.push(r) } }), `dc:${name}`, { registry, armed: false }) as Probe;
  assert.equal(channel.hasSubscribers, false);
  assert.equal(channelSubscribed(`dc:${name}`, registry), false);
  channel.publish({ n: 0 });
  p.arm();
  assert.equal(channel.hasSubscribers, true);
  channel.publish({ n: 1 });
  p.disarm();
  assert.equal(channel.hasSubscribers, false);
  channel.publish({ n: 2 });
  assert.deepEqual(
    records.map((r) => [r.site, r.event, r.args]),
    [[`dc:${name}`, 'fire', { message: { n: 1 }, name }]],
  );
  assert.equal(p.stats.hits, 1);
  // The registry's snapshot (what `hookwire ls` shows) counts them too.
  assert.equal(registry.snapshot().hooks.find((h) => h.name === `dc:${name}`)?.exits[0]?.hits, 1);
  // The site is a hook in the registry, armed and disarmed like any other.
  assert.equal(registry.get(`dc:${name}`)?.exits.length, 1);
  p.arm();
  assert.equal(p.remove(), true);
  assert.equal(channel.hasSubscribers, false);
  assert.equal(registry.get(`dc:${name}`), undefined);
});

test('several observers share one subscription, which ends with the last armed one', () => {
  const registry = createRegistry();
  const name = 'hookwire-test.dc.shared';
  const channel = dc.channel(name);
  const c1 = count();
  const c2 = count();
  const a = attach(c1, `dc:${name}`, { registry }) as Probe;
  const b = attach(c2, `dc:${name}`, { registry }) as Probe;
  channel.publish('x');
  a.disarm();
  assert.equal(channel.hasSubscribers, true);
  channel.publish('y');
  b.remove();
  assert.equal(channel.hasSubscribers, false);
  a.remove();
  assert.equal(c1.report().sites[`dc:${name}`]?.hits, 1);
  assert.equal(c2.report().sites[`dc:${name}`]?.hits, 2);
});

test('tracing: a TracingChannel times sync, promise and callback operations, and errors', async () => {
  const registry = createRegistry();
  const tc = dc.tracingChannel('hookwire-test:op');
  const l = latency();
  const records: TraceRecord[] = [];
  const c = count();
  const pl = attach(l, 'tracing:hookwire-test:op', { registry }) as Probe;
  attach(trace({ sink: { callback: (r) => records.push(r) } }), 'tracing:hookwire-test:op', { registry });
  attach(c, 'tracing:hookwire-test:op', { registry });
  assert.equal(tc.start.hasSubscribers, true);

  assert.equal(
    tc.traceSync(() => 42, { op: 'sync' }),
    42,
  );
  assert.throws(
    () =>
      tc.traceSync(
        () => {
          throw new TypeError('bad');
        },
        { op: 'throws' },
      ),
    TypeError,
  );
  assert.equal(await tc.tracePromise(() => new Promise((r) => setTimeout(() => r('late'), 20)), { op: 'promise' }), 'late');
  await assert.rejects(
    tc.tracePromise(() => Promise.reject(new RangeError('no')), { op: 'rejects' }),
    RangeError,
  );
  await new Promise<void>((done) =>
    tc.traceCallback(
      (cb: (e: unknown, v: string) => void) => setTimeout(() => cb(null, 'cb'), 5),
      0,
      { op: 'callback' },
      undefined,
      () => done(),
    ),
  );

  const site = l.report().sites['tracing:hookwire-test:op'];
  assert.equal(site?.hits, 5);
  assert.equal(site?.count, 5);
  assert.equal(site?.errors, 2);
  assert.ok((site?.maxMs ?? 0) >= 15, `the promise's 20 ms wait is in its duration (max ${site?.maxMs})`);
  assert.deepEqual(
    records.map((r) => [(r.args as [{ op: string }])[0].op, r.event, r.error?.name ?? null]),
    [
      ['sync', 'call', null],
      ['throws', 'call', 'TypeError'],
      ['promise', 'call', null],
      ['rejects', 'call', 'RangeError'],
      ['callback', 'call', null],
    ],
  );
  assert.equal(records[0]?.result, 42);
  assert.equal(records[2]?.async, true);
  assert.equal(c.report().sites['tracing:hookwire-test:op']?.errors, 2);
  pl.disarm();
  for (const p of registry.get('tracing:hookwire-test:op')?.exits ?? []) p.disarm();
  assert.equal(tc.start.hasSubscribers, false);
});

test('dc: with the channels of node:http, client and server', async () => {
  const registry = createRegistry();
  const seen: TraceRecord[] = [];
  const sink = { callback: (r: TraceRecord) => seen.push(r) };
  const probes = ['dc:http.client.request.start', 'dc:http.server.request.start', 'dc:http.server.response.finish'].map(
    (site) => attach(trace({ sink }), site, { registry }) as Probe,
  );
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done, fail) => {
    request({ host: '127.0.0.1', port, path: '/hello' }, (res) => {
      res.resume();
      res.on('end', done);
    })
      .on('error', fail)
      .end();
  });
  await new Promise((r) => server.close(r));
  for (const p of probes) p.remove();
  const sites = seen.map((r) => r.site);
  assert.ok(sites.includes('dc:http.client.request.start'));
  assert.ok(sites.includes('dc:http.server.request.start'));
  assert.ok(sites.includes('dc:http.server.response.finish'));
  const start = seen.find((r) => r.site === 'dc:http.client.request.start');
  // The message is summarised safely: the request object, by class.
  assert.equal((start?.args as { message: { request: { '[class]': string } } }).message.request['[class]'], 'ClientRequest');
});

test("dc: with fetch's undici channels (Node's own fetch publishes them)", async () => {
  const registry = createRegistry();
  const c = count();
  const created = attach(c, 'dc:undici:request:create', { registry }) as Probe;
  const headers = attach(c, 'dc:undici:request:headers', { registry }) as Probe;
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const res = await fetch(`http://127.0.0.1:${port}/`);
  assert.equal(await res.text(), 'ok');
  await new Promise((r) => server.close(r));
  created.remove();
  headers.remove();
  assert.equal(c.report().sites['dc:undici:request:create']?.hits, 1);
  assert.equal(c.report().sites['dc:undici:request:headers']?.hits, 1);
});

test('bad channel names are refused with ERR_INVALID_ARG, nothing declared', () => {
  const registry = createRegistry();
  for (const name of ['dc:', 'tracing:', 'dc:a b', 'tracing:x\ty']) {
    assert.throws(() => attach(count(), name, { registry }), isInvalid, name);
  }
  assert.equal(registry.snapshot().hooks.length, 0);
});

test("over the control socket: a dc: site attaches by name, and the control server's own requests are never seen", async () => {
  using tmp = tempDir();
  const registry = createRegistry();
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir: tmp.path });
  const where = { socketPath: server.path! };
  try {
    const a = await call(where, 'POST', '/v1/attach', { target: 'dc:http.server.request.start', exit: 'count', name: 'srv' });
    assert.equal(a.status, 201, a.text);
    assert.equal(a.body.attached.kind, 'hook');
    assert.equal(dc.hasSubscribers('http.server.request.start'), true);
    for (let i = 0; i < 3; i++) assert.equal((await call(where, 'GET', '/v1/hooks')).status, 200);
    const listed = await call(where, 'GET', '/v1/hooks');
    const srv = listed.body.attachments.find((x: { name: string }) => x.name === 'srv');
    assert.equal(srv.stats.hits, 0);
    assert.equal(srv.stats.missed, 0);
    assert.ok(listed.body.registry.hooks.some((h: { name: string }) => h.name === 'dc:http.server.request.start'));
    assert.equal((await call(where, 'POST', '/v1/disarm', { name: 'srv' })).status, 200);
    assert.equal(dc.hasSubscribers('http.server.request.start'), false);
    const bad = await call(where, 'POST', '/v1/attach', { target: 'dc:', exit: 'count' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'ERR_INVALID_ARG');
  } finally {
    await server.close();
  }
});
