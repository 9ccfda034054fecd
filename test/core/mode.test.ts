import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeGenerationEnabled, hook } from '../../src/core/index.ts';

test('the compile mode under test is the one requested', () => {
  assert.equal(codeGenerationEnabled(), process.env['HOOKWIRE_CODEGEN'] !== 'off');
  const h = hook<[number]>('smoke:mode');
  const seen: number[] = [];
  h.register((n) => seen.push(n), { armed: true });
  h.fire(1);
  assert.deepEqual(seen, [1]);
  h.terminate({ force: true });
});
