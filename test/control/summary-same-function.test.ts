// One function probed through two names (`Server.prototype.emit` and `EventEmitter.prototype.emit`)
// is one probe site: the summary says the rows are one function instead of showing two counts
// that look separate.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttachmentInfo } from '../../src/control/protocol.ts';
import { sameFunctionNotes, siteRows, type AgentSummary } from '../../src/control/summary.ts';
import { runCli } from './helpers.ts';

function countAttachment(target: string, hook: string, hits: number): AttachmentInfo {
  return {
    name: `count:${target}`,
    target,
    kind: 'probe',
    type: 'count',
    exit: { type: 'count' },
    status: 'attached',
    armed: true,
    stats: { hits, faults: 0, missed: 0 },
    report: { type: 'count', faults: 0, sites: { [hook]: { hits, faults: 0, errors: 0 } } },
  };
}

function summary(attachments: AttachmentInfo[]): AgentSummary {
  const registry = { hooks: [] } as unknown as AgentSummary['registry'];
  return { pid: 1, argv: [], startedAt: 0, endedAt: 0, exitCode: 0, attachments, registry, problems: [] };
}

test('rows whose probes landed on one function name each other', () => {
  const shared = 'probe:node:http#Server.prototype.emit';
  const rows = siteRows([
    summary([
      countAttachment('node:http#Server.prototype.emit', shared, 36),
      countAttachment('node:events#EventEmitter.prototype.emit', shared, 36),
      countAttachment('semver#valid', 'probe:semver#valid', 2),
    ]),
  ]);
  assert.deepEqual(
    rows.map((r) => [r.site, r.sameFunction]),
    [
      ['probe:node:http#Server.prototype.emit', ['probe:node:events#EventEmitter.prototype.emit']],
      ['probe:node:events#EventEmitter.prototype.emit', ['probe:node:http#Server.prototype.emit']],
      ['probe:semver#valid', undefined],
    ],
  );
  assert.deepEqual(sameFunctionNotes(rows), [
    'hookwire: probe:node:http#Server.prototype.emit and probe:node:events#EventEmitter.prototype.emit are one function: each row counts every call of it, through any of these names',
  ]);
});

test('hookwire run: two specs of one function → the summary says they are one function', async () => {
  const program = "const E = require('node:events'); new E().emit('x'); new E().emit('y');";
  const r = await runCli([
    'run',
    '--probe',
    'node:events#prototype.emit=count',
    '--probe',
    'node:events#EventEmitter.prototype.emit=count',
    '--',
    process.execPath,
    '-e',
    program,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^hookwire: probe:node:events#prototype\.emit and probe:node:events#EventEmitter\.prototype\.emit are one function/mu);
  const counts = [...r.stderr.matchAll(/^probe:node:events#\S+\s+(\d+)\s/gmu)].map((m) => Number(m[1]));
  assert.equal(counts.length, 2);
  assert.equal(counts[0], counts[1]);
  assert.ok(counts[0]! >= 2);
});
