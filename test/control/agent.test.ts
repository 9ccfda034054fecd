// The agent on its own: `node --import hookwire/agent app.js` with HOOKWIRE_* variables.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ControlClient } from '../../src/control/client.ts';
import { PROTOCOL } from '../../src/control/protocol.ts';
import { call, root, spawnNode, tempDir, until } from './helpers.ts';

const agent = join(root, 'dist/control/agent.js');
const app = join(root, 'test/fixtures/control-app.mjs');

function runApp(env: Record<string, string>) {
  return spawnNode(['--import', agent, app], env, 20_000);
}

test('environment attachments trace to stderr (text or JSON lines); the summary is written at exit; the socket goes', async () => {
  using tmp = tempDir();
  const summaries = join(tmp.path, 'summaries');
  const attach = JSON.stringify([
    { target: 'fixture:tick', exit: { type: 'trace', every: 5 } },
    { target: 'fixture:tick', exit: 'count' },
  ]);
  const child = runApp({ HOOKWIRE_RUNTIME_DIR: tmp.path, HOOKWIRE_ATTACH: attach, HOOKWIRE_SUMMARY_DIR: summaries });
  await until(() => existsSync(join(tmp.path, `${child.proc.pid}.sock`)), 'the socket');
  assert.equal(await child.exited, 0);
  assert.equal(child.stdout(), `ready ${child.proc.pid}\nticked 10\n`);
  const lines = child.stderr().trim().split('\n');
  assert.equal(lines.length, 2, child.stderr());
  assert.match(lines[0]!, /^\d\d:\d\d:\d\d\.\d{3} fixture:tick \(\{"n":1\}\)$/u);
  assert.match(lines[1]!, /fixture:tick \(\{"n":6\}\)$/u);
  assert.equal(existsSync(join(tmp.path, `${child.proc.pid}.sock`)), false, 'the socket is removed at exit');
  const summary = JSON.parse(readFileSync(join(summaries, `${child.proc.pid}.json`), 'utf8'));
  assert.equal(summary.pid, child.proc.pid);
  assert.equal(summary.exitCode, 0);
  assert.deepEqual(
    summary.attachments.map((a: { type: string; stats: { hits: number } }) => [a.type, a.stats.hits]),
    [
      ['trace', 10],
      ['count', 10],
    ],
  );
  assert.equal(statSync(join(summaries, `${child.proc.pid}.json`)).mode & 0o777, 0o600);

  const json = runApp({ HOOKWIRE_RUNTIME_DIR: tmp.path, HOOKWIRE_ATTACH: attach, HOOKWIRE_TRACE_FORMAT: 'json' });
  assert.equal(await json.exited, 0);
  const records = json
    .stderr()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    records.map((r) => [r.site, r.event, r.args]),
    [
      ['fixture:tick', 'fire', { n: 1 }],
      ['fixture:tick', 'fire', { n: 6 }],
    ],
  );
});

test('the agent never keeps the program alive, even with a client on the event stream', async () => {
  using tmp = tempDir();
  const child = runApp({ HOOKWIRE_RUNTIME_DIR: tmp.path });
  const sock = join(tmp.path, `${child.proc.pid}.sock`);
  // The socket is there before the program's modules run; "ready" comes after its hook is declared.
  await until(() => existsSync(sock) && child.stdout().startsWith('ready'), 'the socket and the program');
  const client = new ControlClient({ path: sock });
  const seen: string[] = [];
  const stream = client.events((e) => seen.push(e.event), { intervalMs: 100 });
  await client.attach({ target: 'fixture:tick', exit: 'trace' });
  const started = Date.now();
  assert.equal(await child.exited, 0);
  assert.ok(Date.now() - started < 3000, 'it ended when its own work ended');
  await stream.done;
  assert.ok(seen.includes('trace') && seen.includes('stats'), seen.join());
  assert.equal(child.stdout(), `ready ${child.proc.pid}\nticked 10\n`);
  assert.equal(child.stderr(), '', "socket clients' traces go to the stream, not to the program's stderr");
});

