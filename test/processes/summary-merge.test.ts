// The summary of a run over several processes (src/control/summary.ts siteRows): a site's row
// adds hits, faults and missed calls over processes, reads its percentiles from the processes'
// distributions summed (never averaged), and lists each process apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Histogram } from '../../src/exits/histogram.ts';
import { cumulativeOf } from '../../src/control/threads/distribution.ts';
import type { AttachmentInfo } from '../../src/control/protocol.ts';
import { siteRows, type AgentSummary } from '../../src/control/summary.ts';

const TARGET = 'lib.cjs#work';

function latency(samples: number[], missed = 0, faults = 0): { attachment: AttachmentInfo; histogram: Histogram } {
  const h = new Histogram();
  for (const s of samples) h.record(s);
  const n = samples.length;
  const attachment: AttachmentInfo = {
    name: 'latency:work',
    target: TARGET,
    kind: 'probe',
    type: 'latency',
    exit: { type: 'latency' },
    status: 'attached',
    armed: true,
    stats: { hits: n, faults, missed },
    report: {
      type: 'latency',
      faults: 0,
      sites: {
        [`probe:${TARGET}`]: {
          hits: n,
          faults: 0,
          errors: 0,
          count: n,
          settled: 0,
          p50Ms: h.percentile(50),
          p90Ms: h.percentile(90),
          p99Ms: h.percentile(99),
          maxMs: h.max,
          minMs: h.min,
          meanMs: h.mean,
        },
      },
    },
  };
  return { attachment, histogram: h };
}

function summary(
  pid: number,
  samples: number[],
  options: { first?: boolean; missed?: number; faults?: number; distribution?: boolean } = {},
): AgentSummary {
  const { attachment, histogram } = latency(samples, options.missed, options.faults);
  return {
    pid,
    ppid: 1,
    first: options.first === true,
    argv: [],
    startedAt: pid,
    endedAt: pid + 1,
    exitCode: 0,
    attachments: [attachment],
    distributions: options.distribution === false ? {} : { [attachment.name]: [cumulativeOf(histogram)!] },
    registry: { hooks: [] } as unknown as AgentSummary['registry'],
    problems: [],
  };
}

test('hits, faults and missed calls add up over processes; each process is listed apart, the first marked', () => {
  const rows = siteRows([summary(10, [1, 1], { first: true, missed: 1 }), summary(11, [2, 2, 2], { faults: 2 }), summary(12, [3], { missed: 4 })]);
  assert.equal(rows.length, 1);
  const [row] = rows;
  assert.deepEqual([row!.site, row!.kind, row!.hits, row!.faults, row!.missed, row!.timing], [`probe:${TARGET}`, 'probe', 6, 2, 5, 'returned']);
  assert.deepEqual(
    row!.processes!.map((p) => [p.pid, p.first === true, p.hits, p.faults, p.missed]),
    [
      [10, true, 2, 0, 1],
      [11, false, 3, 2, 0],
      [12, false, 1, 0, 4],
    ],
  );
});

test('percentiles over processes come from their summed distributions, not from an average of theirs', () => {
  const fast = Array.from({ length: 900 }, (_, i) => 0.1 + (i % 10) * 0.01);
  const slow = Array.from({ length: 100 }, (_, i) => 50 + i);
  const [row] = siteRows([summary(20, fast, { first: true }), summary(21, slow)]);
  const all = new Histogram();
  for (const s of [...fast, ...slow]) all.record(s);
  for (const [got, p] of [
    [row!.p50Ms, 50],
    [row!.p99Ms, 99],
  ] as const) {
    const want = all.percentile(p)!;
    assert.ok(got !== null && Math.abs(got - want) <= Math.max(0.001, want / 100), `p${p}: ${got} vs ${want}`);
  }
  // Each process keeps its own.
  assert.deepEqual(
    row!.processes!.map((p) => p.p99Ms),
    [latency(fast).histogram.percentile(99), latency(slow).histogram.percentile(99)],
  );
});

test('one process only: no process list, its own percentiles; a process without its distribution leaves the merged ones out', () => {
  const [alone] = siteRows([summary(30, [1, 2, 3], { first: true })]);
  assert.equal(alone!.processes, undefined);
  assert.equal(alone!.p50Ms, 2);
  const [partial] = siteRows([summary(31, [1, 2], { first: true }), summary(32, [5, 6], { distribution: false })]);
  assert.equal(partial!.hits, 4);
  assert.equal(partial!.p50Ms, null);
  assert.equal(partial!.p99Ms, null);
});

test('a site pending in one process and attached in another is attached; the pending process is listed as such', () => {
  const pending: AgentSummary = { ...summary(40, [], { first: true }) };
  pending.attachments = [{ ...pending.attachments[0]!, status: 'pending', stats: { hits: 0, faults: 0, missed: 0 }, report: null }];
  const [row] = siteRows([pending, summary(41, [1, 1])]);
  assert.equal(row!.kind, 'probe');
  assert.equal(row!.hits, 2);
  assert.deepEqual(
    row!.processes!.map((p) => [p.pid, p.kind]),
    [
      [40, 'pending'],
      [41, 'probe'],
    ],
  );
});
