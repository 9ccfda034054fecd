import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRegistry, gate, hook, HookError, waterfall } from '../../src/core/index.ts';
import type { TraceRecord } from '../../src/exits/sinks.ts';
import { formatTrace, traceColors } from '../../src/exits/trace-line.ts';
import { trace } from '../../src/exits/trace.ts';
import { call, ctx, fakeClock } from './helpers.ts';

const isInvalid = (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG';

test('a hook fire becomes one record with time, site, event and summarised args', () => {
  const registry = createRegistry();
  const h = hook<[string, { id: number }]>('trace:fire', { registry });
  const records: TraceRecord[] = [];
  const t = trace({ sink: { callback: (r) => records.push(r) }, now: () => 1234 });
  h.register(t.forHook(h), { armed: true });
  h.fire('a', { id: 1 });
  assert.deepEqual(records, [{ time: 1234, site: 'trace:fire', event: 'fire', args: ['a', { id: 1 }] }]);
  assert.deepEqual(t.report(), { type: 'trace', faults: 0, sites: { 'trace:fire': { hits: 1, errors: 0, recorded: 1, lost: 0, faults: 0 } } });
});

test('a hook with declared argument names gets args keyed by name', () => {
  const registry = createRegistry();
  const h = hook<[string, number]>('trace:named', { registry, args: ['path', 'mode'] });
  const records: TraceRecord[] = [];
  const t = trace({ sink: { callback: (r) => records.push(r) } });
  h.register(t.forHook(h), { armed: true });
  h.fire('/x', 0o644);
  assert.deepEqual(records[0]?.args, { path: '/x', mode: 0o644 });
});

test('a probed call becomes one record at completion, with result and duration', () => {
  const records: TraceRecord[] = [];
  const clock = fakeClock(100);
  const t = trace({ sink: { callback: (r) => records.push(r) }, clock: clock.clock, now: () => 5000 });
  const h = t.forProbe();
  const c = ctx('probe:lib#add', [1, 2]);
  h.onEnter(c);
  assert.equal(records.length, 0, 'nothing is written before the call completes');
  clock.advance(2.5);
  assert.equal(h.onLeave(c, 3), undefined);
  assert.deepEqual(records, [{ time: 5000, site: 'probe:lib#add', event: 'call', args: [1, 2], result: 3, durationMs: 2.5, async: false }]);
});

test('a probed call that throws is recorded with the error name and message, and counted', () => {
  const records: TraceRecord[] = [];
  const t = trace({ sink: { callback: (r) => records.push(r) } });
  const { leaveReturn } = call(t.forProbe(), 'probe:lib#fail', ['x'], { error: new RangeError('too big') });
  assert.equal(leaveReturn, undefined);
  assert.deepEqual(records[0]?.error, { name: 'RangeError', message: 'too big' });
  assert.equal('result' in (records[0] as object), false);
  const report = t.report();
  assert.equal(report.type, 'trace');
  assert.equal(report.sites['probe:lib#fail']?.errors, 1);
});

test('args are summarised at entry: later mutation by the callee does not show', () => {
  const records: TraceRecord[] = [];
  const t = trace({ sink: { callback: (r) => records.push(r) } });
  const arg = { n: 1 };
  call(t.forProbe(), 'probe:m#f', [arg], { result: null }, () => {
    arg.n = 2;
  });
  assert.deepEqual(records[0]?.args, [{ n: 1 }]);
});

test('a completion after the entry turn is marked async', async () => {
  const records: TraceRecord[] = [];
  const t = trace({ sink: { callback: (r) => records.push(r) } });
  const h = t.forProbe();
  const c = ctx('probe:m#later', []);
  h.onEnter(c);
  await Promise.resolve();
  h.onLeave(c, 'done');
  assert.equal(records[0]?.async, true);
});

test('sampling every N records the 1st, N+1th, … hit of each site', () => {
  const registry = createRegistry();
  const a = hook<[number]>('trace:a', { registry });
  const b = hook<[number]>('trace:b', { registry });
  const records: TraceRecord[] = [];
  const t = trace({ every: 3, sink: { callback: (r) => records.push(r) } });
  a.register(t.forHook(a), { armed: true });
  b.register(t.forHook(b), { armed: true });
  for (let i = 1; i <= 7; i++) a.fire(i);
  b.fire(100);
  assert.deepEqual(
    records.map((r) => [r.site, (r.args as number[])[0]]),
    [
      ['trace:a', 1],
      ['trace:a', 4],
      ['trace:a', 7],
      ['trace:b', 100],
    ],
  );
  const report = t.report();
  assert.equal(report.sites['trace:a']?.hits, 7);
  assert.equal(report.sites['trace:a']?.recorded, 3);
});

test('sampling by rate uses the random source; rate 0 records nothing', () => {
  const records: TraceRecord[] = [];
  const draws = [0.1, 0.9, 0.49, 0.5];
  const t = trace({ rate: 0.5, random: () => draws.shift() ?? 1, sink: { callback: (r) => records.push(r) } });
  const h = t.forProbe();
  for (let i = 0; i < 4; i++) call(h, 'probe:r#f', [i], { result: i });
  assert.deepEqual(
    records.map((r) => r.result),
    [0, 2],
  );
  const none = trace({ rate: 0, sink: { callback: () => assert.fail('rate 0 must not record') } });
  for (let i = 0; i < 10; i++) call(none.forProbe(), 'probe:r#g', [], { result: 1 });
  assert.equal(none.report().sites['probe:r#g']?.hits, 10);
});

test('a file sink writes JSON lines that parse back to the records', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookwire-trace-'));
  try {
    const file = join(dir, 'trace.jsonl');
    const registry = createRegistry();
    const h = hook<[string]>('trace:file', { registry });
    const t = trace({ sink: { file } });
    h.register(t.forHook(h), { armed: true });
    h.fire('one');
    h.fire('two\nlines "quoted"');
    call(t.forProbe(), 'probe:f#g', [{ a: { b: { c: { d: 1 } } } }], { result: [1, 2] });
    t.close();
    t.close(); // idempotent
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 3);
    const parsed = lines.map((l) => JSON.parse(l) as TraceRecord);
    assert.deepEqual(
      parsed.map((r) => r.args),
      [['one'], ['two\nlines "quoted"'], [{ a: { b: { c: '[Object]' } } }]],
    );
    assert.deepEqual(parsed[2]?.result, [1, 2]);
    h.fire('after close');
    assert.equal(readFileSync(file, 'utf8').trimEnd().split('\n').length, 3, 'nothing is written after close');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file sink flushes on its own 100 ms after a record, without close', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const dir = mkdtempSync(join(tmpdir(), 'hookwire-trace-'));
  try {
    const file = join(dir, 'timed.jsonl');
    const tr = trace({ sink: { file } });
    call(tr.forProbe(), 'probe:t#f', [1], { result: 1 });
    assert.equal(readFileSync(file, 'utf8'), '', 'buffered at first');
    t.mock.timers.tick(100);
    assert.equal(readFileSync(file, 'utf8').trimEnd().split('\n').length, 1);
    tr.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file sink is flushed when the process exits without close', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookwire-trace-'));
  try {
    const file = join(dir, 'exit.jsonl');
    const script = [
      `import { trace } from ${JSON.stringify(new URL('../../src/exits/trace.ts', import.meta.url).href)};`,
      `const t = trace({ sink: { file: ${JSON.stringify(file)} } });`,
      `const h = t.forProbe();`,
      `for (let i = 0; i < 3; i++) { const c = { args: [i], hook: 'probe:exit#f', data: {} }; h.onEnter(c); h.onLeave(c, i); }`,
      `process.exit(0);`,
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as TraceRecord).result),
      [0, 1, 2],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file sink that cannot be opened fails at creation with ERR_INVALID_ARG', () => {
  assert.throws(
    () => trace({ sink: { file: '/nonexistent-dir-hookwire/x.jsonl' } }),
    (e: unknown) => isInvalid(e) && /cannot open trace file/.test((e as Error).message),
  );
});

