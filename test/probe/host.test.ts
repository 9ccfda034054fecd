// One host module: probe/ and exits/ reach `process` and Node's built-ins only through probe/host.ts.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { builtin, hostProcess } from '../../src/probe/host.ts';

const src = new URL('../../src/', import.meta.url).pathname;

/** The code of a source file without its comments and string literals. */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//gu, '')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/gu, "''")
    .replace(/\/\/.*$/gmu, '');
}

test('only probe/host.ts reads process or asks for built-in modules', () => {
  for (const layer of ['probe', 'exits']) {
    for (const name of readdirSync(join(src, layer)).filter((f) => f.endsWith('.ts'))) {
      if (layer === 'probe' && name === 'host.ts') continue;
      const text = code(readFileSync(join(src, layer, name), 'utf8'));
      assert.doesNotMatch(text, /\bgetBuiltinModule\b/u, `${layer}/${name} asks for a built-in itself`);
      assert.doesNotMatch(text, /\bprocess\b/u, `${layer}/${name} reads process itself`);
    }
  }
});

test('builtin() hands out Node modules, and undefined where the host has none', () => {
  assert.equal(typeof builtin('node:path')?.join, 'function');
  assert.equal(hostProcess(), process);
  const proc = process as { getBuiltinModule?: unknown };
  const saved = proc.getBuiltinModule;
  proc.getBuiltinModule = undefined;
  try {
    assert.equal(builtin('node:fs'), undefined);
  } finally {
    proc.getBuiltinModule = saved;
  }
});
