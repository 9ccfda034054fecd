// Over the control socket, a probe spec that reaches a JavaScript built-in (Map.prototype.get
// through node:console's _times, Array.prototype.map through node:module's builtinModules, …) is
// refused with 400 ERR_PROBE_TARGET, never a 500; the program's Map and Array work as before, and
// the other attachments still arm, disarm and remove.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { exitCatalogue } from '../../src/control/catalogue.ts';
import { startControlServer } from '../../src/control/server.ts';
import { createRegistry } from '../../src/core/index.ts';
import { call, tempDir } from './helpers.ts';

const require = createRequire(import.meta.url);

const SPECS = [
  'node:console#_times.constructor.prototype.get',
  'node:module#builtinModules.map',
  'node:path#join.bind',
  'node:events#EventEmitter.prototype.hasOwnProperty',
  'node:util#inspect.apply',
];

test('attaching to a built-in over the socket answers 400 ERR_PROBE_TARGET and changes nothing', async () => {
  using tmp = tempDir();
  const file = join(tmp.path, 'prog.cjs');
  writeFileSync(file, 'exports.f = (x) => x * 2;\n');
  const mod = require(file) as { f(x: number): number };
  const registry = createRegistry();
  const server = await startControlServer({ catalogue: exitCatalogue(registry), registry, dir: tmp.path });
  const where = { socketPath: server.path! };
  const descriptors = () =>
    [
      [Map.prototype, 'get'],
      [Array.prototype, 'map'],
      [Function.prototype, 'bind'],
      [Object.prototype, 'hasOwnProperty'],
      [Function.prototype, 'apply'],
    ].map(([o, k]) => Object.getOwnPropertyDescriptor(o as object, k as string));
  const before = descriptors();
  try {
    const a = await call(where, 'POST', '/v1/attach', { target: `${file}#f`, exit: { type: 'count' }, name: 'mine' });
    assert.equal(a.status, 201, a.text);
    for (const target of SPECS) {
      for (const exit of ['count', 'latency', 'trace']) {
        const r = await call(where, 'POST', '/v1/attach', { target, exit: { type: exit } });
        assert.equal(r.status, 400, `${target} with ${exit}: ${r.text}`);
        assert.equal(r.body.error.code, 'ERR_PROBE_TARGET');
        assert.match(r.body.error.message, /JavaScript built-in/);
      }
    }
    assert.deepEqual(descriptors(), before, 'the built-ins are untouched');
    const m = new Map([['k', 1]]);
    assert.equal(m.get('k'), 1);
    assert.deepEqual(
      [1, 2].map((x) => x + 1),
      [2, 3],
    );

    // The agent still works: list, and the program's own attachment counts, disarms, arms, goes.
    const listed = await call(where, 'GET', '/v1/hooks');
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.attachments.map((x: { name: string }) => x.name),
      ['mine'],
    );
    assert.equal(mod.f(2), 4);
    const hits = async () => (await call(where, 'GET', '/v1/hooks')).body.attachments[0].stats.hits as number;
    assert.equal(await hits(), 1);
    assert.equal((await call(where, 'POST', '/v1/disarm', { name: 'mine' })).status, 200);
    mod.f(3);
    assert.equal(await hits(), 1);
    assert.equal((await call(where, 'POST', '/v1/arm', { name: 'mine' })).status, 200);
    mod.f(4);
    assert.equal(await hits(), 2);
    const removed = await call(where, 'POST', '/v1/remove', { name: 'mine' });
    assert.equal(removed.status, 200, removed.text);
    assert.equal(mod.f(5), 10);
    assert.equal(registry.list().length, 0);
  } finally {
    await server.close();
  }
});
