// probeSpec's `load: false`: a CommonJS module nobody loaded stays unloaded and the probe pending
// until the program requires it; a loaded one is probed at once.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRegistry } from '../../src/core/index.ts';
import { probeSpec } from '../../src/probe/index.ts';

const require = createRequire(import.meta.url);

test('load: false never loads the module; the probe attaches when the program requires it', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hw-noload-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const marker = join(dir, 'ran');
  const file = join(dir, 'm.cjs');
  writeFileSync(file, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, '1');\nexports.f = () => 1;\n`);
  const registry = createRegistry();
  let hits = 0;
  const p = probeSpec(`${file}#f`, { onEnter: () => void hits++ }, { load: false, registry });
  t.after(() => p.remove());
  assert.equal(p.status, 'pending');
  assert.equal(existsSync(marker), false);
  const mod = require(file) as { f(): number };
  assert.equal(p.status, 'attached');
  assert.equal(mod.f(), 1);
  assert.equal(hits, 1);
});

test('load must be a boolean', () => {
  assert.throws(() => probeSpec('node:fs#readFileSync', {}, { load: 'no' as unknown as boolean }), { code: 'ERR_INVALID_ARG', message: /"load"/u });
});
