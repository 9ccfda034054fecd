// Transparency: counting probes on every exported function and method of four real libraries
// (semver, yaml, qs: CommonJS; marked: ESM) change no result and no thrown error of a fixed
// workload, every library's probes are hit, and removal gives every original back.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('probing every export of semver, yaml, qs and marked changes nothing', () => {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', '--import', './test/setup.ts', '--import', './src/probe/register.ts', 'test/fixtures/probe-transparency/run.mjs'],
    { cwd: root, encoding: 'utf8' },
  );
  const r = JSON.parse(out.trim().split('\n').pop()!) as {
    probes: number;
    pending: string[];
    markedBySpec: number;
    skipped: string[];
    counts: Record<string, number>;
    faults: number;
    missed: number;
    restored: boolean;
    identity: boolean;
    workload: number;
    thrown: number;
    sameDuring: boolean;
    sameAfter: boolean;
    diff: unknown[];
  };
  assert.deepEqual(r.diff, []);
  assert.equal(r.sameDuring, true, 'results and errors with probes equal those without');
  assert.equal(r.sameAfter, true, 'and after removal');
  assert.ok(r.probes > 300, `probed ${r.probes} functions`);
  assert.deepEqual(r.skipped, []);
  assert.deepEqual(r.pending, [], 'every probe attached');
  assert.ok(r.markedBySpec >= 5, `marked's ES module exports probed by spec through their bindings (${r.markedBySpec})`);
  for (const lib of ['semver', 'yaml', 'qs', 'marked']) assert.ok((r.counts[lib] ?? 0) > 0, `${lib} probes were hit`);
  assert.ok(r.thrown >= 2, 'the workload includes calls that throw');
  assert.equal(r.faults, 0);
  assert.equal(r.restored, true);
  assert.equal(r.identity, true, 'every original is back by identity');
});
