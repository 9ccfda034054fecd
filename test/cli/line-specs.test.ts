// Source-line specs on the command line read as probes without a `probe:` prefix: run --probe
// FILE:LINE counts the line's hits (count is the default there: a breakpoint sees no durations),
// and trace refuses a line at once, before any program starts.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../control/helpers.ts';

const LINES = './test/fixtures/breakpoint/lines.cjs';

test('hookwire run --probe FILE:LINE counts the line by default, exactly', async () => {
  using tmp = tempDir();
  const app = join(tmp.path, 'app.cjs');
  // total([1, 2, 3]) runs line 5 (sum += x) three times per call: 4 calls, 12 hits.
  writeFileSync(
    app,
    `const { total } = require(${JSON.stringify(join(process.cwd(), LINES))});\nfor (let i = 0; i < 4; i++) total([1, 2, 3]);\nconsole.log('sum', total([]));\n`,
  );
  const r = await runCli(['run', '--json', '--probe', `${LINES}:5`, '--', app]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^sum 0$/mu);
  const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
    agents: { attachments: { target: string; type: string; stats: { hits: number } }[] }[];
  };
  const [line] = summary.agents[0]!.attachments;
  assert.deepEqual({ target: line?.target, type: line?.type, hits: line?.stats.hits }, { target: `${LINES}:5`, type: 'count', hits: 12 });
});

test('hookwire trace FILE:LINE is refused at once with a usage error naming the way that works', async () => {
  const r = await runCli(['trace', `${LINES}:5`, '--', 'node', '-e', '0']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /source line.*run --probe .*lines\.cjs:5=count/u);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('a bad line in a spec is a usage error (exit 2, one line)', async () => {
  const r = await runCli(['run', '--probe', `${LINES}:0`, '--', 'node', '-e', '0']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
});
