// hookwire top, live: redraws until q, and ends by itself when the program exits.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, root, spawnNode, startService, tempDir, until } from '../control/helpers.ts';

test('top redraws every interval and quits on q', { timeout: 30_000 }, async () => {
  using tmp = tempDir();
  const service = await startService(tmp.path, ['--probe', './examples/service/pricing.cjs#quote']);
  try {
    const top = spawnNode([cli, 'top', String(service.pid), '--interval', '150'], { HOOKWIRE_RUNTIME_DIR: tmp.path });
    await until(() => (top.stdout().match(/^hookwire top {2}pid /gmu) ?? []).length >= 3, 'three frames');
    assert.match(top.stdout(), /^probe:\.\/examples\/service\/pricing\.cjs#quote\s+probe\s+armed\s+0\s/mu);
    top.proc.stdin!.write('q');
    assert.equal(await top.exited, 0);
    assert.doesNotMatch(top.stdout(), /\x1b/u, 'no escapes when stdout is not a terminal');
  } finally {
    await service.stop();
  }
});

test('top ends by itself with exit code 0 when the program exits', { timeout: 30_000 }, async () => {
  using tmp = tempDir();
  // The program runs until the test closes its stdin, so it cannot end before top has connected
  // (under load it used to, and top then rightly said it found no agent).
  const app = spawnNode(['--import', join(root, 'dist/control/agent.js'), join(root, 'test/fixtures/control-until-stdin.mjs')], {
    HOOKWIRE_RUNTIME_DIR: tmp.path,
  });
  await until(() => existsSync(join(tmp.path, `${app.proc.pid}.sock`)), 'the socket');
  const top = spawnNode([cli, 'top', String(app.proc.pid), '--interval', '100'], { HOOKWIRE_RUNTIME_DIR: tmp.path });
  await until(() => /^fixture:tick\s+hook\s+\w+\s/mu.test(top.stdout()), 'the first frame');
  app.proc.stdin!.end();
  assert.equal(await app.exited, 0);
  assert.equal(await top.exited, 0, top.stderr());
  assert.match(top.stdout(), new RegExp(`process ${app.proc.pid} has exited\\n$`, 'u'));
  assert.match(top.stdout(), /^fixture:tick\s+hook\s+idle\s/mu);
});
