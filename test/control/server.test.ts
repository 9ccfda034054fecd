// The control endpoints, in process, on a registry of their own: list, attach, arm, disarm,
// remove, and the event stream, each doing what it says and nothing else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exitCatalogue } from '../../src/control/catalogue.ts';
import { ControlClient } from '../../src/control/client.ts';
import { startControlServer } from '../../src/control/server.ts';
import { createRegistry, hook } from '../../src/core/index.ts';
import { call, tempDir, until } from './helpers.ts';

async function setup(dir: string) {
  const registry = createRegistry();
  const greet = hook<[name: string]>('app:greet', { registry, args: ['name'] });
  const own = greet.register(() => {}, { name: 'app-own' });
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir });
  return { registry, greet, own, server, where: { socketPath: server.path! } };
}

test('GET /v1/agent describes the process', async () => {
  using tmp = tempDir();
  const { server, where } = await setup(tmp.path);
  try {
    const a = await call(where, 'GET', '/v1/agent');
    assert.equal(a.status, 200);
    assert.equal(a.body.pid, process.pid);
    assert.equal(a.body.node, process.version);
    assert.equal(a.body.transport, 'unix');
    assert.match(String(a.headers['content-type']), /application\/json/u);
  } finally {
    await server.close();
  }
});

test('GET /v1/hooks lists the registry snapshot and the attachments', async () => {
  using tmp = tempDir();
  const { server, where } = await setup(tmp.path);
  try {
    const a = await call(where, 'GET', '/v1/hooks');
    assert.equal(a.status, 200);
    assert.deepEqual(
      a.body.registry.hooks.map((h: { name: string }) => h.name),
      ['app:greet'],
    );
    assert.deepEqual(
      a.body.registry.hooks[0].exits.map((e: { name: string }) => e.name),
      ['app-own'],
    );
    assert.deepEqual(a.body.attachments, []);
  } finally {
    await server.close();
  }
});

test('attach puts a catalogue exit on a declared hook; it counts fires; remove takes it away', async () => {
  using tmp = tempDir();
  const { server, where, greet } = await setup(tmp.path);
  try {
    const a = await call(where, 'POST', '/v1/attach', { target: 'app:greet', exit: { type: 'count' } });
    assert.equal(a.status, 201, a.text);
    assert.equal(a.body.attached.name, 'count@app:greet');
    assert.equal(a.body.attached.status, 'attached');
    assert.equal(a.body.attached.armed, true);
    greet.fire('ada');
    greet.fire('bob');
    const listed = await call(where, 'GET', '/v1/hooks');
    const att = listed.body.attachments[0];
    assert.equal(att.report.sites['app:greet'].hits, 2);
    assert.equal(att.stats.hits, 2);
    assert.equal(greet.exits.length, 2);
    const r = await call(where, 'POST', '/v1/remove', { name: 'count@app:greet' });
    assert.equal(r.status, 200, r.text);
    assert.equal(greet.exits.length, 1, "only the program's own exit is left");
    assert.equal((await call(where, 'GET', '/v1/hooks')).body.attachments.length, 0);
  } finally {
    await server.close();
  }
});

test('arm and disarm act on an attachment by name, or on all exits of a hook at once', async () => {
  using tmp = tempDir();
  const { server, where, greet, own } = await setup(tmp.path);
  try {
    await call(where, 'POST', '/v1/attach', { target: 'app:greet', exit: 'count', name: 'c', armed: false });
    assert.equal(greet.enabled, false);
    let a = await call(where, 'POST', '/v1/arm', { name: 'c' });
    assert.equal(a.status, 200, a.text);
    assert.equal(greet.enabled, true);
    assert.equal(own.armed, false, "arming an attachment leaves the program's exits alone");
    a = await call(where, 'POST', '/v1/arm', { name: 'app:greet', exit: 'app-own' });
    assert.equal(a.status, 200, a.text);
    assert.equal(own.armed, true);
    a = await call(where, 'POST', '/v1/disarm', { name: 'app:greet' });
    assert.equal(a.status, 200, a.text);
    assert.deepEqual(
      a.body.disarmed.exits.map((e: { armed: boolean }) => e.armed),
      [false, false],
    );
    assert.equal(greet.enabled, false);
  } finally {
    await server.close();
  }
});

