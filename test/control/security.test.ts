// Who may reach an agent, and what they may change: a private directory and socket, a token on
// TCP, sealed hooks, no files named by clients, no code from clients.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { exitCatalogue } from '../../src/control/catalogue.ts';
import { connectAgent } from '../../src/control/client.ts';
import { startControlServer } from '../../src/control/server.ts';
import { createRegistry, hook } from '../../src/core/index.ts';
import { call, tempDir } from './helpers.ts';

test('the socket is mode 0600 in a directory of mode 0700', async () => {
  using tmp = tempDir();
  const dir = join(tmp.path, 'rt');
  const registry = createRegistry();
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir });
  try {
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(server.path, join(dir, `${process.pid}.sock`));
    assert.ok(statSync(server.path).isSocket());
    assert.equal(statSync(server.path).mode & 0o777, 0o600);
  } finally {
    await server.close();
  }
});

test('an agent refuses to start in an insecure directory, and clients refuse to use one', async () => {
  using tmp = tempDir();
  const dir = join(tmp.path, 'open');
  mkdirSync(dir);
  chmodSync(dir, 0o777);
  const registry = createRegistry();
  await assert.rejects(startControlServer({ catalogue: exitCatalogue(registry), registry, dir }), { code: 'ERR_INSECURE_DIR' });
  assert.equal(existsSync(join(dir, `${process.pid}.sock`)), false, 'no socket was created');
  assert.throws(() => connectAgent(process.pid, { dir }), { code: 'ERR_INSECURE_DIR' });
});

test('TCP is on 127.0.0.1 only and every request needs the bearer token', async () => {
  using tmp = tempDir();
  const registry = createRegistry();
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir: tmp.path, tcp: {} });
  try {
    assert.ok(server.port! > 0);
    assert.ok(server.token!.length >= 24);
    const info = JSON.parse(readFileSync(join(tmp.path, `${process.pid}.tcp.json`), 'utf8'));
    assert.equal(info.host, '127.0.0.1');
    assert.equal(info.token, server.token);
    assert.equal(statSync(join(tmp.path, `${process.pid}.tcp.json`)).mode & 0o777, 0o600);
    const where = { port: server.port! };
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer wrong' },
      { authorization: `Basic ${server.token}` },
      { authorization: `Bearer ${server.token}x` },
    ]) {
      for (const [method, path] of [
        ['GET', '/v1/hooks'],
        ['POST', '/v1/attach'],
        ['GET', '/v1/events'],
        ['GET', '/nope'],
      ]) {
        const a = await call(where, method!, path!, method === 'POST' ? { target: 'x:y', exit: 'count' } : undefined, headers);
        assert.equal(a.status, 401, `${method} ${path} with ${JSON.stringify(headers)}`);
        assert.equal(a.body.error.code, 'ERR_UNAUTHORIZED');
      }
    }
    const ok = await call(where, 'GET', '/v1/hooks', undefined, { authorization: `Bearer ${server.token}` });
    assert.equal(ok.status, 200);
    // The client finds the TCP address and token the agent left in the private directory.
    const viaFile = connectAgent(process.pid, { dir: tmp.path });
    assert.equal((await viaFile.info())['pid'], process.pid);
  } finally {
    await server.close();
  }
  assert.equal(existsSync(join(tmp.path, `${process.pid}.tcp.json`)), false, 'the token file goes with the agent');
});

test('a sealed hook refuses attach and arm with ERR_HOOK_SEALED (409), and stays as it was', async () => {
  using tmp = tempDir();
  const registry = createRegistry();
  const h = hook<[number]>('app:sealed', { registry });
  const own = h.register(() => {}, { name: 'own' });
  h.seal();
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir: tmp.path });
  const where = { socketPath: server.path! };
  try {
    for (const [path, body] of [
      ['/v1/attach', { target: 'app:sealed', exit: 'count' }],
      ['/v1/arm', { name: 'app:sealed' }],
      ['/v1/arm', { name: 'app:sealed', exit: 'own' }],
    ] as const) {
      const a = await call(where, 'POST', path, body);
      assert.equal(a.status, 409, `${path} ${a.text}`);
      assert.equal(a.body.error.code, 'ERR_HOOK_SEALED');
    }
    assert.equal(h.exits.length, 1);
    assert.equal(own.armed, false);
    assert.equal((await call(where, 'GET', '/v1/hooks')).body.attachments.length, 0);
  } finally {
    await server.close();
  }
});

test('a socket client cannot make the agent write files, nor send code', async () => {
  using tmp = tempDir();
  const registry = createRegistry();
  hook('app:h', { registry });
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir: tmp.path });
  const where = { socketPath: server.path! };
  const target = join(tmp.path, 'pwned');
  try {
    for (const exit of [
      { type: 'trace', sink: { file: target } },
      { type: 'assert', predicate: { arg: 0, op: 'eq', value: 1 }, captureDir: tmp.path },
      { type: 'assert', predicate: 'globalThis.pwned = true' },
      { type: 'assert', predicate: { fn: 'process.exit(1)' } },
      { type: 'trace', sink: { callback: 'process.exit(1)' } },
    ]) {
      const a = await call(where, 'POST', '/v1/attach', { target: 'app:h', exit });
      assert.equal(a.status, 400, `${JSON.stringify(exit)} → ${a.text}`);
      assert.equal(a.body.error.code, 'ERR_INVALID_ARG');
    }
    assert.equal(existsSync(target), false);
    assert.equal((globalThis as { pwned?: unknown }).pwned, undefined);
  } finally {
    await server.close();
  }
});
