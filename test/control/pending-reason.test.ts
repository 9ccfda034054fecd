// A late ES module export (issue 11: its module loaded before any spec named it) attached over the
// socket no longer waits with a reason: it attaches through the breakpoint path (issue 10), which
// the answer, the listing and ls say. A CommonJS spec attaches through a wrapper, as before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, runCli, startService, tempDir } from './helpers.ts';

test('a late ES module export attached over the socket takes the breakpoint path, in the answer, the listing and ls', { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  const service = await startService(tmp.path);
  try {
    const where = { socketPath: service.socketPath };
    const target = './examples/service/server.mjs#createShop';
    const a = await call(where, 'POST', '/v1/attach', { target, exit: { type: 'count' }, name: 'late' });
    assert.equal(a.status, 201, a.text);
    assert.equal(a.body.attached.status, 'attached');
    assert.equal('reason' in a.body.attached, false);

    // A CommonJS spec that attaches has no reason either.
    const b = await call(where, 'POST', '/v1/attach', { target: './examples/service/pricing.cjs#quote', exit: { type: 'count' }, name: 'cjs' });
    assert.equal(b.body.attached.status, 'attached');
    assert.equal('reason' in b.body.attached, false);

    const hooks = await call(where, 'GET', '/v1/hooks');
    const meta = (name: string) =>
      (hooks.body.registry.hooks as { exits: { name: string }[]; meta?: Record<string, unknown> }[]).find((h) => h.exits.some((e) => e.name === name))
        ?.meta;
    assert.equal(meta('late')?.['wrapper'], 'breakpoint');
    assert.notEqual(meta('cjs')?.['wrapper'], 'breakpoint');

    const ls = await runCli(['ls', String(service.pid)], { HOOKWIRE_RUNTIME_DIR: tmp.path, NO_COLOR: '1' });
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /^probe:\.\/examples\/service\/server\.mjs#createShop\s+probe \(breakpoint\)/mu);
    assert.match(ls.stdout, /^breakpoint: probe:\.\/examples\/service\/server\.mjs#createShop at call of .*: entry only/mu);
  } finally {
    await service.stop();
  }
});
