#!/usr/bin/env node
// `npm run docs:check`: regenerates the API reference into a temporary directory and fails when it
// differs from the checked-in docs/api/ (CI runs this). On a difference the fresh copy is kept and
// its path printed, for `git diff --no-index`. Fix: `npm run docs:api`, then commit docs/api/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const checkedIn = join(root, 'docs/api');
const fresh = mkdtempSync(join(tmpdir(), 'hookwire-api-'));

const typedocPackage = createRequire(import.meta.url).resolve('typedoc/package.json');
const typedoc = join(dirname(typedocPackage), 'bin/typedoc');
const run = spawnSync(process.execPath, [typedoc, '--out', fresh, '--logLevel', 'Warn'], { cwd: root, stdio: 'inherit' });
if (run.status !== 0) {
  rmSync(fresh, { recursive: true, force: true });
  console.error(
    '\ndocs:check: TypeDoc failed (see above; warnings count as errors). A type that a public signature uses\n' +
      'but no entry point exports, a broken {@link}, or an entry point missing from package.json "exports" fails here.',
  );
  process.exit(1);
}

const before = files(checkedIn);
const after = files(fresh);
const changed = [];
for (const file of new Set([...before, ...after])) {
  if (!before.has(file)) changed.push(`added    docs/api/${file}`);
  else if (!after.has(file)) changed.push(`removed  docs/api/${file}`);
  else if (!readFileSync(join(checkedIn, file)).equals(readFileSync(join(fresh, file)))) {
    changed.push(`changed  docs/api/${file}`);
  }
}

if (changed.length === 0) {
  rmSync(fresh, { recursive: true, force: true });
  console.log(`docs:check: docs/api/ is up to date (${after.size} files).`);
  process.exit(0);
}
console.error(`docs:check: docs/api/ is out of date with the source's types (${changed.length} file(s)):`);
for (const line of changed.sort()) console.error(`  ${line}`);
console.error(`\nRun \`npm run docs:api\` and commit docs/api/. The fresh copy is in ${fresh}:`);
console.error(`  git diff --no-index docs/api ${fresh}`);
process.exit(1);

/** Paths of the files under `dir`, relative to it (an empty set when it does not exist). */
function files(dir) {
  const found = new Set();
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.add(relative(dir, path));
    }
  };
  try {
    walk(dir);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  return found;
}
