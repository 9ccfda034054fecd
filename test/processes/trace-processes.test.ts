// Trace records from several processes of one run: each forked process's records carry its pid
// (JSON `pid`, `[p1234]` in a text line), the first process's do not; several processes appending
// to one --out file never tear a line; a Chrome trace gets every process's events in one file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, spawnNode, tempDir } from '../control/helpers.ts';
import { formatTrace } from '../../src/exits/trace-line.ts';
import { fixtures, SITE, WORK } from './helpers.ts';

async function runWriters(args: string[], env: Record<string, string>): Promise<{ children: number[]; stderr: string }> {
  const child = spawnNode([cli, 'run', ...args, '--probe', `${WORK}=trace`, '--', join(fixtures, 'many-writers.cjs')], { NO_COLOR: '1', ...env }, 60_000);
  child.proc.stdin!.end();
  assert.equal(await child.exited, 0, child.stderr());
  const children = /children ([\d,]+)/u.exec(child.stdout())?.[1]?.split(',').map(Number);
  assert.ok(children !== undefined, child.stdout());
  return { children, stderr: child.stderr() };
}

test('--out: four processes appending at once; every line whole, each forked process tagged with its pid, exact counts', async () => {
  using dir = tempDir();
  const out = join(dir.path, 'trace.jsonl');
  const { children } = await runWriters(['--out', out], { CHILDREN: '3', CALLS: '1500' });
  const text = readFileSync(out, 'utf8');
  assert.ok(text.endsWith('\n'));
  const lines = text.slice(0, -1).split('\n');
  assert.equal(lines.length, 4 * 1500);
  const perPid = new Map<number | undefined, number[]>();
  for (const line of lines) {
    const record = JSON.parse(line) as { site: string; args: number[]; pid?: number };
    assert.equal(record.site, SITE);
    perPid.set(record.pid, [...(perPid.get(record.pid) ?? []), record.args[0]!]);
  }
  // The first process's records carry no pid; each child's carry its own, every call once, in order.
  assert.deepEqual([...perPid.keys()].sort(), [...children.sort(), undefined]);
  for (const calls of perPid.values())
    assert.deepEqual(
      calls,
      Array.from({ length: 1500 }, (_, i) => i),
    );
});

test('text lines on stderr: a forked process tags its lines [pPID], the first process does not', async () => {
  const { children, stderr } = await runWriters([], { CHILDREN: '1', CALLS: '3' });
  const lines = stderr.split('\n').filter((l) => l.includes(`${SITE} (`));
  assert.equal(lines.length, 6);
  assert.equal(lines.filter((l) => l.includes(`[p${children[0]}] ${SITE} (`)).length, 3);
  assert.equal(lines.filter((l) => /\[p\d+\]/u.test(l)).length, 3);
});

test('formatTrace: the process tag comes before the worker thread tag (a worker of a forked process)', () => {
  const line = formatTrace({ time: Date.UTC(2026, 0, 1, 12, 0, 0, 5), site: 'probe:x', event: 'call', args: [1], result: 2, pid: 4321, thread: 2 });
  assert.equal(line, '12:00:00.005 [p4321] [w2] probe:x (1) → 2');
  assert.equal(formatTrace({ time: Date.UTC(2026, 0, 1), site: 'probe:x', event: 'call', args: [], thread: 1 }), '00:00:00.000 [w1] probe:x ()');
});

test('--format chrome: each forked process writes its own part, folded into the one file at the end', async () => {
  using dir = tempDir();
  const out = join(dir.path, 'trace.json');
  const { children } = await runWriters(['--format', 'chrome', '--out', out], { CHILDREN: '2', CALLS: '20' });
  const events = JSON.parse(readFileSync(out, 'utf8')) as { ph: string; pid: number; name: string }[];
  const calls = new Map<number, number>();
  for (const e of events) if (e.ph === 'X') calls.set(e.pid, (calls.get(e.pid) ?? 0) + 1);
  assert.equal(calls.size, 3);
  for (const pid of children) assert.equal(calls.get(pid), 20);
  // Every process names itself; no part is left beside the file.
  assert.equal(new Set(events.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => e.pid)).size, 3);
  assert.deepEqual(readdirSync(dir.path), ['trace.json']);
});

test('a worker thread of a forked process: its records carry both the pid and the thread', async () => {
  using dir = tempDir();
  const out = join(dir.path, 'trace.jsonl');
  const child = spawnNode([cli, 'run', '--out', out, '--probe', `${WORK}=trace`, '--', join(fixtures, 'child-worker.cjs')], {}, 60_000);
  child.proc.stdin!.end();
  assert.equal(await child.exited, 0, child.stderr());
  const forked = Number(/child (\d+)/u.exec(child.stdout())?.[1]);
  const records = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { args: number[]; pid?: number; thread?: number });
  assert.deepEqual(
    records.map((r) => [r.args[0], r.pid, r.thread]).sort((a, b) => a[0]! - b[0]!),
    [
      [1, undefined, undefined],
      [2, forked, undefined],
      [3, forked, records.find((r) => r.args[0] === 3)?.thread],
    ],
  );
  assert.ok((records.find((r) => r.args[0] === 3)?.thread ?? 0) > 0);
});
