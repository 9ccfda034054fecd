// HTTP edges a client can reach: an HTTP/1.1 request without Host, CONNECT, a lower-case "bearer"
// scheme, a target whose reading throws in the program's code. Each gets a JSON answer with a
// stable code, never an empty reply or a 500.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { exitCatalogue } from '../../src/control/catalogue.ts';
import { startControlServer } from '../../src/control/server.ts';
import { createRegistry } from '../../src/core/index.ts';
import { call, raw, tempDir } from './helpers.ts';

/** The status line and the parsed JSON body of a raw answer. */
function parse(answer: string): { status: number; body: any } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/u.exec(answer)?.[1] ?? 0);
  const text = answer.slice(answer.indexOf('\r\n\r\n') + 4);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status, body };
}

test('an HTTP/1.1 request without Host is a JSON 400 (HTTP/1.0 needs none)', async () => {
  using tmp = tempDir();
  const registry = createRegistry();
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir: tmp.path });
  try {
    const a = parse(await raw(server.path!, 'GET /v1/agent HTTP/1.1\r\n\r\n', 3000));
    assert.equal(a.status, 400);
    assert.equal(a.body?.error?.code, 'ERR_INVALID_ARG');
    assert.match(a.body.error.message, /Host/u);
    const old = parse(await raw(server.path!, 'GET /v1/agent HTTP/1.0\r\n\r\n', 3000));
    assert.equal(old.status, 200);
    assert.equal(old.body.pid, process.pid);
  } finally {
    await server.close();
  }
});

test('CONNECT gets a JSON 405, not a dropped connection', async () => {
  using tmp = tempDir();
  const registry = createRegistry();
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir: tmp.path });
  try {
    const a = parse(await raw(server.path!, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', 3000));
    assert.equal(a.status, 405);
    assert.equal(a.body?.error?.code, 'ERR_METHOD_NOT_ALLOWED');
    // The server is still there for the next client.
    assert.equal((await call({ socketPath: server.path! }, 'GET', '/v1/agent')).status, 200);
  } finally {
    await server.close();
  }
});

test('the bearer scheme is case-insensitive; the token is not', async () => {
  using tmp = tempDir();
  const registry = createRegistry();
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir: tmp.path, path: false, tcp: {} });
  try {
    const where = { port: server.port! };
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const a = await call(where, 'GET', '/v1/agent', undefined, { authorization: `${scheme} ${server.token}` });
      assert.equal(a.status, 200, `${scheme}: ${a.text}`);
    }
    const wrong = await call(where, 'GET', '/v1/agent', undefined, { authorization: `bearer ${server.token!.toUpperCase()}x` });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.code, 'ERR_UNAUTHORIZED');
  } finally {
    await server.close();
  }
});

test("a target whose reading throws in the program's code is a 400 ERR_PROBE_TARGET, not a 500", async () => {
  using tmp = tempDir();
  const file = join(tmp.path, 'getter.cjs');
  writeFileSync(file, "Object.defineProperty(exports, 'api', { enumerable: true, get() { throw new TypeError('boom'); } });\n");
  createRequire(import.meta.url)(file);
  const registry = createRegistry();
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir: tmp.path });
  try {
    const a = await call({ socketPath: server.path! }, 'POST', '/v1/attach', { target: `${file}#api.f`, exit: 'count' });
    assert.equal(a.status, 400, a.text);
    assert.equal(a.body.error.code, 'ERR_PROBE_TARGET');
    assert.match(a.body.error.message, /boom/u);
    assert.equal((await call({ socketPath: server.path! }, 'GET', '/v1/hooks')).body.attachments.length, 0);
  } finally {
    await server.close();
  }
});
