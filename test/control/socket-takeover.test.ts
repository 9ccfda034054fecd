// An agent replaces the socket of a dead process that had its pid, and never a live one.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
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
