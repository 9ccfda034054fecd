// The CLI's own process uses Node's compile cache (Node >= 22.1) in the runtime directory, and
// only there: the program `hookwire run` starts keeps its own choice, no cache or the user's
// NODE_COMPILE_CACHE. Node 20 has no compile cache: nothing is written.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../control/helpers.ts';

const supported = typeof (createRequire(import.meta.url)('node:module') as { enableCompileCache?: unknown }).enableCompileCache === 'function';
/** A program that prints its compile cache directory (`none` without one, or on Node 20). */
const PRINT_CACHE = 'const m = require("node:module"); process.stdout.write(String(m.getCompileCacheDir?.() ?? "none"))';

test("hookwire run caches its own modules' compilation in the runtime directory, never the program's", async () => {
  using tmp = tempDir();
  const r = await runCli(['run', '--', 'node', '-e', PRINT_CACHE], { HOOKWIRE_RUNTIME_DIR: tmp.path, NODE_COMPILE_CACHE: undefined });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'none', 'the program got no compile cache');
  const cache = join(tmp.path, 'compile-cache');
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
