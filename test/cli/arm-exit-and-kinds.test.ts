// arm/disarm --exit on an attachment names the exit that is wrong, not the attachment; ls calls
// a probe's hook a probe, as top does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, startService, tempDir } from '../control/helpers.ts';

const QUOTE = './examples/service/pricing.cjs#quote';

test('arm PID NAME --exit EXIT on an attachment blames the exit; ls and top agree on kinds', { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path };
  const service = await startService(tmp.path, ['--hook', 'shop:request=count']);
  const pid = String(service.pid);
  try {
    assert.equal((await runCli(['attach', pid, QUOTE, 'latency', '--name', 'rj'], env)).code, 0);
    for (const command of ['arm', 'disarm']) {
      const wrong = await runCli([command, pid, 'rj', '--exit', 'nosuch'], env);
      assert.equal(wrong.code, 2, wrong.stderr);
      assert.equal(wrong.stderr.split('\n').filter(Boolean).length, 1, wrong.stderr);
      assert.match(wrong.stderr, /^hookwire \w+: attachment "rj" has no exit named "nosuch" \(its one exit is "rj"\) \(ERR_NOT_FOUND\)\n$/u);
    }
    assert.deepEqual(await runCli(['disarm', pid, 'rj', '--exit', 'rj'], env), { code: 0, stdout: 'disarmed rj\n', stderr: '' });
    assert.deepEqual(await runCli(['arm', pid, 'rj', '--exit', 'rj'], env), { code: 0, stdout: 'armed rj\n', stderr: '' });
    // A hook's exits are still picked by --exit, and a wrong one still names the hook.
    const hookWrong = await runCli(['arm', pid, 'shop:request', '--exit', 'nosuch'], env);
    assert.match(hookWrong.stderr, /hook "shop:request" has no exit named "nosuch"/u);

    const ls = await runCli(['ls', pid], env);
    assert.match(ls.stdout, new RegExp(`^probe:${QUOTE.replace(/[./]/gu, '\\$&')}\\s+probe\\s+armed\\s`, 'mu'));
    assert.match(ls.stdout, /^shop:request\s+hook\s+armed\s/mu);
    const top = await runCli(['top', pid, '--once', '--interval', '200'], env);
    assert.match(top.stdout, /^probe:\S+pricing\.cjs#quote\s+probe\s/mu);
  } finally {
    await service.stop();
  }
});
