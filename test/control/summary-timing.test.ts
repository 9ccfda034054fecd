// The summary says what a row's durations measure: until the call returned, until its promise
// settled, or a mix of both.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttachmentInfo } from '../../src/control/protocol.ts';
import { siteRows, type AgentSummary } from '../../src/control/summary.ts';

function latencyAttachment(target: string, count: number, settled: number): AttachmentInfo {
  const p = count === 0 ? null : 1;
  return {
    name: `latency:${target}`,
    target,
    kind: 'probe',
    type: 'latency',
    exit: { type: 'latency' },
    status: 'attached',
    armed: true,
    stats: { hits: count, faults: 0, missed: 0 },
    report: {
      type: 'latency',
      faults: 0,
      sites: {
        [`probe:${target}`]: { hits: count, faults: 0, errors: 0, count, settled, p50Ms: p, p90Ms: p, p99Ms: p, maxMs: p, minMs: p, meanMs: p },
      },
    },
  };
}

function summary(attachments: AttachmentInfo[]): AgentSummary {
  const registry = { hooks: [] } as unknown as AgentSummary['registry'];
  return { pid: 1, argv: [], startedAt: 0, endedAt: 0, exitCode: 0, attachments, registry, problems: [] };
}

test('each row says which timing its durations use', () => {
  const rows = siteRows([
    summary([
      latencyAttachment('undici#request', 4, 4),
      latencyAttachment('semver#valid', 3, 0),
      latencyAttachment('lib#both', 5, 2),
      latencyAttachment('lib#idle', 0, 0),
    ]),
  ]);
  assert.deepEqual(
    rows.map((r) => [r.site, r.timing]),
    [
      ['probe:undici#request', 'settled'],
      ['probe:semver#valid', 'returned'],
      ['probe:lib#both', 'mixed'],
      ['probe:lib#idle', null],
    ],
  );
});