test('stderr sink: text lines by default, JSON with format json', (t) => {
  const written: string[] = [];
  t.mock.method(process.stderr, 'write', (chunk: string) => {
    written.push(chunk);
    return true;
  });
  const text = trace({ now: () => Date.UTC(2026, 0, 1, 12, 0, 0, 5) });
  call(text.forProbe(), 'probe:s#f', [1], { result: 2 });
  const json = trace({ format: 'json' });
  call(json.forProbe(), 'probe:s#g', ['a'], { result: 'b' });
  t.mock.restoreAll();
  assert.equal(written.length, 2);
  assert.match(written[0] ?? '', /^12:00:00\.005 probe:s#f \(1\) → 2 \d+\.\d{3}ms\n$/);
  const rec = JSON.parse(written[1] ?? '') as TraceRecord;
  assert.equal(rec.site, 'probe:s#g');
  assert.deepEqual(rec.args, ['a']);
});

test('formatTrace formats fires, results, errors and async completions', () => {
  const base = { time: Date.UTC(2026, 0, 1, 0, 0, 1), site: 'fs:open' };
  assert.equal(formatTrace({ ...base, event: 'fire', args: ['a'] }), '00:00:01.000 fs:open ("a")');
  assert.equal(
    formatTrace({ ...base, event: 'call', args: [], error: { name: 'E', message: 'm' }, durationMs: 1, async: true }),
    '00:00:01.000 fs:open () threw E: m 1.000ms async',
  );
  assert.equal(
    formatTrace({ ...base, event: 'call', args: [1, 'x'], result: { ok: true }, durationMs: 0.25 }),
    '00:00:01.000 fs:open (1, "x") → {"ok":true} 0.250ms',
  );
  const red = formatTrace({ ...base, event: 'call', args: [], error: { name: 'E', message: 'm' } }, traceColors(true));
  assert.match(red, /\x1b\[31mthrew E: m\x1b\[39m/);
});

test('a callback that throws is contained and counted as a fault', () => {
  const registry = createRegistry();
  const h = hook<[number]>('trace:boom', { registry });
  const t = trace({
    sink: {
      callback: () => {
        throw new Error('sink broke');
      },
    },
  });
  h.register(t.forHook(h), { armed: true });
  assert.doesNotThrow(() => h.fire(1));
  const handlers = t.forProbe();
  assert.doesNotThrow(() => call(handlers, 'probe:b#f', [], { result: 1 }));
  const report = t.report();
  assert.equal(report.sites['trace:boom']?.faults, 1);
  assert.equal(report.sites['trace:boom']?.recorded, 0, 'a record the sink refused is not counted as recorded');
  assert.equal(report.sites['trace:boom']?.lost, 1, 'but as lost');
  assert.equal(report.sites['probe:b#f']?.faults, 1);
  assert.equal(report.faults, 2);
});

test('trace exits never steer: gates and waterfalls behave as if it were absent', () => {
  const registry = createRegistry();
  const g = gate<[number], string>('trace:gate', { registry });
  const w = waterfall<[number]>('trace:waterfall', { registry });
  const t = trace({ sink: { callback: () => undefined } });
  g.register(t.forHook(g), { armed: true, order: 'first' });
  g.register(() => 'from the real exit', { armed: true });
  w.register(t.forHook(w), { armed: true, order: 'first' });
  w.register((n) => n + 1, { armed: true });
  assert.equal(g.fire(1), 'from the real exit');
  assert.equal(w.fire(1), 2);
});

test('bad options throw ERR_INVALID_ARG', () => {
  const bad: unknown[] = [
    { every: 0 },
    { every: 1.5 },
    { rate: 2 },
    { rate: Number.NaN },
    { format: 'xml' },
    { sink: 'stdout' },
    { sink: { file: '' } },
    { sink: { callback: 'no' } },
    { sink: { file: 'a', callback: () => 1 } },
    { limits: { depth: -1 } },
    { random: 3 },
    { clock: 'now' },
    { evry: 2 },
    'trace',
  ];
  for (const options of bad) assert.throws(() => trace(options as never), isInvalid, JSON.stringify(options));
});

test('a trace file whose flush fails (/dev/full) counts every buffered record as lost, not recorded', () => {
  const registry = createRegistry();
  const h = hook<[number]>('trace:full', { registry });
  const t = trace({ sink: { file: '/dev/full' } });
  h.register(t.forHook(h), { armed: true });
  for (let i = 0; i < 4; i++) h.fire(i);
  assert.equal(t.report().sites['trace:full']?.recorded, 4, 'buffered');
  assert.doesNotThrow(() => t.close());
  assert.deepEqual(t.report().sites['trace:full'], { hits: 4, errors: 0, recorded: 0, lost: 4, faults: 0 });
});
