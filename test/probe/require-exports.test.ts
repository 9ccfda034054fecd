// require() of a probed CommonJS file returns what it returns without hookwire: after
// `require.cache[file].exports` is reassigned, a re-require returns the new exports object (not
// the first one). The probe follows to the new exports and stays on the old ones.
import assert from 'node:assert/strict';
import Module, { createRequire } from 'node:module';
import { test } from 'node:test';
import { probeSpec } from '../../src/probe/index.ts';
import { freshRegistry } from './harness.ts';

const require = createRequire(import.meta.url);
const SPEC = './test/fixtures/probe-modules/reassigned.cjs#f';
const file = require.resolve('../fixtures/probe-modules/reassigned.cjs');

type Lib = { f: (x: number) => number };

test('a re-require after require.cache[file].exports was reassigned returns the new exports', () => {
  const requireBefore = Module.prototype.require;
  const reg = freshRegistry();
  const faults: string[] = [];
  reg.onFault((e) => faults.push(e.error.message));
  const first = require(file) as Lib;
  const origF = first.f;
  const p = probeSpec(SPEC, {}, { registry: reg });
  assert.equal(require(file), first);
  assert.equal(first.f(1), 2);
  assert.equal(p.stats.hits, 1);

  const replacement: Lib = { f: (x) => x * 10 };
  require.cache[file]!.exports = replacement;
  const again = require(file) as Lib;
  assert.equal(again, replacement, 'require returns module.exports as it is now');
  assert.equal(require(file), replacement, 'and keeps doing so');
  assert.equal(again.f(2), 20);
  assert.equal(p.stats.hits, 2, 'the probe followed to the new exports');
  assert.equal(first.f(1), 2);
  assert.equal(p.stats.hits, 3, 'and stays on the old ones');

  // Exports without the probed path: require still returns them, the problem is reported once.
  const other = { g: () => 0 };
  require.cache[file]!.exports = other;
  assert.equal(require(file), other);
  assert.equal(require(file), other);
  assert.equal(faults.length, 1, `one fault for exports that lack the path: ${faults.join('; ')}`);

  // Exports that are no object at all.
  require.cache[file]!.exports = 42;
  assert.equal(require(file), 42);

  p.remove();
  assert.equal(Module.prototype.require, requireBefore, 'require is given back');
  assert.equal(first.f, origF, 'the original is back on the first exports');
  assert.equal(replacement.f(3), 30);
  assert.equal(p.stats.hits, 3, 'removed: no more hits');
  delete require.cache[file];
});

test('a probe waiting for a CommonJS file attaches when the program requires it, and require returns its exports', () => {
  delete require.cache[file];
  const p = probeSpec(SPEC, {}, { registry: freshRegistry(), load: false });
  assert.equal(p.status, 'pending');
  const lib = require(file) as Lib;
  assert.equal(require.cache[file]!.exports, lib);
  assert.equal(p.status, 'attached');
  assert.equal(lib.f(1), 2);
  assert.equal(p.stats.hits, 1);
  p.remove();
  delete require.cache[file];
});
