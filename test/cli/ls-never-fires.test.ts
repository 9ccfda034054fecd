// An armed probe that cannot fire (its function is called by a local name, or through a copy the
// program took before the attach) is not shown as merely idle: ls adds a hint saying why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, startService, tempDir } from '../control/helpers.ts';
import { drive } from '../control/workload.ts';

test('ls hints at a probe that stays at 0 hits while armed, and names only that one', { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path };
  const service = await startService(tmp.path);
  const pid = String(service.pid);
  try {
    // quote calls couponRate by its local name: a probe on the export never sees those calls.
    assert.equal((await runCli(['attach', pid, './examples/service/pricing.cjs#couponRate', 'count', '--name', 'coupons'], env)).code, 0);
    assert.equal((await runCli(['attach', pid, './examples/service/pricing.cjs#quote', 'count', '--name', 'quotes'], env)).code, 0);
    await drive(service.port);
    const ls = await runCli(['ls', pid], env);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /^quotes\s+count\s+armed\s+8\s/mu);
    assert.match(ls.stdout, /^hint: coupons: armed, 0 hits\. A probe replaces the function in the slot its spec names;$/mu);
    assert.match(ls.stdout, /copies the program took before the attach/u);
    assert.doesNotMatch(ls.stdout, /hint: .*quotes/u);
  } finally {
    await service.stop();
  }
});
