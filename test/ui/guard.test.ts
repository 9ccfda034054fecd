// Who may talk to `hookwire ui` (src/cli/ui-guard.ts): Host and Origin checks, the one-time token
// traded for a session cookie, and reading a connection's owner from /proc/net/tcp.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { uidOfEnd, UiGuard } from '../../src/cli/ui-guard.ts';

const PORT = 43123;

function req(headers: Record<string, string>, method = 'GET'): IncomingMessage {
  return { headers, method } as unknown as IncomingMessage;
}

function code(result: { ok: boolean; error?: { code: string } }): string {
  return result.ok ? 'ok' : (result.error?.code ?? '?');
}

test('Host must be this server on loopback: 127.0.0.1 or localhost with its port, nothing else', () => {
  const guard = new UiGuard(PORT);
  assert.equal(code(guard.checkSource(req({ host: `127.0.0.1:${PORT}` }))), 'ok');
  assert.equal(code(guard.checkSource(req({ host: `localhost:${PORT}` }))), 'ok');
  for (const host of [`attacker.example:${PORT}`, '127.0.0.1', `127.0.0.1:${PORT + 1}`, `[::1]:${PORT}`, `0.0.0.0:${PORT}`]) {
    assert.equal(code(guard.checkSource(req({ host }))), 'ERR_HOST_REFUSED', host);
  }
  assert.equal(code(guard.checkSource(req({}))), 'ERR_HOST_REFUSED', 'no Host');
});

test('Origin and Sec-Fetch-Site: only the page itself; a change (POST) must say where it comes from', () => {
  const guard = new UiGuard(PORT);
  const host = `127.0.0.1:${PORT}`;
  assert.equal(code(guard.checkSource(req({ host, origin: `http://${host}` }, 'POST'))), 'ok');
  assert.equal(code(guard.checkSource(req({ host, origin: 'http://attacker.example' }))), 'ERR_ORIGIN_REFUSED');
  assert.equal(code(guard.checkSource(req({ host, origin: `http://127.0.0.1:${PORT + 1}` }, 'POST'))), 'ERR_ORIGIN_REFUSED');
  assert.equal(code(guard.checkSource(req({ host }, 'POST'))), 'ERR_ORIGIN_REFUSED', 'POST without Origin');
  assert.equal(code(guard.checkSource(req({ host, 'sec-fetch-site': 'cross-site' }))), 'ERR_ORIGIN_REFUSED');
  assert.equal(code(guard.checkSource(req({ host, 'sec-fetch-site': 'same-site' }))), 'ERR_ORIGIN_REFUSED');
  assert.equal(code(guard.checkSource(req({ host, 'sec-fetch-site': 'none' }))), 'ok', 'a typed or opened URL');
  assert.equal(code(guard.checkSource(req({ host, 'sec-fetch-site': 'same-origin' }))), 'ok');
});

test('the token works once: it becomes a session cookie (HttpOnly, SameSite=Strict, named for the port)', () => {
  const guard = new UiGuard(PORT);
  const token = guard.token;
  assert.match(token, /^[\w-]{32}$/u);
  assert.equal(code(guard.exchange('wrong')), 'ERR_UNAUTHORIZED');
  assert.equal(code(guard.exchange(`${token}x`)), 'ERR_UNAUTHORIZED');
  const first = guard.exchange(token);
  assert.ok(first.ok);
  assert.match(first.setCookie, new RegExp(`^hookwire_ui_${PORT}=[\\w-]{32}; HttpOnly; SameSite=Strict; Path=/$`, 'u'));
  assert.equal(code(guard.exchange(token)), 'ERR_UNAUTHORIZED', 'a second use');
  assert.equal(guard.token, '', 'nothing left to print');

  const session = first.setCookie.split(';')[0]!;
  const value = session.split('=')[1]!;
  assert.equal(code(guard.checkSession(req({ cookie: session }))), 'ok');
  assert.equal(code(guard.checkSession(req({ cookie: `other=1; ${session}; x=y` }))), 'ok');
  assert.equal(code(guard.checkSession(req({}))), 'ERR_UNAUTHORIZED');
  assert.equal(code(guard.checkSession(req({ cookie: `hookwire_ui_${PORT}=${value.slice(1)}` }))), 'ERR_UNAUTHORIZED');
  assert.equal(code(guard.checkSession(req({ cookie: `hookwire_ui_${PORT + 1}=${value}` }))), 'ERR_UNAUTHORIZED', "another port's name");
  assert.equal(code(guard.checkSession(req({ authorization: `Bearer ${token}` }))), 'ERR_UNAUTHORIZED', 'the used token is no session');
});

