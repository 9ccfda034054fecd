// hookwire trace --pid on a program started with plain `node`: the agent comes in through the
// inspector, which is closed again before tracing starts; the program answers exactly as before,
// during and after; detaching restores its function and, once idle, the agent closes its socket.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, runCli, spawnNode, tempDir, until } from '../control/helpers.ts';
import { accepts, freePort, httpGet, QUERY, startPlainApp } from './helpers.ts';

test('trace --pid on a plain node process: same answers before, during and after, no port left open', { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path, HOOKWIRE_IDLE_MS: '300' };
  const inspectorPort = await freePort();
  const app = await startPlainApp([`--inspect-port=${inspectorPort}`]);
  try {
    const paths = ['/a', '/select', '/same'];
    const before = await Promise.all(paths.map((p) => httpGet(app.port, p)));
    assert.deepEqual(before, ['200 {"rows":[2,"/A"]}', '200 {"rows":[7,"/SELECT"]}', '200 true']);

    const tracer = spawnNode([cli, 'trace', '--pid', String(app.proc.pid), '--json', '--duration', '30', QUERY], env);
    await until(() => tracer.stderr().includes('tracing '), `the tracer to attach (stderr: ${tracer.stderr()})`, 20_000);
    assert.match(tracer.stderr(), /ran without the agent: brought it in through its inspector \(127\.0\.0\.1:\d+ open \d+ ms, closed again\)/u);
    assert.equal(await accepts(inspectorPort), false, 'the inspector port refuses connections while tracing');
    assert.equal(existsSync(join(tmp.path, `${app.proc.pid}.sock`)), true);

    const during = await Promise.all(paths.map((p) => httpGet(app.port, p)));
    assert.deepEqual(during.slice(0, 2), before.slice(0, 2));
    assert.equal(during[2], '200 false', 'the probe is in the slot while tracing');
    await until(() => tracer.stdout().split('\n').filter(Boolean).length >= 2, 'two trace records');
    tracer.proc.kill('SIGINT');
    assert.equal(await tracer.exited, 0, tracer.stderr());
    const records = tracer
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { site: string; args: unknown[] });
    assert.deepEqual(
      records.map((r) => [r.site, r.args]),
      [
        [`probe:${QUERY}`, ['/a']],
        [`probe:${QUERY}`, ['/select']],
      ],
    );

    const after = await Promise.all(paths.map((p) => httpGet(app.port, p)));
    assert.deepEqual(after, before, 'the original function is back');
    // Idle for HOOKWIRE_IDLE_MS with no attachment: the guest agent closes its socket.
    await until(() => !existsSync(join(tmp.path, `${app.proc.pid}.sock`)), 'the agent to close its socket');
    assert.equal(await accepts(inspectorPort), false);
    assert.deepEqual(await Promise.all(paths.map((p) => httpGet(app.port, p))), before);
    // The program only saw the inspector open and close (Node's own lines), nothing else.
    assert.deepEqual(
      app
        .stderr()
        .split('\n')
        .filter((l) => l !== '' && !/^(Debugger (listening|attached|ending)|For help, see)/u.test(l)),
      [],
    );

    // A second command brings it in again (its modules are loaded already) and lists what is there.
    const ls = await runCli(['ls', String(app.proc.pid), '--json'], env);
    assert.equal(ls.code, 0, ls.stderr);
    assert.deepEqual(JSON.parse(ls.stdout).attachments, []);
    assert.equal(await accepts(inspectorPort), false);
  } finally {
    assert.equal(await app.stop(), 0);
  }
});

test('ls lists a plain node process as one without the agent, and its refusal when forbidden', { timeout: 30_000 }, async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path, NO_COLOR: '1' };
  const plain = await startPlainApp([`--inspect-port=${await freePort()}`]);
  const forbidden = await startPlainApp([], { HOOKWIRE_NO_INSPECTOR: '1' });
  try {
    const ls = await runCli(['ls'], env);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /^Node processes without the agent/mu);
    assert.match(ls.stdout, new RegExp(`^\\s*${plain.proc.pid}\\s+on demand, inspector 127\\.0\\.0\\.1:\\d+\\s+.*app\\.cjs$`, 'mu'));
    assert.match(ls.stdout, new RegExp(`^\\s*${forbidden.proc.pid}\\s+forbidden \\(HOOKWIRE_NO_INSPECTOR=1\\)\\s+.*app\\.cjs$`, 'mu'));
    // --json stays the list of agents.
    assert.deepEqual(JSON.parse((await runCli(['ls', '--json'], env)).stdout), []);
  } finally {
    assert.equal(await plain.stop(), 0);
    assert.equal(await forbidden.stop(), 0);
  }
});
