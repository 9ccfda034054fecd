// hookwire trace --pid: trace a running program, then leave it as it was.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { runCli, spawnNode, cli, root, startService, tempDir, until } from '../control/helpers.ts';
import { drive } from '../control/workload.ts';

test("trace --pid prints the records of the running program's calls and removes its exits at the end", { timeout: 30_000 }, async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path };
  const service = await startService(tmp.path, ['--hook', 'shop:request']);
  try {
    const pid = String(service.pid);
    const tracer = spawnNode([cli, 'trace', '--pid', pid, '--json', '--duration', '30', './examples/service/pricing.cjs#quote', 'shop:order'], env);
    await until(() => tracer.stderr().startsWith('tracing '), 'the tracer to attach');
    await drive(service.port);
    await until(() => tracer.stdout().split('\n').filter(Boolean).length >= 12, 'twelve records');
    tracer.proc.kill('SIGINT');
    assert.equal(await tracer.exited, 0, tracer.stderr());
    const records = tracer
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(records.filter((r) => r.site === 'probe:./examples/service/pricing.cjs#quote').length, 8);
    assert.equal(records.filter((r) => r.site === 'shop:order').length, 4);
    assert.equal(records.length, 12);
    const listing = JSON.parse((await runCli(['ls', pid, '--json'], env)).stdout);
    assert.deepEqual(
      listing.attachments.map((a: { name: string }) => a.name),
      ['count@shop:request'],
      'the tracer removed its exits',
    );
    // Text lines, sampled, ended by --duration.
    const text = spawnNode([cli, 'trace', '-p', pid, '--every', '2', '--duration', '1.5', './examples/service/pricing.cjs#quote'], env);
    await until(() => text.stderr().startsWith('tracing '), 'the second tracer');
    await drive(service.port);
    assert.equal(await text.exited, 0, text.stderr());
    const lines = text.stdout().trim().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0]!, /^\d\d:\d\d:\d\d\.\d{3} probe:\.\/examples\/service\/pricing\.cjs#quote \(/u);
  } finally {
    assert.equal(await service.stop(), 0);
  }
});

test('trace --pid whose reader goes away (| head -1) stops as on Ctrl-C: its exits are removed', { timeout: 30_000 }, async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path };
  const service = await startService(tmp.path, ['--hook', 'shop:request']);
  try {
    const pid = String(service.pid);
    const tracer = spawnNode([cli, 'trace', '--pid', pid, '--duration', '30', './examples/service/pricing.cjs#quote'], env);
    await until(() => tracer.stderr().startsWith('tracing '), 'the tracer to attach');
    await drive(service.port);
    await until(() => tracer.stdout().length > 0, 'a first record');
    tracer.proc.stdout!.destroy(); // as head does once it has its line
    await drive(service.port); // the next records meet the closed pipe
    assert.equal(await tracer.exited, 0, tracer.stderr());
    assert.doesNotMatch(tracer.stderr(), /EPIPE|Error/u);
    const listing = JSON.parse((await runCli(['ls', pid, '--json'], env)).stdout);
    assert.deepEqual(
      listing.attachments.map((a: { name: string }) => a.name),
      ['count@shop:request'],
      'the tracer removed its exits',
    );
  } finally {
    assert.equal(await service.stop(), 0);
  }
});

test('trace --pid killed with SIGKILL leaves nothing behind: its exits are leased to its event stream', { timeout: 30_000 }, async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path };
  const service = await startService(tmp.path, ['--hook', 'shop:request']);
  try {
    const pid = String(service.pid);
    const tracer = spawnNode([cli, 'trace', '--pid', pid, './examples/service/pricing.cjs#quote', 'shop:order'], env);
    await until(() => tracer.stderr().startsWith('tracing '), 'the tracer to attach');
    const names = async () => JSON.parse((await runCli(['ls', pid, '--json'], env)).stdout).attachments.map((a: { name: string }) => a.name);
    assert.equal((await names()).length, 3, 'the two trace exits are attached');
    tracer.proc.kill('SIGKILL'); // no handler runs: only the closed stream tells the agent
    await tracer.exited;
    await until(async () => (await names()).length === 1, 'the leased exits to go');
    assert.deepEqual(await names(), ['count@shop:request']);
  } finally {
    assert.equal(await service.stop(), 0);
  }
});

test('trace --pid against an agent from before leases (no protocol in GET /v1/agent) attaches without one', { timeout: 30_000 }, async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path };
  const app = spawnNode([join(root, 'test/fixtures/control-protocol-1.mjs')], env);
  try {
    const pid = await until(() => /ready (\d+)/u.exec(app.stdout())?.[1], `the program to start (stderr: ${app.stderr()})`);
    const names = async () => JSON.parse((await runCli(['ls', pid, '--json'], env)).stdout).attachments.map((a: { name: string }) => a.name);
    // A whole trace works, and its end removes its exits.
    const r = await runCli(['trace', '--pid', pid, '--duration', '0.5', 'fixture:tick'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /fixture:tick \(\{"n":\d+\}\)/u);
    assert.deepEqual(await names(), []);
    // Without a lease nothing ties the exits to the tracer's stream: a SIGKILL leaves them.
    const tracer = spawnNode([cli, 'trace', '--pid', pid, 'fixture:tick'], env);
    await until(() => tracer.stderr().startsWith('tracing '), 'the tracer to attach');
    tracer.proc.kill('SIGKILL');
    await tracer.exited;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(await names(), [`hookwire-trace-${tracer.proc.pid}-0`]);
  } finally {
    app.proc.stdin!.end();
    assert.equal(await app.exited, 0, app.stderr());
  }
});
