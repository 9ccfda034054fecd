// The CLI's own process uses Node's compile cache (Node >= 22.1) in the runtime directory, and
// only there; `run` and `trace` use none, since their process may become the program's
// (cli/run-here.ts). The program keeps its own choice: no cache, or the user's NODE_COMPILE_CACHE.
// Node 20 has no compile cache: nothing is written.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../control/helpers.ts';

const supported = typeof (createRequire(import.meta.url)('node:module') as { enableCompileCache?: unknown }).enableCompileCache === 'function';
/** A program that prints its compile cache directory (`none` without one, or on Node 20). */
const PRINT_CACHE = 'const m = require("node:module"); process.stdout.write(String(m.getCompileCacheDir?.() ?? "none"))';

test("the CLI caches its own modules' compilation in the runtime directory; run, and the program it runs, use none", async () => {
  using tmp = tempDir();
  const cache = join(tmp.path, 'compile-cache');
  // A program in a child process (Node options) and one in run's own process (a script).
  const script = join(tmp.path, 'print-cache.cjs');
  writeFileSync(script, PRINT_CACHE);
  for (const command of [
    ['node', '-e', PRINT_CACHE],
    ['node', script],
  ]) {
    const r = await runCli(['run', '--', ...command], { HOOKWIRE_RUNTIME_DIR: tmp.path, NODE_COMPILE_CACHE: undefined });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'none', `${command.join(' ')}: the program got no compile cache`);
    assert.equal(existsSync(cache), false, 'run made no cache');
  }
  const ls = await runCli(['ls'], { HOOKWIRE_RUNTIME_DIR: tmp.path, NODE_COMPILE_CACHE: undefined });
  assert.equal(ls.code, 0, ls.stderr);
  if (!supported) {
    assert.equal(existsSync(cache), false);
    return;
  }
  // Node writes one directory per version and the cached files under it.
  const versions = readdirSync(cache);
  assert.equal(versions.length, 1, versions.join());
  assert.ok(readdirSync(join(cache, versions[0]!)).length > 0, 'cached files');
});

test(
  "the user's NODE_COMPILE_CACHE stays the program's (and the CLI's) only cache",
  { skip: !supported && 'Node < 22.1 has no compile cache' },
  async () => {
    using tmp = tempDir();
    const own = join(tmp.path, 'user-cache');
    const r = await runCli(['run', '--', 'node', '-e', PRINT_CACHE], { HOOKWIRE_RUNTIME_DIR: tmp.path, NODE_COMPILE_CACHE: own });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith(own), r.stdout);
    assert.equal(existsSync(join(tmp.path, 'compile-cache')), false);
  },
);
