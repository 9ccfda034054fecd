// `hookwire ui` without a browser: started before any program, it follows the example service as
// it starts and stops; its API passes on only the control protocol's operations, checked as the
// CLI checks them; every refusal is JSON with a stable code; usage errors exit 2; SIGTERM ends it.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { ControlClient } from '../../src/control/client.ts';
import { call, cli, runCli, spawnNode, startService, tempDir, until } from '../control/helpers.ts';

/** The first `count` server-sent events of a stream: `[event, data]` pairs. */
function firstEvents(port: number, headers: Record<string, string>, count: number): Promise<[string, any][]> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/events', headers }, (res) => {
      let text = '';
      const events: [string, any][] = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        let end: number;
        while ((end = text.indexOf('\n\n')) !== -1) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const name = /^event: (.*)$/mu.exec(block)?.[1];
          const data = /^data: (.*)$/mu.exec(block)?.[1];
          if (name !== undefined && data !== undefined) events.push([name, JSON.parse(data)]);
          if (events.length === count) {
            req.destroy();
            resolve(events);
            return;
          }
        }
      });
    });
    req.setTimeout(15_000, () => req.destroy(new Error('no events')));
    req.on('error', reject);
    req.end();
  });
}

test('hookwire ui follows programs as they start and stop, and passes on only checked control operations', { timeout: 90_000 }, async () => {
  using tmp = tempDir('hw-uis-');
  const ui = spawnNode([cli, 'ui', '--no-open'], { HOOKWIRE_RUNTIME_DIR: tmp.path }, 80_000);
  let service: Awaited<ReturnType<typeof startService>> | undefined;
  try {
    const url = await until(() => /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/u.exec(ui.stdout())?.[0], `the URL (stderr: ${ui.stderr()})`);
    assert.match(ui.stdout(), /showing every hookwire agent of this user/u);
    const port = Number(new URL(url).port);
    const host = `127.0.0.1:${port}`;

    // The token, once: a cookie, and the page at / (with a CSP that allows only its own files).
    const exchange = await call({ port }, 'GET', new URL(url).pathname + new URL(url).search);
    assert.equal(exchange.status, 303);
    assert.equal(exchange.headers['location'], '/');
    const cookie = String(exchange.headers['set-cookie']).split(';')[0]!;
    const session = { cookie };
    const pageAnswer = await call({ port }, 'GET', '/', undefined, session);
    assert.equal(pageAnswer.status, 200);
    assert.match(String(pageAnswer.headers['content-security-policy']), /default-src 'none'; script-src 'self'/u);
    assert.match(pageAnswer.text, /<script type="module" src="\/assets\/page\.js"><\/script>/u);
    const script = await call({ port }, 'GET', '/assets/page.js', undefined, session);
    assert.equal(script.status, 200);
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal((await call({ port }, 'GET', '/assets/page.js')).status, 401, 'the files need the session too');

    // No program yet; then the service starts and is listed, and its event stream is fanned out.
    assert.deepEqual((await call({ port }, 'GET', '/api/agents', undefined, session)).body, { agents: [] });
    service = await startService(tmp.path, ['--hook', 'shop:request=count']);
    const pid = service.pid;
    const agents = await until(async () => {
      const a = (await call({ port }, 'GET', '/api/agents', undefined, session)).body.agents;
      return a.length === 1 ? a : undefined;
    }, 'the service to be listed');
    assert.equal(agents[0].pid, pid);
    assert.ok(agents[0].argv.some((arg: string) => arg.endsWith('examples/service/main.mjs')));
    const events = await firstEvents(port, session, 2);
    assert.equal(events[0]![0], 'agents');
    assert.deepEqual(
      events[0]![1].agents.map((a: { pid: number }) => a.pid),
      [pid],
    );
    assert.equal(events[1]![0], 'stats');
    assert.equal(events[1]![1].pid, pid);
    assert.ok(events[1]![1].tick.hooks.some((h: { name: string }) => h.name === 'shop:request'));

    // The listing is the agent's; attach, arm, disarm and remove go through after the same checks.
    const listing = await call({ port }, 'GET', `/api/agents/${pid}/hooks`, undefined, session);
    assert.equal(listing.status, 200);
    assert.equal(listing.body.pid, pid);
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      call({ port }, 'POST', path, body as object, { ...session, origin: `http://${host}`, 'content-type': 'application/json', ...headers });
    const attached = await post(`/api/agents/${pid}/attach`, { target: 'shop:order', exit: 'count', name: 'orders' });
    assert.equal(attached.status, 201, attached.text);
    assert.equal(attached.body.attached.name, 'orders');
    const client = new ControlClient({ path: service.socketPath });
    assert.ok((await client.list()).attachments.some((a) => a.name === 'orders'));
    assert.equal((await post(`/api/agents/${pid}/disarm`, { name: 'orders' })).body.disarmed.exits[0].armed, false);
    assert.equal((await post(`/api/agents/${pid}/arm`, { name: 'orders' })).body.armed.exits[0].armed, true);
    assert.equal((await post(`/api/agents/${pid}/remove`, { name: 'orders' })).status, 200);
    assert.ok(!(await client.list()).attachments.some((a) => a.name === 'orders'));

    // Refusals: JSON with a stable code, nothing changed.
    const refusals: [Promise<{ status: number; body: any; headers: any }>, number, string][] = [
      [post(`/api/agents/${pid}/attach`, { target: 'shop:order', exit: 'count', code: 'process.exit()' }), 400, 'ERR_INVALID_ARG'],
      [post(`/api/agents/${pid}/attach`, { target: 'no spaces allowed', exit: 'count' }), 400, 'ERR_INVALID_ARG'],
      [post(`/api/agents/${pid}/attach`, { target: 'shop:order', exit: { type: 'eval', code: '1' } }), 400, 'ERR_INVALID_ARG'],
      [post(`/api/agents/${pid}/arm`, { name: 'nothing:here' }), 404, 'ERR_NOT_FOUND'],
      [post(`/api/agents/${pid}/arm`, '{not json'), 400, 'ERR_INVALID_JSON'],
      [post(`/api/agents/${pid}/arm`, { name: 'x'.repeat(70_000) }), 413, 'ERR_BODY_TOO_LARGE'],
      [post(`/api/agents/${pid}/arm`, { name: 'shop:request' }, { 'content-type': 'text/plain' }), 400, 'ERR_INVALID_ARG'],
      [post(`/api/agents/${pid}/run`, {}), 404, 'ERR_NOT_FOUND'],
      [post('/api/agents/1/arm', { name: 'shop:request' }), 404, 'ERR_NOT_FOUND'],
      [call({ port }, 'GET', `/api/agents/${pid}/arm`, undefined, session), 405, 'ERR_METHOD_NOT_ALLOWED'],
      [call({ port }, 'DELETE', '/', undefined, { ...session, origin: `http://${host}` }), 405, 'ERR_METHOD_NOT_ALLOWED'],
      [call({ port }, 'GET', '/etc/passwd', undefined, session), 404, 'ERR_NOT_FOUND'],
      [call({ port }, 'GET', '/assets/../../package.json', undefined, session), 404, 'ERR_NOT_FOUND'],
    ];
    for (const [answer, status, errorCode] of refusals) {
      const a = await answer;
      assert.equal(a.status, status, JSON.stringify(a.body));
      assert.equal(a.body?.error?.code, errorCode);
      assert.equal(a.headers['content-type'], 'application/json; charset=utf-8');
    }
    // A target is a path: `//api/agents` is not the host "api" with the path /agents.
    const doubled = await call({ port }, 'GET', '//api/agents', undefined, session);
    assert.equal(doubled.status, 404, doubled.text);
    assert.deepEqual(doubled.body, { error: { code: 'ERR_NOT_FOUND', message: 'no endpoint //api/agents' } });
    assert.deepEqual(
      (await client.list()).registry.hooks.find((h) => h.name === 'shop:request')!.exits.map((e) => e.armed),
      [true],
    );

    // The service stops: it leaves the list.
    await service.stop();
    service = undefined;
    await until(async () => (await call({ port }, 'GET', '/api/agents', undefined, session)).body.agents.length === 0, 'the service to leave');
  } finally {
    await service?.stop();
    ui.proc.kill('SIGTERM');
    assert.equal(await ui.exited, 0, `SIGTERM ends hookwire ui cleanly (stderr: ${ui.stderr()})`);
  }
});

