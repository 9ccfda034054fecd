// docs/ui.md against the code: the exit types it says "Attach an exit" offers are the ones the
// page gets from the catalogue (GET /api/catalogue answers EXIT_TYPES; the form lists them all).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXIT_TYPES } from '../../src/exits/exit-types.ts';
import { root } from '../control/helpers.ts';

test('docs/ui.md lists every exit type the attach form offers, in the catalogue order', () => {
  const doc = readFileSync(join(root, 'docs/ui.md'), 'utf8').replace(/\s+/gu, ' ');
  const listed = /\*\*Attach an exit\*\*: .*? exit type from the catalogue \(([a-z, ]+)[:)]/u.exec(doc)?.[1];
  assert.ok(listed !== undefined, 'the "Attach an exit" item names the exit types');
  assert.deepEqual(listed.split(', '), [...EXIT_TYPES]);
});
