import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createRegistry, hook, HookError } from '../../src/core/index.ts';
import { observerFromSpec, type TraceRecord } from '../../src/exits/index.ts';
import { call } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'hookwire-spec-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('bare type names and JSON text make observers', () => {
  assert.equal(observerFromSpec('count').type, 'count');
  assert.equal(observerFromSpec('latency').type, 'latency');
  assert.equal(observerFromSpec(' {"type":"count"} ').type, 'count');
  assert.equal(observerFromSpec({ type: 'assert', predicate: { arg: 0, op: 'exists' } }).type, 'assert');
});

test('a trace spec with every and a default callback sink', () => {
  const records: TraceRecord[] = [];
  const registry = createRegistry();
  const h = hook<[number]>('spec:trace', { registry });
  const t = observerFromSpec('{"type":"trace","every":2,"limits":{"string":3}}', { sink: { callback: (r) => records.push(r) } });
  h.register(t.forHook(h), { armed: true });
  h.fire(1);
  h.fire(2);
  h.fire(3);
  assert.deepEqual(
    records.map((r) => r.args),
    [[1], [3]],
  );
  call(t.forProbe(), 'probe:s#f', ['abcdef'], { result: 1 });
  assert.deepEqual(records[2]?.args, ['abc… (6 chars)'], 'the spec limits apply');
});

test('default limits apply under the spec limits', () => {
  const records: TraceRecord[] = [];
  const t = observerFromSpec({ type: 'trace', limits: { items: 1 } }, { sink: { callback: (r) => records.push(r) }, limits: { string: 2, items: 5 } });
  call(t.forProbe(), 'probe:s#g', ['abc', 'def'], { result: 1 });
  assert.deepEqual(records[0]?.args, ['ab… (3 chars)', '[… 1 more]']);
});

test('a trace spec naming a file writes JSON lines there', () => {
  const file = join(dir, 't.jsonl');
  const t = observerFromSpec({ type: 'trace', sink: { file } });
  call(t.forProbe(), 'probe:s#h', [1], { result: 2 });
  t.close();
  assert.equal((JSON.parse(readFileSync(file, 'utf8')) as TraceRecord).result, 2);
});

test('an assert spec takes its capture directory from the spec or the defaults', () => {
  const fromDefaults = observerFromSpec({ type: 'assert', predicate: { arg: 0, op: 'exists' } }, { captureDir: join(dir, 'defaults') });
  call(fromDefaults.forProbe(), 'probe:s#a', [], { result: 1 });
  const report = fromDefaults.report();
  assert.equal(report.type, 'assert');
  assert.ok(report.type === 'assert' && report.sites['probe:s#a']?.captured?.startsWith(join(dir, 'defaults')));
});

test('allowFiles: false refuses file paths in specs', () => {
  const no = { allowFiles: false };
  assert.throws(() => observerFromSpec({ type: 'trace', sink: { file: join(dir, 'x') } }, no), /file paths are not allowed/);
  assert.throws(() => observerFromSpec({ type: 'assert', predicate: { arg: 0, op: 'exists' }, captureDir: dir }, no), /file paths are not allowed/);
  assert.equal(observerFromSpec({ type: 'trace', sink: 'stderr' }, no).type, 'trace');
});

test('every bad spec throws ERR_INVALID_ARG with a clear message', () => {
  const cases: [unknown, RegExp][] = [
    [undefined, /must be an object like \{"type":"trace"\}/],
    [42, /must be an object/],
    [['count'], /must be an object/],
    ['{"type":', /not valid JSON/],
    ['tracer', /"type" must be one of trace, count, latency, assert, span, publish, got "tracer"/],
    [{ type: 'toString' }, /"type" must be one of/],
    [{}, /"type" must be one of/],
    ['assert', /needs a predicate/],
    [{ type: 'assert' }, /needs a "predicate"/],
    [{ type: 'assert', predicate: { arg: 0, op: '===', value: 1 } }, /predicate\.op/],
    [{ type: 'count', every: 2 }, /unknown field "every" in a count spec \(allowed: type, budget\)/],
    [{ type: 'trace', every: 0 }, /"every" must be an integer/],
    [{ type: 'trace', rate: 1.5 }, /"rate" must be a number from 0 to 1/],
    [{ type: 'trace', sink: 'stdout' }, /"sink" must be "stderr", \{"file": path\} or \{"chrome": path\}/],
    [{ type: 'trace', sink: { callback: 'x' } }, /"sink" must be "stderr", \{"file": path\} or \{"chrome": path\}/],
    [{ type: 'trace', limits: { depth: 'x' } }, /trace spec "limits".depth/],
    [{ type: 'trace', format: 'yaml' }, /"format" must be "text" or "json"/],
    ['x'.repeat(70_000), /limited to 65536 characters/],
  ];
  for (const [spec, message] of cases) {
    assert.throws(
      () => observerFromSpec(spec),
      (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG' && message.test(e.message),
      String(JSON.stringify(spec)).slice(0, 80),
    );
  }
});

test('bad defaults throw ERR_INVALID_ARG', () => {
  assert.throws(() => observerFromSpec('count', 5 as never), /spec defaults must be an object/);
  assert.throws(() => observerFromSpec('count', { sinc: 'stderr' } as never), /unknown spec default "sinc"/);
});