test('hookwire ui: --help, usage errors and a PID without an agent exit 2 with one line', async () => {
  const help = await runCli(['ui', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: hookwire ui \[PID\.\.\.\] \[--port N\] \[--no-open\]/u);
  const listed = await runCli(['--help']);
  assert.match(listed.stdout, /^ {2}ui +a live dashboard/mu);
  using tmp = tempDir('hw-uiu-');
  for (const [args, pattern] of [
    [['ui', '--port', '70000'], /^hookwire ui: --port must be a port number from 1 to 65535, got "70000" \(ERR_USAGE\)\n$/u],
    [['ui', 'abc'], /^hookwire ui: "abc" is not a process id \(ERR_USAGE\)\n$/u],
    [['ui', '--open'], /^hookwire ui: unknown option --open/u],
    [['ui', '4000000', '--no-open'], /^hookwire ui: .*\(ERR_AGENT_UNREACHABLE\)\n$/u],
  ] as const) {
    const r = await runCli([...args], { HOOKWIRE_RUNTIME_DIR: tmp.path });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.equal(r.stdout, '');
  }
});

test(
  'hookwire ui opens the browser with xdg-open, and says so in one line when there is none',
  { skip: process.platform !== 'linux' ? 'xdg-open is the Linux way' : false, timeout: 30_000 },
  async () => {
    using tmp = tempDir('hw-uio-');
    const bin = join(tmp.path, 'bin');
    mkdirSync(bin);
    const opened = join(tmp.path, 'opened');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`, { mode: 0o755 });
    const runtime = join(tmp.path, 'rt');
    mkdirSync(runtime, { mode: 0o700 });

    const ui = spawnNode([cli, 'ui'], { HOOKWIRE_RUNTIME_DIR: runtime, PATH: `${bin}:${process.env['PATH'] ?? ''}` }, 25_000);
    try {
      const url = await until(() => /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/u.exec(ui.stdout())?.[0], 'the URL');
      assert.equal(await until(() => (existsSync(opened) ? readFileSync(opened, 'utf8') : undefined), 'xdg-open to be run'), url);
    } finally {
      ui.proc.kill('SIGTERM');
      assert.equal(await ui.exited, 0);
    }

    // No xdg-open on PATH: one line on stderr, and the server runs on.
    const none = spawnNode([cli, 'ui'], { HOOKWIRE_RUNTIME_DIR: runtime, PATH: join(tmp.path, 'empty') }, 25_000);
    try {
      await until(() => /could not start a browser/u.test(none.stderr()), 'the notice');
      assert.match(none.stderr(), /^hookwire ui: could not start a browser \(xdg-open: .*\); open the URL above\n$/u);
      const url = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/u.exec(none.stdout())![0];
      assert.equal((await call({ port: Number(new URL(url).port) }, 'GET', '/api/agents')).status, 401, 'still serving');
    } finally {
      none.proc.kill('SIGTERM');
      assert.equal(await none.exited, 0);
    }
  },
);

test('hookwire ui refuses a runtime directory that others can enter (ERR_INSECURE_DIR), as ls does', async () => {
  using tmp = tempDir('hw-uid-');
  chmodSync(tmp.path, 0o755);
  const r = await runCli(['ui', '--no-open'], { HOOKWIRE_RUNTIME_DIR: tmp.path });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^hookwire ui: the runtime directory .* has mode 755: .*\(ERR_INSECURE_DIR\)\n$/u);
});

test('hookwire ui PID PID: a pid given twice is named once', { timeout: 60_000 }, async () => {
  using tmp = tempDir('hw-uii-');
  const service = await startService(tmp.path);
  const ui = spawnNode([cli, 'ui', '--no-open', String(service.pid), String(service.pid)], { HOOKWIRE_RUNTIME_DIR: tmp.path }, 40_000);
  try {
    await until(() => ui.stdout().includes('Ctrl-C stops'), `the URL (stderr: ${ui.stderr()})`);
    assert.match(ui.stdout(), new RegExp(`^ {2}showing process ${service.pid}; the token works once\\. Ctrl-C stops\\.$`, 'mu'));
  } finally {
    ui.proc.kill('SIGTERM');
    assert.equal(await ui.exited, 0, `SIGTERM ends hookwire ui (stderr: ${ui.stderr()})`);
    await service.stop();
  }
});