test('the owner of the client end of a loopback connection, read from a /proc/net/tcp table by both ends', () => {
  const table = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 0100007F:A88B 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 111 1 0000000000000000 100 0 0 10 0',
    '   1: 0100007F:A88B 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 112 1 0000000000000000 20 4 30 10 -1',
    '   2: 0100007F:D431 0100007F:A88B 01 00000000:00000000 00:00000000 00000000  1001        0 113 1 0000000000000000 20 4 30 10 -1',
    '   3: 0100007F:D432 0100007F:A88B 01 00000000:00000000 00:00000000 00000000     0        0 114 1 0000000000000000 20 4 30 10 -1',
    '   4: 0200007F:D431 0100007F:A88B 01 00000000:00000000 00:00000000 00000000  1002        0 115 1 0000000000000000 20 4 30 10 -1',
    '   5: 0503027F:D433 0100007F:A88B 01 00000000:00000000 00:00000000 00000000  1003        0 116 1 0000000000000000 20 4 30 10 -1',
  ].join('\n');
  const server = { address: '127.0.0.1', port: 43147 };
  // server port 0xA88B = 43147; clients 0xD431 = 54321 (uid 1001; from 127.0.0.2: uid 1002) and 0xD432 = 54322 (uid 0)
  assert.equal(uidOfEnd(table, { address: '127.0.0.1', port: 54321 }, server, true), 1001);
  assert.equal(uidOfEnd(table, { address: '127.0.0.1', port: 54322 }, server, true), 0);
  assert.equal(uidOfEnd(table, { address: '127.0.0.2', port: 54321 }, server, true), 1002, 'another loopback source address');
  assert.equal(uidOfEnd(table, { address: '127.2.3.5', port: 54323 }, server, true), 1003, 'anywhere in 127/8');
  assert.equal(uidOfEnd(table, { address: '127.0.0.3', port: 54321 }, server, true), undefined, 'no such connection');
  assert.equal(uidOfEnd(table, { address: '127.0.0.1', port: 54323 }, server, true), undefined, 'no such port');
  assert.equal(uidOfEnd(table, server, { address: '127.0.0.1', port: 54321 }, true), 1000, 'the server end, when asked the other way round');
  assert.equal(
    uidOfEnd(table.replaceAll('0100007F', '7F000001').replace('0200007F', '7F000002'), { address: '127.0.0.2', port: 54321 }, server, false),
    1002,
    'big-endian',
  );
});

test('the owner of an IPv6 loopback connection (::1, IPv4-mapped), read from a /proc/net/tcp6 table', () => {
  const table = [
    '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 00000000000000000000000001000000:D431 00000000000000000000000001000000:A88B 01 00000000:00000000 00:00000000 00000000  1001        0 1 1 0 20 4 30 10 -1',
    '   1: 0000000000000000FFFF00000200007F:D432 0000000000000000FFFF00000100007F:A88B 01 00000000:00000000 00:00000000 00000000  1002        0 2 1 0 20 4 30 10 -1',
  ].join('\n');
  assert.equal(uidOfEnd(table, { address: '::1', port: 54321 }, { address: '::1', port: 43147 }, true), 1001);
  assert.equal(uidOfEnd(table, { address: '::ffff:127.0.0.2', port: 54322 }, { address: '::ffff:127.0.0.1', port: 43147 }, true), 1002);
  assert.equal(uidOfEnd(table, { address: '::1', port: 54322 }, { address: '::1', port: 43147 }, true), undefined);
});
