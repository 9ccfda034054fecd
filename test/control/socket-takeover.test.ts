// An agent replaces the socket of a dead process that had its pid, and never a live one; its own
// socket appears under <pid>.sock only once it listens (bound as <pid>.sock.new, then renamed).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, watch, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { exitCatalogue } from '../../src/control/catalogue.ts';
import { startControlServer } from '../../src/control/server.ts';
import { createRegistry } from '../../src/core/index.ts';
import { raw, tempDir } from './helpers.ts';

test('a live socket at <pid>.sock is not unlinked nor taken over: ERR_SOCKET_IN_USE', async () => {
  using tmp = tempDir();
  const path = join(tmp.path, `${process.pid}.sock`);
  const other = createServer((socket) => {
    socket.on('error', () => {}); // the agent's liveness check hangs up at once
    socket.end('still mine');
  });
  await new Promise<void>((resolve) => other.listen(path, resolve));
  try {
    const registry = createRegistry();
    await assert.rejects(startControlServer({ catalogue: exitCatalogue(registry), registry, dir: tmp.path }), { code: 'ERR_SOCKET_IN_USE' });
    assert.ok(existsSync(path));
    assert.equal(await raw(path, '', 2000), 'still mine', 'the other server still owns its socket');
  } finally {
    await new Promise<void>((resolve) => other.close(() => resolve()));
  }
});

test('the socket appears under <pid>.sock only once it listens: bound as <pid>.sock.new and renamed; a leftover .new is replaced', async () => {
  using tmp = tempDir();
  // A leftover of a dead process with this pid (not a socket, even).
  writeFileSync(join(tmp.path, `${process.pid}.sock.new`), 'left');
  const seen: string[] = [];
  const watcher = watch(tmp.path, (_event, name) => {
    if (name !== null) seen.push(name);
  });
  const registry = createRegistry();
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir: tmp.path });
  try {
    assert.equal(server.path, join(tmp.path, `${process.pid}.sock`));
    assert.deepEqual(readdirSync(tmp.path), [`${process.pid}.sock`]);
    const answer = await raw(server.path, 'GET /v1/hooks HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n\r\n', 2000);
    assert.match(answer, /^HTTP\/1\.1 200 /u);
    // Give the watcher's events a turn to arrive: the name was bound first, then renamed.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(seen.includes(`${process.pid}.sock.new`) && seen.includes(`${process.pid}.sock`), seen.join(' '));
  } finally {
    watcher.close();
    await server.close();
  }
  assert.deepEqual(readdirSync(tmp.path), []);
});
