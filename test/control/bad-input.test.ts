// Bad input on every endpoint: each gets a 4xx with a JSON error carrying a stable code, nothing
// changes, and the program's hooks behave exactly as before.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exitCatalogue } from '../../src/control/catalogue.ts';
import { startControlServer, type ControlServer } from '../../src/control/server.ts';
import { createRegistry, hook, waterfall } from '../../src/core/index.ts';
import { call, raw, tempDir } from './helpers.ts';

const tmp = tempDir();
const registry = createRegistry();
const ping = hook<[number]>('app:ping', { registry });
const double = waterfall<[number]>('app:double', { registry });
const seen: number[] = [];
ping.register((n) => void seen.push(n), { name: 'own', armed: true });
double.register((n) => n * 2, { name: 'twice', armed: true });
let server: ControlServer;
let where: { socketPath: string };

/** The program's observable behaviour: unchanged by anything a client sends. */
function behaviour(): string {
  seen.length = 0;
  ping.fire(1);
  ping.fire(2);
  return JSON.stringify([seen, double.fire(21), registry.snapshot().hooks.map((h) => [h.name, h.exits.map((e) => [e.name, e.armed])])]);
}
let baseline: string;

before(async () => {
  server = await startControlServer({
    catalogue: exitCatalogue(registry),
    registry,
    dir: tmp.path,
    headersTimeoutMs: 300,
    requestTimeoutMs: 600,
    maxSubscribers: 2,
  });
  where = { socketPath: server.path! };
  baseline = behaviour();
});
after(async () => {
  await server.close();
  tmp[Symbol.dispose]();
});

async function expectError(method: string, path: string, body: string | object | undefined, status: number, code: string) {
  const a = await call(where, method, path, body, typeof body === 'string' ? { 'content-type': 'application/json' } : {});
  assert.equal(a.status, status, `${method} ${path} ${typeof body === 'string' ? body : JSON.stringify(body)} → ${a.text}`);
  assert.equal(a.body?.error?.code, code, `${method} ${path} → ${a.text}`);
  assert.equal(typeof a.body.error.message, 'string');
  assert.ok(a.body.error.message.length > 0);
}

const POSTS = ['/v1/attach', '/v1/arm', '/v1/disarm', '/v1/remove'];

test('malformed JSON and JSON that is not an object are refused on every POST endpoint', async () => {
  for (const path of POSTS) {
    for (const text of ['{', '{"target":', 'nope', '{"a":1}}', '\u0000']) await expectError('POST', path, text, 400, 'ERR_INVALID_JSON');
    for (const text of ['[]', '"x"', '42', 'null', 'true']) await expectError('POST', path, text, 400, 'ERR_INVALID_ARG');
  }
  assert.equal(behaviour(), baseline);
});

test('unknown fields, wrong types and oversize names are refused', async () => {
  const bad: [string, object][] = [
    ['/v1/attach', { target: 'app:ping', exit: 'count', extra: 1 }],
    ['/v1/attach', { target: 42, exit: 'count' }],
    ['/v1/attach', { target: '', exit: 'count' }],
    ['/v1/attach', { target: 'a\u0001:b', exit: 'count' }],
    ['/v1/attach', { target: 'app:ping' }],
    ['/v1/attach', { target: 'app:ping', exit: 7 }],
    ['/v1/attach', { target: 'app:ping', exit: [] }],
    ['/v1/attach', { target: 'app:ping', exit: { every: 2 } }],
    ['/v1/attach', { target: 'app:ping', exit: 'count', armed: 'yes' }],
    ['/v1/attach', { target: 'app:ping', exit: 'count', name: 'x'.repeat(200) }],
    ['/v1/attach', { target: 'x'.repeat(5000), exit: 'count' }],
    ['/v1/arm', {}],
    ['/v1/arm', { name: 1 }],
    ['/v1/arm', { name: 'app:ping', exit: {} }],
    ['/v1/disarm', { name: 'app:ping', what: 1 }],
    ['/v1/remove', { name: 'a', exit: 'b' }],
    ['/v1/remove', { name: null }],
  ];
  for (const [path, body] of bad) await expectError('POST', path, body, 400, 'ERR_INVALID_ARG');
  assert.equal(behaviour(), baseline);
});

