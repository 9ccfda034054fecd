// parseExitSpec: the one parser of exit specs, and the one list of exit types everything derives from.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assert as assertExit,
  count,
  EXIT_TYPES,
  latency,
  NAMED_EXIT_TYPES,
  parseExitList,
  parseExitSpec,
  publish,
  span,
  SPEC_FIELDS,
  trace,
} from '../../src/exits/index.ts';
import { attach } from '../../src/cli/attach.ts';

test('EXIT_TYPES is the catalogue: every type builds an observer of that type', () => {
  assert.deepEqual(EXIT_TYPES, ['trace', 'count', 'latency', 'assert', 'span', 'publish']);
  assert.deepEqual(Object.keys(SPEC_FIELDS), [...EXIT_TYPES]);
  const made = {
    trace: trace({ sink: { callback() {} } }),
    count: count(),
    latency: latency(),
    assert: assertExit({ predicate: { arg: 0, op: 'exists' } }),
    span: span(),
    publish: publish(),
  };
  for (const type of EXIT_TYPES) assert.equal(made[type].type, type);
  assert.deepEqual(NAMED_EXIT_TYPES, ['trace', 'count', 'latency', 'span', 'publish']);
  assert.match(attach.summary, new RegExp(EXIT_TYPES.join(', '), 'u'));
});

test('a spec comes back as a fresh plain object; text, objects and lists give the same specs', () => {
  const given = { type: 'trace', every: 3 };
  const parsed = parseExitSpec(given);
  assert.deepEqual(parsed, given);
  assert.notEqual(parsed, given);
  assert.deepEqual(parseExitSpec(' {"type":"trace","every":3} '), given);
  assert.deepEqual(parseExitSpec('count'), { type: 'count' });
  assert.deepEqual(parseExitList(' trace , latency'), [{ type: 'trace' }, { type: 'latency' }]);
  assert.deepEqual(parseExitList('{"type":"trace","every":3}'), [given]);
});

test('an unknown type names the exit and lists the catalogue', () => {
  assert.throws(
    () => parseExitSpec('bogus'),
    /^HookError: unknown exit "bogus": exit spec "type" must be one of trace, count, latency, assert, span, publish, got "bogus"$/u,
  );
  assert.throws(() => parseExitList('trace,'), /unknown exit ""/u);
});
