// `hookwire ui`'s documented bounds (docs/ui.md, "Bounded"), over raw loopback connections: headers
// not sent in 5 s and a request not sent in 10 s get 408, headers over 16 KiB 431, a malformed
// request 400, and a connection over the 64 allowed 429 ERR_LIMIT; each a JSON body with its code,
// never a silent close. (Node checks its timeouts only every connectionsCheckingInterval, 30 s by
// default: the timeouts used to be kept at 14 s and 26 s.)
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { call, cli, spawnNode, startService, tempDir, until } from '../control/helpers.ts';

interface Raw {
  socket: Socket;
  /** Everything received so far. */
  text(): string;
  /** Resolves to everything received when the server closes, or to what came before `waitMs`. */
  closed(waitMs: number): Promise<string>;
}

function open(port: number): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    let ended = false;
    const waiting: (() => void)[] = [];
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (text += c));
    socket.on('close', () => {
      ended = true;
      for (const w of waiting) w();
    });
    socket.on('error', () => {});
    socket.once('connect', () =>
      resolve({
        socket,
        text: () => text,
        closed: (waitMs) =>
          new Promise((done) => {
            if (ended) return done(text);
            const timer = setTimeout(() => done(text), waitMs);
            waiting.push(() => {
              clearTimeout(timer);
              done(text);
            });
          }),
      }),
    );
    socket.once('error', reject);
  });
}

/** Status and parsed JSON body of a raw HTTP answer. */
function answer(text: string): { status: number; code: string | undefined; type: string | undefined } {
  const status = Number(/^HTTP\/1\.1 (\d{3}) /u.exec(text)?.[1] ?? 0);
  const type = /^content-type: (.*)\r$/imu.exec(text)?.[1];
  const body = text.slice(text.indexOf('\r\n\r\n') + 4);
  let code: string | undefined;
  try {
    code = (JSON.parse(body) as { error: { code: string } }).error.code;
  } catch {
    code = undefined;
  }
  return { status, code, type };
}

test('hookwire ui keeps its documented bounds and answers each refusal with JSON and a code', { timeout: 60_000 }, async () => {
  using tmp = tempDir('hw-uil-');
  const ui = spawnNode([cli, 'ui', '--no-open'], { HOOKWIRE_RUNTIME_DIR: tmp.path }, 55_000);
  const sockets: Raw[] = [];
  const service = await startService(tmp.path);
  try {
    const url = await until(() => /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/u.exec(ui.stdout())?.[0], `the URL (stderr: ${ui.stderr()})`);
    const port = Number(new URL(url).port);
    const host = `127.0.0.1:${port}`;

    // Oversize headers and a malformed request: refused by Node's parser, answered as JSON.
    const big = await open(port);
    big.socket.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nx-big: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
    const garbage = await open(port);
    garbage.socket.write('NOT HTTP AT ALL\r\n\r\n');
    for (const [raw, status, code] of [
      [big, 431, 'ERR_INVALID_ARG'],
      [garbage, 400, 'ERR_INVALID_ARG'],
    ] as const) {
      const a = answer(await raw.closed(10_000));
      assert.deepEqual(a, { status, code, type: 'application/json; charset=utf-8' }, raw.text());
    }

    // Headers never finished, and a body never finished: 408 once the 5 s and 10 s limits pass
    // (waited for up to 20 s: Node's default check every 30 s would not answer by then).
    const slowHeaders = await open(port);
    slowHeaders.socket.write(`GET /api/agents HTTP/1.1\r\nHost: ${host}\r\n`);
    // A body is read only for a page with a session, on a program that runs: the example service.
    const exchange = await call({ port }, 'GET', new URL(url).pathname + new URL(url).search);
    const cookie = String(exchange.headers['set-cookie']).split(';')[0]!;
    await until(async () => (await call({ port }, 'GET', '/api/agents', undefined, { cookie })).body.agents.length === 1, 'the service to be listed');
    const slowBody = await open(port);
    slowBody.socket.write(
      `POST /api/agents/${service.pid}/arm HTTP/1.1\r\nHost: ${host}\r\norigin: http://${host}\r\ncookie: ${cookie}\r\n` +
        'content-type: application/json\r\ncontent-length: 100\r\n\r\n{',
    );
    const [headersText, bodyText] = await Promise.all([slowHeaders.closed(20_000), slowBody.closed(20_000)]);
    assert.deepEqual(answer(headersText), { status: 408, code: 'ERR_TIMEOUT', type: 'application/json; charset=utf-8' }, headersText);
    assert.deepEqual(answer(bodyText), { status: 408, code: 'ERR_TIMEOUT', type: 'application/json; charset=utf-8' }, bodyText);

    // 64 connections are kept; the 65th to 70th are answered 429 ERR_LIMIT and closed.
    for (let i = 0; i < 70; i++) sockets.push(await open(port));
    const limited = await until(() => {
      const answered = sockets.filter((s) => s.text().startsWith('HTTP/1.1 429 '));
      return answered.length >= 6 ? answered : undefined;
    }, 'six connections to be answered 429');
    assert.equal(limited.length, 6);
    for (const s of limited) assert.deepEqual(answer(s.text()), { status: 429, code: 'ERR_LIMIT', type: 'application/json; charset=utf-8' });
  } finally {
    for (const s of sockets) s.socket.destroy();
    ui.proc.kill('SIGTERM');
    assert.equal(await ui.exited, 0, `SIGTERM ends hookwire ui (stderr: ${ui.stderr()})`);
    await service.stop();
  }
});

test('a refused client that never closes its side does not hold its connection: it is cut a second after the answer', { timeout: 30_000 }, async () => {
  using tmp = tempDir('hw-uil-');
  const ui = spawnNode([cli, 'ui', '--no-open'], { HOOKWIRE_RUNTIME_DIR: tmp.path }, 25_000);
  const clients: Socket[] = [];
  try {
    const url = await until(() => /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/u.exec(ui.stdout())?.[0], `the URL (stderr: ${ui.stderr()})`);
    const port = Number(new URL(url).port);
    const sockets = () => readdirSync(`/proc/${ui.proc.pid}/fd`).filter((f) => readlinkSafe(`/proc/${ui.proc.pid}/fd/${f}`).startsWith('socket:')).length;
    const before = sockets();
    let answered = 0;
    for (let i = 0; i < 10; i++) {
      // allowHalfOpen: the client keeps its side open after the server's answer and FIN.
      const c = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
      c.on('error', () => {});
      c.once('data', () => answered++);
      c.write('NOT HTTP AT ALL\r\n\r\n');
      clients.push(c);
    }
    await until(() => answered === 10, 'the ten 400 answers');
    await until(() => sockets() <= before, 'the refused connections to be cut', 5_000);
  } finally {
    for (const c of clients) c.destroy();
    ui.proc.kill('SIGTERM');
    assert.equal(await ui.exited, 0, `SIGTERM ends hookwire ui (stderr: ${ui.stderr()})`);
  }
});

function readlinkSafe(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return ''; // closed meanwhile
  }
}
