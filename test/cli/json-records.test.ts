// --json means the same for trace and trace --pid: trace records are JSON lines (one record
// shape); when trace runs the program, the summary follows as one JSON line on stdout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, tempDir } from '../control/helpers.ts';

test('trace --json: records as JSON lines on stderr, the summary as JSON on stdout', async () => {
  using tmp = tempDir();
  const r = await runCli(['trace', '--json', 'semver#valid', '--', 'node', '-e', 'require("semver").valid("1.0.0")'], {
    HOOKWIRE_RUNTIME_DIR: tmp.path,
  });
  assert.equal(r.code, 0, r.stderr);
  const records = r.stderr
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  assert.equal(records.length, 1, r.stderr);
  assert.equal(records[0].site, 'probe:semver#valid');
  assert.equal(records[0].event, 'call');
  assert.equal(records[0].result, '1.0.0');
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.exitCode, 0);
  assert.equal(summary.sites[0].site, 'probe:semver#valid');
});
