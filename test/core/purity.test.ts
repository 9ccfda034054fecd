// The core runs wherever JavaScript runs: no `node:` imports, no Node globals, no dependencies.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const src = new URL('../../src/core/', import.meta.url).pathname;
const coreFiles = [
  ...readdirSync(src)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(src, f)),
  ...readdirSync(join(src, 'compile')).map((f) => join(src, 'compile', f)),
];

test('core files import only each other', () => {
  assert.ok(coreFiles.length >= 10);
  for (const file of coreFiles) {
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      assert.ok(spec!.startsWith('./') || spec!.startsWith('../'), `${file} imports ${spec}`);
      assert.ok(!/\.\.\/(probe|exits|control|cli)\//.test(spec!), `${file} reaches up into ${spec}`);
    }
    assert.doesNotMatch(text, /\bprocess\.|\brequire\(|\bBuffer\b|\bglobalThis\.process/, `${file} uses a Node global`);
  }
});
