// Chrome trace files (Trace Event Format): from the API (trace sink { chrome }) and from
// hookwire run/trace --format chrome --out FILE, valid JSON whatever ends the program.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRegistry, hook, HookError } from '../../src/core/index.ts';
import { attach, parseExitSpec, trace } from '../../src/exits/index.ts';
import type { Probe } from '../../src/probe/index.ts';
import { cli, root, runCli, tempDir, until } from '../control/helpers.ts';

const require = createRequire(import.meta.url);
const work = require('./fixtures/work.cjs') as { step(n: number): number; wait(ms: number): Promise<number>; fail(m: string): never };
const SPEC = './test/bridges/fixtures/work.cjs';
const busy = join(root, 'test/bridges/fixtures/busy.mjs');

interface Event {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args: Record<string, unknown>;
}
const events = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Event[];

test('trace({ sink: { chrome } }): complete events with ts/dur in µs, pid, tid, args; overlapping async calls on lanes', async () => {
  using tmp = tempDir();
  const file = join(tmp.path, 't.json');
  const registry = createRegistry();
  const t = trace({ sink: { chrome: file } });
  const probes = ['step', 'wait', 'fail'].map((name) => attach(t, `${SPEC}#${name}`, { registry }) as Probe);
  const h = hook<[string]>('app:mark', { registry, args: ['label'] });
  attach(t, h);
  // The file is an array from the start.
  assert.equal(events(file).filter((e) => e.ph !== 'M').length, 0);
  work.step(3);
  assert.throws(() => work.fail('no'), /no/u);
  h.fire('here');
  await Promise.all([work.wait(30), work.wait(20)]);
  for (const p of probes) p.remove();
  t.close();
  const all = events(file);
  const meta = all.filter((e) => e.ph === 'M');
  assert.deepEqual(
    meta.map((e) => [e.name, e.tid]),
    [
      ['process_name', 0],
      ['thread_name', 0],
      ['thread_name', 1000],
      ['thread_name', 1001],
    ],
  );
  const [step, fail, mark, ...waits] = all.filter((e) => e.ph !== 'M');
  assert.equal(step?.name, `probe:${SPEC}#step`);
  assert.equal(step?.ph, 'X');
  assert.equal(step?.pid, process.pid);
  assert.equal(step?.tid, 0);
  assert.deepEqual(step?.args, { args: [3], result: work.step(3) });
  assert.ok(Number.isInteger(step?.ts) && Number.isInteger(step?.dur));
  assert.ok(Math.abs(step.ts / 1000 - Date.now()) < 60_000, 'ts is wall-clock microseconds');
  assert.deepEqual(fail?.args['error'], { name: 'Error', message: 'no' });
  assert.equal(mark?.ph, 'i');
  assert.deepEqual(mark?.args, { args: { label: 'here' } });
  // The two waits overlap in time: each has a lane (a thread in the viewer) of its own.
  assert.equal(waits.length, 2);
  assert.deepEqual(waits.map((e) => e.tid).sort(), [1000, 1001]);
  for (const w of waits) {
    assert.equal(w.args['async'], true);
    assert.ok(w.dur! >= 15_000, `an awaited call lasts its wait (${w.dur} µs)`);
  }
});

test('chrome sinks in specs and their errors', () => {
  assert.deepEqual(parseExitSpec({ type: 'trace', sink: { chrome: '/tmp/x.json' } }), { type: 'trace', sink: { chrome: '/tmp/x.json' } });
  const invalid = (e: unknown) => e instanceof HookError && e.code === 'ERR_INVALID_ARG';
  assert.throws(() => parseExitSpec({ type: 'trace', sink: { chrome: 1 } }), invalid);
  assert.throws(() => trace({ sink: { chrome: '' } }), invalid);
  assert.throws(() => trace({ sink: { chrome: '/no/such/dir/t.json' } }), invalid);
});

test('--format chrome without --out, or unknown, is a usage error', async () => {
  for (const [args, pattern] of [
    [['run', '--format', 'chrome', '--', busy], /--format chrome writes a file: give it with --out FILE\.json/u],
    [['trace', '--format', 'chrome', `${SPEC}#step`, '--', busy], /--format chrome writes a file/u],
    [['run', '--format', 'xml', '--out', 'x', '--', busy], /--format must be jsonl or chrome, got "xml"/u],
  ] as const) {
    const r = await runCli([...args]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, pattern);
  }
});

async function runBusy(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [cli, ...args, '--', busy], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const closed = new Promise<{ code: number | null; signal: string | null }>((r) => child.on('close', (code, signal) => r({ code, signal })));
  await until(() => stdout.includes('busy: ready'), 'the program to be busy');
  return { child, closed, out: () => stdout, err: () => stderr };
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`hookwire run --format chrome: ended by ${signal}, the file is valid JSON and holds every traced call`, async () => {
    using tmp = tempDir();
    const file = join(tmp.path, 'run.json');
    const run = await runBusy(['run', '--json', '--format', 'chrome', '--out', file, '--probe', `${SPEC}#step=trace`, '--probe', `${SPEC}#wait=trace`], {
      HOOKWIRE_RUNTIME_DIR: tmp.path,
    });
    run.child.kill(signal);
    const end = await run.closed;
    assert.equal(end.signal, signal, run.err());
    const summary = JSON.parse(run.out().trim().split('\n').at(-1)!);
    const hits = Object.fromEntries(summary.sites.map((s: { site: string; hits: number }) => [s.site, s.hits]));
    const all = events(file);
    const count = (name: string) => all.filter((e) => e.ph === 'X' && e.name === name).length;
    assert.equal(count(`probe:${SPEC}#step`), hits[`probe:${SPEC}#step`]);
    // A wait still in flight when the signal came has a hit and no record yet.
    assert.ok(count(`probe:${SPEC}#wait`) >= hits[`probe:${SPEC}#wait`] - 1);
    assert.ok(count(`probe:${SPEC}#step`) >= 5);
  });
}

test('hookwire trace --format chrome: the program killed by SIGKILL still leaves a file that parses', async () => {
  using tmp = tempDir();
  const file = join(tmp.path, 'kill.json');
  const run = await runBusy(['trace', '--format', 'chrome', '--out', file, `${SPEC}#step`], { HOOKWIRE_RUNTIME_DIR: tmp.path });
  const pid = Number(/hookwire: pid (\d+)/u.exec(run.err())?.[1]);
  assert.ok(pid > 0, run.err());
  process.kill(pid, 'SIGKILL');
  await run.closed;
  const all = events(file);
  assert.ok(all.filter((e) => e.ph === 'X' && e.name === `probe:${SPEC}#step`).length >= 5);
});
