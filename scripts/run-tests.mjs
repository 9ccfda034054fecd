#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's test runner, twice: once with dispatchers generated as
// code, once in the eval-free closure mode (HOOKWIRE_CODEGEN=off), so both compile modes stay
// equivalent. Arguments filter test files by substring: `npm test -- probe`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const modes = process.argv.includes('--one-mode') ? ['on'] : ['on', 'off'];

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : find(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = find(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no test file matches ${filters.join(' ')}`);
  process.exit(2);
}

let failed = false;
for (const mode of modes) {
  console.log(`\n== hookwire tests, code generation ${mode} (${files.length} files) ==`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', './test/setup.ts', '--test', '--test-concurrency=2', ...files],
    { cwd: root, stdio: 'inherit', env: { ...process.env, HOOKWIRE_CODEGEN: mode } },
  );
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
