// A probe that waits for more than its module to load says why, through the socket and in `ls`:
// an ES module export whose module the program loaded before any spec named it (issue 11's late
// ES module) cannot have its binding replaced, so the attachment stays pending with the reason,
// where a bare "pending" would pass for a module not loaded yet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, runCli, startService, tempDir } from './helpers.ts';

test('a late ES module export attached over the socket is pending with its reason, in the answer, the listing and ls', { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  const service = await startService(tmp.path);
  try {
    const where = { socketPath: service.socketPath };
    const target = './examples/service/server.mjs#createShop';
    const a = await call(where, 'POST', '/v1/attach', { target, exit: { type: 'count' }, name: 'late' });
    assert.equal(a.status, 201, a.text);
    assert.equal(a.body.attached.status, 'pending');
    assert.match(a.body.attached.reason, /server\.mjs was loaded before a spec named it, so its export "createShop" cannot be replaced/u);

    // A CommonJS spec that attaches has no reason.
    const b = await call(where, 'POST', '/v1/attach', { target: './examples/service/pricing.cjs#quote', exit: { type: 'count' }, name: 'cjs' });
    assert.equal(b.body.attached.status, 'attached');
    assert.equal('reason' in b.body.attached, false);

    const ls = await runCli(['ls', String(service.pid)], { HOOKWIRE_RUNTIME_DIR: tmp.path, NO_COLOR: '1' });
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /^pending: late: .*server\.mjs was loaded before a spec named it/mu);
  } finally {
    await service.stop();
  }
});
