// A budget given on the command line, on a process attached to on demand: the probe expires after
// its hits, the original comes back, and ls says why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, tempDir, until } from '../control/helpers.ts';
import { freePort, httpGet, QUERY, startPlainApp } from './helpers.ts';

test('attach with {"budget":{"hits":2}}: expires after two calls, listed with the reason', { timeout: 30_000 }, async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path, NO_COLOR: '1' };
  const app = await startPlainApp([`--inspect-port=${await freePort()}`]);
  const pid = String(app.proc.pid);
  try {
    const attached = await runCli(['attach', pid, QUERY, '{"type":"count","budget":{"hits":2}}', '--name', 'two'], env);
    assert.equal(attached.code, 0, attached.stderr);
    assert.equal(attached.stdout, 'attached two (attached, armed)\n');
    assert.equal(await httpGet(app.port, '/same'), '200 false');
    for (const path of ['/a', '/b', '/c']) await httpGet(app.port, path);
    await until(async () => (await httpGet(app.port, '/same')) === '200 true', 'the original to come back');
    const ls = await runCli(['ls', pid], env);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /^two\s+count\s+expired\s+2\s/mu);
    assert.match(ls.stdout, /^budget: two expired: expired after 2 hits$/mu);
    const top = await runCli(['top', pid, '--once', '--interval', '100'], env);
    assert.match(top.stdout, /^budget: two expired: expired after 2 hits$/mu);
    const bad = await runCli(['attach', pid, QUERY, '{"type":"count","budget":{"hits":0}}'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /count spec "budget" "hits" must be a whole number from 1 to 1e12, got 0/u);
  } finally {
    assert.equal(await app.stop(), 0);
  }
});