test('bad exit specs are refused with ERR_INVALID_ARG and leave no attachment', async () => {
  for (const exit of [
    { type: 'nope' },
    'nope',
    { type: 'trace', every: 0 },
    { type: 'trace', every: 'x' },
    { type: 'trace', rate: 2 },
    { type: 'trace', limits: { depth: -1 } },
    { type: 'count', every: 2 },
    { type: 'assert' },
    { type: 'assert', predicate: { op: 'nonsense' } },
    { type: 'latency', sink: 'stderr' },
  ]) {
    await expectError('POST', '/v1/attach', { target: 'app:ping', exit }, 400, 'ERR_INVALID_ARG');
  }
  assert.equal((await call(where, 'GET', '/v1/hooks')).body.attachments.length, 0);
  assert.equal(behaviour(), baseline);
});

test("unknown hooks, modules, paths and names are 4xx with the layer's code", async () => {
  await expectError('POST', '/v1/attach', { target: 'app:nothing', exit: 'count' }, 404, 'ERR_NOT_FOUND');
  await expectError('POST', '/v1/attach', { target: 'no-colon', exit: 'count' }, 404, 'ERR_NOT_FOUND');
  await expectError('POST', '/v1/attach', { target: './no/such/file.js#f', exit: 'count' }, 404, 'ERR_MODULE_NOT_FOUND');
  await expectError('POST', '/v1/attach', { target: 'no-such-package#f', exit: 'count' }, 404, 'ERR_MODULE_NOT_FOUND');
  await expectError('POST', '/v1/attach', { target: 'node:fs#nothing.here', exit: 'count' }, 400, 'ERR_PROBE_TARGET');
  await expectError('POST', '/v1/attach', { target: 'node:fs#constants', exit: 'count' }, 400, 'ERR_PROBE_TARGET');
  await expectError('POST', '/v1/attach', { target: 'node:fs#', exit: 'count' }, 400, 'ERR_INVALID_ARG');
  await expectError('POST', '/v1/attach', { target: 'probe:#x', exit: 'count' }, 400, 'ERR_INVALID_ARG');
  for (const path of ['/v1/arm', '/v1/disarm', '/v1/remove']) await expectError('POST', path, { name: 'nobody' }, 404, 'ERR_NOT_FOUND');
  await expectError('POST', '/v1/arm', { name: 'app:ping', exit: 'nobody' }, 404, 'ERR_NOT_FOUND');
  await expectError('POST', '/v1/remove', { name: 'app:ping' }, 404, 'ERR_NOT_FOUND');
  assert.equal(behaviour(), baseline);
});

test('a second attachment with a taken name is ERR_NAME_TAKEN; the first stays', async () => {
  const first = await call(where, 'POST', '/v1/attach', { target: 'app:ping', exit: 'count', name: 'mine', armed: false });
  assert.equal(first.status, 201);
  await expectError('POST', '/v1/attach', { target: 'app:double', exit: 'latency', name: 'mine' }, 409, 'ERR_NAME_TAKEN');
  const listed = (await call(where, 'GET', '/v1/hooks')).body.attachments;
  assert.deepEqual(
    listed.map((a: { name: string; target: string }) => [a.name, a.target]),
    [['mine', 'app:ping']],
  );
  assert.equal((await call(where, 'POST', '/v1/remove', { name: 'mine' })).status, 200);
  assert.equal(behaviour(), baseline);
});

test('oversize bodies are 413, whether announced or streamed', async () => {
  const big = JSON.stringify({ target: 'app:ping', exit: 'count', name: 'x'.repeat(70 * 1024) });
  for (const path of POSTS) await expectError('POST', path, big, 413, 'ERR_BODY_TOO_LARGE');
  const chunked = await raw(
    where.socketPath,
    `POST /v1/attach HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n${(20000).toString(16)}\r\n${'a'.repeat(20000)}\r\n`.repeat(1) +
      `${(50000).toString(16)}\r\n${'b'.repeat(50000)}\r\n0\r\n\r\n`,
    3000,
  );
  assert.match(chunked, /^HTTP\/1\.1 413/u);
  assert.match(chunked, /ERR_BODY_TOO_LARGE/u);
  assert.equal(behaviour(), baseline);
});

