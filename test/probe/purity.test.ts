// `hookwire/probe` loads wherever JavaScript runs: no static `node:` import outside the module
// hooks entry (register.ts); the loader reaches Node lazily, only when a spec is probed.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const dir = new URL('../../src/probe/', import.meta.url).pathname;

test('probe files import no node: module statically, except register.ts', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length >= 10);
  for (const name of files) {
    const text = readFileSync(join(dir, name), 'utf8');
    for (const [, spec] of text.matchAll(/^\s*import\s+(?!type\b)[^'"]*['"]([^'"]+)['"]/gm)) {
      if (name === 'register.ts') continue;
      assert.ok(spec!.startsWith('./') || spec!.startsWith('../'), `${name} imports ${spec}`);
    }
  }
});