test('HOOKWIRE_CONTROL=off: no socket; =tcp: a token file and a token-guarded port', async () => {
  using tmp = tempDir();
  const off = runApp({ HOOKWIRE_RUNTIME_DIR: tmp.path, HOOKWIRE_CONTROL: 'off' });
  assert.equal(await off.exited, 0);
  assert.deepEqual(readdirSync(tmp.path), []);

  const tcp = runApp({ HOOKWIRE_RUNTIME_DIR: tmp.path, HOOKWIRE_CONTROL: 'tcp', HOOKWIRE_TOKEN: 'a-token-of-enough-length' });
  const file = join(tmp.path, `${tcp.proc.pid}.tcp.json`);
  const info = JSON.parse(await until(() => (existsSync(file) ? readFileSync(file, 'utf8') : ''), 'the TCP info file'));
  assert.equal(info.host, '127.0.0.1');
  assert.equal(info.token, 'a-token-of-enough-length');
  assert.equal((await call({ port: info.port }, 'GET', '/v1/agent')).status, 401);
  const ok = await call({ port: info.port }, 'GET', '/v1/agent', undefined, { authorization: 'Bearer a-token-of-enough-length' });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.transport, 'unix+tcp');
  assert.equal(await tcp.exited, 0);
  assert.equal(existsSync(file), false);
});

test('bad HOOKWIRE_* values are reported in one line each and change nothing else', async () => {
  using tmp = tempDir();
  const child = runApp({
    HOOKWIRE_RUNTIME_DIR: tmp.path,
    HOOKWIRE_ATTACH: '[{"target":"fixture:tick"',
    HOOKWIRE_CONTROL: 'carrier-pigeon',
    HOOKWIRE_TRACE_FORMAT: 'xml',
  });
  assert.equal(await child.exited, 0);
  assert.equal(child.stdout(), `ready ${child.proc.pid}\nticked 10\n`);
  const lines = child.stderr().trim().split('\n');
  assert.equal(lines.length, 3, child.stderr());
  assert.ok(lines.every((l) => l.startsWith('hookwire: ')));
  assert.match(lines[0]!, /HOOKWIRE_ATTACH is not JSON/u);
});

test('an insecure runtime directory: the program runs without a control socket, and says so', async () => {
  using tmp = tempDir();
  const { chmodSync, mkdirSync } = await import('node:fs');
  const open = join(tmp.path, 'open');
  mkdirSync(open);
  chmodSync(open, 0o755);
  const child = runApp({ HOOKWIRE_RUNTIME_DIR: open });
  assert.equal(await child.exited, 0);
  assert.equal(child.stdout(), `ready ${child.proc.pid}\nticked 10\n`);
  assert.match(child.stderr(), /^hookwire: no control socket: .*group and others must have no access/u);
  assert.deepEqual(readdirSync(open), []);
});

test('in a worker thread the agent only installs the module hooks: the main socket keeps answering', async () => {
  using tmp = tempDir();
  const child = spawnNode(['--import', agent, join(root, 'test/fixtures/control-worker.mjs')], {
    HOOKWIRE_RUNTIME_DIR: tmp.path,
    HOOKWIRE_TEST_AGENT: agent,
  });
  await until(() => child.stdout().includes('worker-done'), 'the worker to come and go');
  const sock = join(tmp.path, `${child.proc.pid}.sock`);
  assert.ok(existsSync(sock), 'the worker did not remove or replace the socket');
  const answer = await call({ socketPath: sock }, 'GET', '/v1/agent');
  assert.equal(answer.body.pid, child.proc.pid);
  assert.equal(answer.body.protocol, PROTOCOL, 'the agent says which protocol it speaks');
  assert.equal(await child.exited, 0);
  assert.equal(child.stderr(), '');
});