test('wrong methods are 405 with Allow; unknown paths are 404', async () => {
  for (const path of POSTS) {
    const a = await call(where, 'GET', path);
    assert.equal(a.status, 405);
    assert.equal(a.body.error.code, 'ERR_METHOD_NOT_ALLOWED');
    assert.equal(a.headers['allow'], 'POST');
  }
  for (const path of ['/v1/agent', '/v1/hooks', '/v1/events']) {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) await expectError(method, path, undefined, 405, 'ERR_METHOD_NOT_ALLOWED');
  }
  for (const path of ['/', '/v1', '/v1/', '/v2/hooks', '/v1/hooks/x', '/../etc/passwd', '/v1/attach%00']) {
    await expectError('GET', path, undefined, 404, 'ERR_NOT_FOUND');
  }
  // A target is a path: `//v1/agent` is not the host "v1" with the path /agent.
  for (const path of ['//v1/agent', '//agent/v1/hooks']) {
    const a = await call(where, 'GET', path);
    assert.equal(a.status, 404, a.text);
    assert.match(a.body.error.message, new RegExp(`^no endpoint ${path} `, 'u'));
  }
  assert.equal(behaviour(), baseline);
});

test('the event stream refuses a bad interval and too many subscribers', async () => {
  for (const q of ['?interval=5', '?interval=abc', '?interval=1.5', '?interval=100000', '?interval=']) {
    await expectError('GET', `/v1/events${q}`, undefined, 400, 'ERR_INVALID_ARG');
  }
  const { ControlClient } = await import('../../src/control/client.ts');
  const client = new ControlClient({ path: where.socketPath });
  const streams = [client.events(() => {}), client.events(() => {})];
  await new Promise((r) => setTimeout(r, 200));
  await expectError('GET', '/v1/events', undefined, 429, 'ERR_LIMIT');
  for (const s of streams) s.close();
  await new Promise((r) => setTimeout(r, 100));
  const again = client.events(() => {});
  await new Promise((r) => setTimeout(r, 100));
  again.close();
});

test('malformed HTTP gets a 400 JSON answer and the connection is closed', async () => {
  for (const bytes of ['GARBAGE\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'GET /v1/hooks HTTP/1.1\r\nbad header line\r\n\r\n', '\u0000\u0001\u0002\r\n\r\n']) {
    const answer = await raw(where.socketPath, bytes, 3000);
    assert.match(answer, /^HTTP\/1\.1 400/u, JSON.stringify(bytes));
    assert.match(answer, /"code":"ERR_INVALID_ARG"/u);
  }
  const huge = await raw(where.socketPath, `GET /v1/hooks HTTP/1.1\r\nx-big: ${'y'.repeat(20000)}\r\n\r\n`, 3000);
  assert.match(huge, /^HTTP\/1\.1 431/u);
  assert.equal(behaviour(), baseline);
});

test('slow and abandoned clients are cut off by the timeouts', async () => {
  const started = Date.now();
  const slowHeaders = await raw(where.socketPath, 'GET /v1/hooks HTTP/1.1\r\nhost: x\r\n', 5000);
  assert.ok(Date.now() - started < 4000, 'a client that never finishes its headers is dropped');
  assert.match(slowHeaders, /^HTTP\/1\.1 408[^]*ERR_TIMEOUT/u);
  const t2 = Date.now();
  const abandoned = await raw(where.socketPath, 'POST /v1/attach HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{"tar', 5000);
  assert.ok(Date.now() - t2 < 4000, 'a client that never finishes its body is dropped');
  assert.match(abandoned, /^HTTP\/1\.1 408[^]*ERR_TIMEOUT/u);
  assert.equal(behaviour(), baseline);
});
