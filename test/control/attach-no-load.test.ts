// A socket client cannot make the program load a file: attaching to a probe spec over the socket
// probes what is loaded, or waits (pending) until the program loads the module itself.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { exitCatalogue } from '../../src/control/catalogue.ts';
import { startControlServer } from '../../src/control/server.ts';
import { createRegistry } from '../../src/core/index.ts';
import { call, tempDir, until } from './helpers.ts';

const require = createRequire(import.meta.url);

test('attaching to a file nobody loaded does not load it: pending until the program requires it', async () => {
  using tmp = tempDir();
  const marker = join(tmp.path, 'loaded');
  const file = join(tmp.path, 'victim.cjs');
  writeFileSync(file, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\nexports.f = (x) => x + 1;\n`);
  const registry = createRegistry();
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir: tmp.path });
  const where = { socketPath: server.path! };
  try {
    const a = await call(where, 'POST', '/v1/attach', { target: `${file}#f`, exit: { type: 'count' }, name: 'c' });
    assert.equal(a.status, 201, a.text);
    assert.equal(a.body.attached.status, 'pending');
    assert.equal(existsSync(marker), false, 'the file was not loaded');

    // The program loads it itself: the waiting probe attaches and counts.
    const mod = require(file) as { f(x: number): number };
    assert.equal(existsSync(marker), true);
    assert.equal(mod.f(1), 2);
    const listed = await until(async () => {
      const l = await call(where, 'GET', '/v1/hooks');
      const att = l.body.attachments.find((x: { name: string }) => x.name === 'c');
      return att?.status === 'attached' ? att : undefined;
    }, 'the probe to attach');
    assert.equal(listed.stats.hits, 1);
  } finally {
    await server.close();
  }
});

test('a file that is not a module (/etc/passwd) is never loaded: pending, not a 500', async (t) => {
  if (!existsSync('/etc/passwd')) return t.skip('no /etc/passwd here');
  using tmp = tempDir();
  const registry = createRegistry();
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir: tmp.path });
  try {
    const a = await call({ socketPath: server.path! }, 'POST', '/v1/attach', { target: '/etc/passwd#x', exit: { type: 'count' } });
    assert.equal(a.status, 201, a.text);
    assert.equal(a.body.attached.status, 'pending');
    assert.equal(require.cache['/etc/passwd'], undefined);
  } finally {
    await server.close();
  }
});

test('a module the program loaded already is probed at once over the socket', async () => {
  using tmp = tempDir();
  const file = join(tmp.path, 'loaded.cjs');
  writeFileSync(file, 'exports.g = () => 7;\n');
  const mod = require(file) as { g(): number };
  const registry = createRegistry();
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir: tmp.path });
  try {
    const a = await call({ socketPath: server.path! }, 'POST', '/v1/attach', { target: `${file}#g`, exit: { type: 'count' } });
    assert.equal(a.status, 201, a.text);
    assert.equal(a.body.attached.status, 'attached');
    assert.equal(mod.g(), 7);
  } finally {
    await server.close();
  }
});

test('a pending probe is listed with the armed state it will attach with, and keeps a disarm made while pending', async () => {
  using tmp = tempDir();
  const file = join(tmp.path, 'later.cjs');
  writeFileSync(file, 'exports.h = () => 3;\n');
  const registry = createRegistry();
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir: tmp.path });
  const where = { socketPath: server.path! };
  const listed = async () => (await call(where, 'GET', '/v1/hooks')).body.attachments.find((x: { name: string }) => x.name === 'p');
  try {
    const a = await call(where, 'POST', '/v1/attach', { target: `${file}#h`, exit: 'count', name: 'p' });
    assert.equal(a.body.attached.status, 'pending');
    assert.equal(a.body.attached.armed, true, 'it will attach armed');
    const d = await call(where, 'POST', '/v1/disarm', { name: 'p' });
    assert.deepEqual(d.body.disarmed.exits, [{ name: 'p', armed: false }]);
    assert.equal((await listed()).armed, false);
    const mod = require(file) as { h(): number };
    assert.equal(mod.h(), 3);
    const now = await listed();
    assert.equal(now.status, 'attached');
    assert.equal(now.armed, false);
    assert.equal(now.stats.hits, 0, 'disarmed while pending: not counting');
    await call(where, 'POST', '/v1/arm', { name: 'p' });
    mod.h();
    assert.equal((await listed()).stats.hits, 1);
  } finally {
    await server.close();
  }
});
