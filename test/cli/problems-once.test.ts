// A problem the agent meets while the program runs (here: a module that throws when loaded
// before the program set it up) is printed once, not again in the summary.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../control/helpers.ts';

test('the summary counts the problems the agent reported instead of repeating them', async () => {
  using tmp = tempDir();
  const lib = join(tmp.path, 'needs-setup.cjs');
  writeFileSync(lib, 'if (!globalThis.ready) throw new Error("needs setup");\nexports.f = () => 1;\n');
  const r = await runCli(['run', '--probe', `${lib}#f=count`, '--', 'node', '-e', '1'], { HOOKWIRE_RUNTIME_DIR: tmp.path });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.match(/needs setup/gu)?.length, 1, r.stderr);
  assert.match(r.stderr, /^hookwire \[\d+\]: 1 problem \(reported above as they happened\)$/mu);
});
