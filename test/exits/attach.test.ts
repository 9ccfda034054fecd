import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createRegistry, hook, HookError, type Exit } from '../../src/core/index.ts';
import { assert as assertExit, attach, count, latency, trace, type TraceRecord } from '../../src/exits/index.ts';
import { probe, type Probe } from '../../src/probe/index.ts';

const require = createRequire(import.meta.url);
const lib = require('./fixtures/lib.cjs') as {
  add(a: number, b: number): number;
  fail(message: string): never;
  later<T>(value: T, ms: number): Promise<T>;
  rejectLater(message: string): Promise<never>;
};
const SPEC = './test/exits/fixtures/lib.cjs'; // probe specs resolve against the cwd: the repo root
const dir = mkdtempSync(join(tmpdir(), 'hookwire-attach-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const isInvalid = (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG';

test('attach to a hook registers an armed exit named after the observer', () => {
  const registry = createRegistry();
  const h = hook<[number]>('attach:h', { registry });
  const c = count();
  const exit = attach(c, h) as Exit;
  assert.equal(exit.armed, true);
  assert.match(exit.name, /^count#\d+$/);
  h.fire(1);
  exit.disarm();
  h.fire(2);
  assert.equal(c.report().sites['attach:h']?.hits, 1);
  const named = attach(count(), h, { name: 'mine', armed: false, order: 'last' }) as Exit;
  assert.equal(named.name, 'mine');
  assert.equal(named.armed, false);
  assert.equal(named.order, 'last');
});

test('attach to a probe spec probes the function; results and errors are unchanged', () => {
  const records: TraceRecord[] = [];
  const t = trace({ sink: { callback: (r) => records.push(r) } });
  const original = lib.add;
  const p = attach(t, `${SPEC}#add`) as Probe;
  assert.notEqual(lib.add, original, 'the probe wraps the export');
  try {
    assert.equal(p.status, 'attached');
    assert.equal(lib.add(2, 3), 5);
    assert.throws(() => lib.fail('no'), TypeError);
    assert.equal(records.length, 1);
    assert.equal(records[0]?.site, p.hook);
    assert.deepEqual(records[0]?.args, [2, 3]);
    assert.equal(records[0]?.result, 5);
    assert.equal(records[0]?.async, false);
  } finally {
    p.remove();
  }
  assert.equal(lib.add, original, 'removal restores the original');
});

test('real probes: trace records a thrown error and keeps it', () => {
  const records: TraceRecord[] = [];
  const p = attach(trace({ sink: { callback: (r) => records.push(r) } }), `${SPEC}#fail`) as Probe;
  try {
    assert.throws(() => lib.fail('bad input'), { name: 'TypeError', message: 'bad input' });
    assert.deepEqual(records[0]?.error, { name: 'TypeError', message: 'bad input' });
  } finally {
    p.remove();
  }
});

test('real probes: latency of an async function runs until it settles', async () => {
  const l = latency();
  const p = attach(l, `${SPEC}#later`) as Probe;
  try {
    assert.equal(await lib.later('v', 30), 'v');
  } finally {
    p.remove();
  }
  const site = l.report().sites[p.hook];
  assert.equal(site?.count, 1);
  assert.ok((site?.p50Ms ?? 0) >= 25, `p50 ${site?.p50Ms} covers the 30 ms await`);
});

test('real probes: trace marks async completions and rejections', async () => {
  const records: TraceRecord[] = [];
  const t = trace({ sink: { callback: (r) => records.push(r) } });
  const p1 = attach(t, `${SPEC}#later`) as Probe;
  const p2 = attach(t, `${SPEC}#rejectLater`) as Probe;
  try {
    assert.equal(await lib.later(7, 1), 7);
    await assert.rejects(lib.rejectLater('nope'), { name: 'RangeError', message: 'nope' });
  } finally {
    p1.remove();
    p2.remove();
  }
  assert.deepEqual(
    records.map((r) => [r.result ?? r.error?.name, r.async]),
    [
      [7, true],
      ['RangeError', true],
    ],
  );
  assert.equal(t.report().sites[p2.hook]?.errors, 1);
});

test('real probes: several observers on one function, each reporting under the probe hook name', () => {
  const target = { mul: (a: number, b: number) => a * b };
  const c = count();
  const l = latency();
  const a = assertExit({ predicate: { result: true, op: '<', value: 100 }, captureDir: dir });
  const probes = [c, l, a].map((o) => probe(target, 'mul', o.forProbe()));
  try {
    assert.equal(target.mul(3, 4), 12);
    assert.equal(target.mul(30, 40), 1200);
  } finally {
    for (const p of probes) p.remove();
  }
  const hookName = probes[0]?.hook ?? '';
  assert.equal(c.report().sites[hookName]?.hits, 2);
  assert.equal(l.report().sites[hookName]?.count, 2);
  const site = a.report().sites[hookName];
  assert.equal(site?.failures, 1);
  const captured = JSON.parse(readFileSync(site?.captured ?? '', 'utf8')) as { args: unknown; result: unknown; registry: { hooks: { name: string }[] } };
  assert.deepEqual(captured.args, [30, 40]);
  assert.equal(captured.result, 1200);
  assert.ok(
    captured.registry.hooks.some((h) => h.name === hookName),
    'the snapshot lists the probed function',
  );
});

test('observers never count as probe faults', () => {
  const target = { f: (x: unknown) => x };
  const t = trace({
    sink: {
      callback: () => {
        throw new Error('sink down');
      },
    },
  });
  const p = probe(target, 'f', t.forProbe());
  try {
    assert.equal(target.f('same'), 'same');
  } finally {
    p.remove();
  }
  assert.equal(p.stats.faults, 0, 'the handler contained its own fault');
  assert.equal(t.report().faults, 1);
});

test('bad arguments throw ERR_INVALID_ARG; probe-layer errors pass through', () => {
  const registry = createRegistry();
  const h = hook('attach:bad', { registry });
  assert.throws(() => attach({} as never, h), isInvalid);
  assert.throws(() => attach(count(), 42 as never), isInvalid);
  assert.throws(() => attach(count(), h, { armed: 'yes' } as never), isInvalid);
  assert.throws(() => attach(count(), h, { colour: 'red' } as never), isInvalid);
  assert.throws(() => attach(count(), h, { registry }), isInvalid);
  assert.throws(
    () => attach(count(), `${SPEC}#nothingHere`),
    (e: unknown) => e instanceof HookError,
  );
  assert.throws(
    () => attach(count(), './no/such/module.cjs#f'),
    (e: unknown) => e instanceof HookError && e.code === 'ERR_MODULE_NOT_FOUND',
  );
});
