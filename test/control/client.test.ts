// Finding agents: live ones answer, sockets of dead processes are cleaned away, silent ones skipped.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { exitCatalogue } from '../../src/control/catalogue.ts';
import { connectAgent, ControlClient, listAgents } from '../../src/control/client.ts';
import { startControlServer } from '../../src/control/server.ts';
import { createRegistry, hook } from '../../src/core/index.ts';
import { tempDir } from './helpers.ts';

/** A pid that no process has: one that just exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString() as unknown as number;
}

test("listAgents finds a live agent, removes a dead process's socket, skips one that does not answer", async () => {
  using tmp = tempDir();
  const registry = createRegistry();
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir: tmp.path });
  // A socket left behind by a process that is gone: it listens on <dir>/<its pid>.sock and is killed.
  const killed = spawnSync(process.execPath, [
    '-e',
    `require('net').createServer().listen(require('path').join(${JSON.stringify(tmp.path)}, process.pid + '.sock'), () => process.kill(process.pid, 'SIGKILL'))`,
  ]);
  assert.equal(killed.signal, 'SIGKILL');
  const stale = join(tmp.path, `${killed.pid}.sock`);
  assert.ok(existsSync(stale), 'the killed process left its socket');
  // A socket of a live process (pid 1) that accepts and never answers.
  const mute = createServer(() => {});
  const mutePath = join(tmp.path, '1.sock');
  await new Promise<void>((r) => mute.listen(mutePath, r));
  try {
    const agents = await listAgents({ dir: tmp.path, timeoutMs: 300 });
    assert.deepEqual(
      agents.map((a) => a.pid),
      [process.pid],
    );
    assert.equal(agents[0]!.node, process.version);
    assert.ok(existsSync(mutePath), "a live process's socket is left alone");
    assert.equal(existsSync(stale), false, "a dead process's socket is removed");
  } finally {
    mute.close();
    await server.close();
  }
});

test('listAgents in a directory that does not exist is an empty list', async () => {
  assert.deepEqual(await listAgents({ dir: '/tmp/hookwire-no-such-dir-for-test' }), []);
});

test('connectAgent: a bad pid is ERR_INVALID_ARG, a pid without agent ERR_AGENT_UNREACHABLE', async () => {
  using tmp = tempDir();
  assert.throws(() => connectAgent(0, { dir: tmp.path }), { code: 'ERR_INVALID_ARG' });
  assert.throws(() => connectAgent(-3, { dir: tmp.path }), { code: 'ERR_INVALID_ARG' });
  assert.throws(() => connectAgent(1.5, { dir: tmp.path }), { code: 'ERR_INVALID_ARG' });
  assert.throws(() => connectAgent(Number(deadPid()), { dir: tmp.path }), { code: 'ERR_AGENT_UNREACHABLE' });
  await assert.rejects(new ControlClient({ path: join(tmp.path, 'none.sock') }).list(), { code: 'ERR_AGENT_UNREACHABLE' });
});

test("the client turns agent errors into HookErrors with the agent's code", async () => {
  using tmp = tempDir();
  const registry = createRegistry();
  hook('app:x', { registry });
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir: tmp.path });
  try {
    const client = connectAgent(process.pid, { dir: tmp.path });
    await assert.rejects(client.arm({ name: 'nothing' }), { name: 'HookError', code: 'ERR_NOT_FOUND' });
    await assert.rejects(client.attach({ target: 'app:x', exit: { type: 'bogus' } }), { code: 'ERR_INVALID_ARG' });
    const attached = await client.attach({ target: 'app:x', exit: 'count' });
    assert.equal((attached['attached'] as { name: string }).name, 'count@app:x');
  } finally {
    await server.close();
  }
});
