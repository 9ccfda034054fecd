// Every exit spec docs/cli.md shows is one the CLI accepts (the docs once showed "op":"gte").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseExitArg } from '../../src/cli/site-args.ts';
import { root } from '../control/helpers.ts';

test("docs/cli.md's JSON exit specs are accepted", () => {
  const text = readFileSync(join(root, 'docs/cli.md'), 'utf8');
  const specs = [...text.matchAll(/'(\{"type":[^']*\})'/gu)].map((m) => m[1]!);
  assert.ok(specs.length >= 3, `found ${specs.length} specs`);
  for (const spec of specs) assert.doesNotThrow(() => parseExitArg(spec, spec), spec);
});
