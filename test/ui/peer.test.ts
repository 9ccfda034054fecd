// `hookwire ui` serves only its own user (src/cli/ui-guard.ts peerUid): a connection is looked up
// in /proc/net/tcp by both of its ends, from any loopback source address. The same user from
// 127.0.0.2 is served; another user (a client run with setpriv as uid 65534) is refused before a
// byte is read, from 127.0.0.1 and from 127.0.0.2, and its request never reaches the server: the
// one-time token it sent still works afterwards.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { test } from 'node:test';
import { cli, spawnNode, tempDir, until } from '../control/helpers.ts';

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
const skip =
  process.platform !== 'linux'
    ? 'the owner lookup reads /proc/net/tcp (Linux)'
    : process.getuid?.() !== 0
      ? 'running a client as another user needs root'
      : SETPRIV === undefined
        ? 'no setpriv to run a client as another user'
        : false;

interface Reply {
  status?: number;
  body?: string;
  error?: string;
}

/** One GET from `localAddress`, answered or failed; as this user. */
function get(port: number, path: string, localAddress: string): Promise<Reply> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, localAddress, agent: false, headers: { host: `127.0.0.1:${port}` } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

/** The same GET made by a node run as uid/gid 65534 (setpriv). */
function getAsNobody(port: number, path: string, localAddress: string): Promise<Reply> {
  const script = `
    const [port, path, localAddress] = process.argv.slice(1);
    const req = require('node:http').request({ host: '127.0.0.1', port: Number(port), path, localAddress, agent: false, headers: { host: '127.0.0.1:' + port } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => console.log(JSON.stringify({ status: res.statusCode, body })));
    });
    req.setTimeout(10000, () => req.destroy(new Error('timed out')));
    req.on('error', (e) => console.log(JSON.stringify({ error: e.code || e.message })));
    req.end();`;
  return new Promise((resolve, reject) => {
    const child = spawn(SETPRIV!, ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script, String(port), path, localAddress], {
      cwd: '/',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out) as Reply);
      } catch {
        reject(new Error(`the client run as uid 65534 printed ${JSON.stringify(out)} (stderr: ${err})`));
      }
    });
  });
}

test('hookwire ui serves its own user from any loopback address and refuses another user from any', { skip, timeout: 60_000 }, async () => {
  using tmp = tempDir('hw-uip-');
  const ui = spawnNode([cli, 'ui', '--no-open'], { HOOKWIRE_RUNTIME_DIR: tmp.path }, 50_000);
  try {
    const url = new URL(await until(() => /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/u.exec(ui.stdout())?.[0], `the URL (stderr: ${ui.stderr()})`));
    const port = Number(url.port);
    const withToken = url.pathname + url.search;

    for (const from of ['127.0.0.1', '127.0.0.2']) {
      const reply = await getAsNobody(port, withToken, from);
      // Refused before anything was read: a 403 with its code, or (if the client was still
      // sending) a reset; never the server's answer to the request.
      if (reply.status !== undefined) {
        assert.equal(reply.status, 403, `uid 65534 from ${from}: ${JSON.stringify(reply)}`);
        assert.equal(JSON.parse(reply.body ?? '').error.code, 'ERR_PEER_REFUSED', `uid 65534 from ${from}`);
        assert.match(reply.body ?? '', /belongs to uid 65534: hookwire ui serves only its own user/u);
      } else {
        assert.match(reply.error ?? '', /^(ECONNRESET|EPIPE)$/u, `uid 65534 from ${from}: ${JSON.stringify(reply)}`);
      }
    }

    // This user from 127.0.0.2: served, and the token the other user sent was never used.
    const mine = await get(port, withToken, '127.0.0.2');
    assert.equal(mine.status, 303, `the token still works, from 127.0.0.2: ${JSON.stringify(mine)}`);
    const api = await get(port, '/api/agents', '127.0.0.2');
    assert.equal(api.status, 401, JSON.stringify(api));
    assert.equal(JSON.parse(api.body ?? '').error.code, 'ERR_UNAUTHORIZED');
  } finally {
    ui.proc.kill('SIGTERM');
    assert.equal(await ui.exited, 0, `SIGTERM ends hookwire ui (stderr: ${ui.stderr()})`);
  }
});