test('the event stream carries trace records and periodic stats', async () => {
  using tmp = tempDir();
  const { server, greet } = await setup(tmp.path);
  const client = new ControlClient({ path: server.path! });
  const events: { event: string; data: any }[] = [];
  const stream = client.events((e) => events.push(e), { intervalMs: 100 });
  try {
    await client.attach({ target: 'app:greet', exit: { type: 'trace' } });
    await until(() => events.some((e) => e.event === 'stats'), 'a stats event');
    greet.fire('ada');
    const rec = await until(() => events.find((e) => e.event === 'trace'), 'a trace event');
    assert.equal(rec.data.site, 'app:greet');
    assert.equal(rec.data.event, 'fire');
    assert.deepEqual(rec.data.args, { name: 'ada' });
    const stats = events.filter((e) => e.event === 'stats');
    await until(() => events.filter((e) => e.event === 'stats').length >= stats.length + 2, 'stats ticks');
    const last = events.filter((e) => e.event === 'stats').at(-1)!;
    assert.equal(last.data.attachments[0].stats.hits, 1);
    assert.equal(last.data.dropped, 0);
  } finally {
    stream.close();
    await server.close();
  }
});

test('an event stream closed by its caller, even before it opened, resolves done; an unreachable agent rejects it', async () => {
  using tmp = tempDir();
  const { server } = await setup(tmp.path);
  try {
    const client = new ControlClient({ path: server.path! });
    const early = client.events(() => {});
    early.close(); // before any answer: the request is destroyed mid-way
    await early.done;
    const events: unknown[] = [];
    const open = client.events((e) => events.push(e), { intervalMs: 100 });
    await until(() => events.length > 0, 'the first event');
    open.close();
    await open.done;
    const nobody = new ControlClient({ path: `${tmp.path}/nobody.sock` }).events(() => {});
    await assert.rejects(nobody.done, { code: 'ERR_AGENT_UNREACHABLE' });
  } finally {
    await server.close();
  }
});

test('the server never keeps the process alive and close() removes the socket', async () => {
  using tmp = tempDir();
  const { server } = await setup(tmp.path);
  const { existsSync } = await import('node:fs');
  assert.ok(existsSync(server.path!));
  await server.close();
  assert.equal(existsSync(server.path!), false);
});

test('hookwire/control: the public door starts a server with the exit catalogue by default', async () => {
  const control = await import('../../src/control/index.ts');
  using tmp = tempDir();
  const registry = createRegistry();
  const h = hook<[number]>('app:door', { registry });
  const server = await control.startControlServer({ registry, dir: tmp.path });
  try {
    const client = control.connectAgent(process.pid, { dir: tmp.path });
    await client.attach({ target: 'app:door', exit: 'latency' });
    h.fire(1);
    const listed = await client.list();
    assert.equal((listed['attachments'] as { stats: { hits: number } }[])[0]!.stats.hits, 1);
    assert.deepEqual(
      (await control.listAgents({ dir: tmp.path })).map((a) => a.pid),
      [process.pid],
    );
  } finally {
    await server.close();
  }
});

test("a lease ties attachments to their client's event stream: they go when its last stream closes", async () => {
  using tmp = tempDir();
  const { server, where } = await setup(tmp.path);
  const client = new ControlClient({ path: server.path! });
  const names = async () => (await client.list()).attachments.map((a) => a.name).sort();
  try {
    // Attaching under a lease no stream holds is refused, nothing attached.
    await assert.rejects(client.attach({ target: 'app:greet', exit: 'count', name: 'early', lease: 'lease-one' }), {
      code: 'ERR_INVALID_ARG',
      message: /no open event stream holds lease "lease-one"/u,
    });
    for (const bad of ['short', 'has space!', 'x'.repeat(65)]) {
      const r = await call(where, 'POST', '/v1/attach', { target: 'app:greet', exit: 'count', lease: bad });
      assert.equal(r.status, 400, bad);
      assert.equal(r.body.error.code, 'ERR_INVALID_ARG');
    }
    const badQuery = await call(where, 'GET', '/v1/events?lease=no');
    assert.equal(badQuery.status, 400);
    // Two streams hold one lease: the attachments stay until both have closed.
    const seen: unknown[] = [];
    const first = client.events((e) => seen.push(e), { lease: 'lease-one' });
    const second = client.events(() => {}, { lease: 'lease-one' });
    await until(() => seen.length > 0, 'the first stream');
    await client.attach({ target: 'app:greet', exit: 'count', name: 'leased', lease: 'lease-one' });
    await client.attach({ target: 'app:greet', exit: 'count', name: 'removed-by-hand', lease: 'lease-one' });
    await client.attach({ target: 'app:greet', exit: 'count', name: 'kept' });
    // Removed by hand and attached again without the lease: no longer the lease's.
    await client.remove({ name: 'removed-by-hand' });
    await client.attach({ target: 'app:greet', exit: 'count', name: 'removed-by-hand' });
    first.close();
    await first.done;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(await names(), ['kept', 'leased', 'removed-by-hand'], 'the second stream still holds the lease');
    second.close();
    await second.done;
    await until(async () => !(await names()).includes('leased'), 'the leased attachment to go');
    assert.deepEqual(await names(), ['kept', 'removed-by-hand']);
  } finally {
    await server.close();
  }
});
