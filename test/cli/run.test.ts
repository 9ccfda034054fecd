// hookwire run / trace: the summary, the exit codes, --json, --out, and what the agent reports.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { example, root, runCli, spawnNode, tempDir } from '../control/helpers.ts';

const QUOTE = './examples/service/pricing.cjs#quote';

test('run: a program that succeeds → exit 0, its output untouched, the summary table on stderr', async () => {
  using tmp = tempDir();
  const r = await runCli(['run', '--probe', QUOTE, '--hook', 'shop:request', '--', example], { HOOKWIRE_RUNTIME_DIR: tmp.path });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^shop: 20 requests, statuses .* answers sha256 [0-9a-f]{16}\n$/u);
  const lines = r.stderr.trim().split('\n');
  assert.match(lines.at(-3)!, /^SITE\s+HITS\s+P50\s+P99\s+FAULTS\s+MISSED\s+TIMING$/u);
  // TIMING: quote returns a value, so its durations run until it returned.
  assert.match(lines.at(-2)!, /^probe:\.\/examples\/service\/pricing\.cjs#quote\s+8\s+\d+\.\d+ms\s+\d+\.\d+ms\s+0\s+0\s+returned$/u);
  assert.match(lines.at(-1)!, /^shop:request\s+20\s+-\s+-\s+0\s+0\s+-$/u);
});

test('run: a program that fails → exit 1, and the summary is still printed', async () => {
  const r = await runCli(['run', '--hook', 'fixture:step', '--', join(root, 'test/fixtures/control-fail.mjs')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /fixture: failing on purpose/u);
  assert.match(r.stderr, /fixture:step\s+3\s/u);
  assert.match(r.stderr, /the program exited with code 3/u);
});

test('run --spawn: a program killed by a signal → exit 1, named in the report', async () => {
  const r = await runCli(['run', '--spawn', '--', join(root, 'test/fixtures/control-signal.mjs')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /killed by SIGKILL/u);
});

test('run in its own process: a program killed by SIGKILL ends by SIGKILL, as it would alone', async () => {
  // Nothing can catch SIGKILL: the process that ran the program is gone with it (run-here.ts).
  const r = await runCli(['run', '--', join(root, 'test/fixtures/control-signal.mjs')]);
  assert.equal(r.code, 'SIGKILL');
});

test("run --json: one JSON line on stdout after the program's own output", async () => {
  const r = await runCli(['run', '--json', '--probe', `${QUOTE}=count,latency`, '--', example]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  const summary = JSON.parse(lines[1]!);
  assert.equal(summary.exitCode, 0);
  assert.deepEqual(summary.sites, [
    {
      site: `probe:${QUOTE}`,
      kind: 'probe',
      hits: 8,
      p50Ms: summary.sites[0].p50Ms,
      p99Ms: summary.sites[0].p99Ms,
      timing: 'returned',
      faults: 0,
      missed: 0,
    },
  ]);
  assert.equal(typeof summary.sites[0].p50Ms, 'number');
  assert.equal(summary.agents.length, 1);
  assert.deepEqual(
    summary.agents[0].attachments.map((a: { type: string }) => a.type),
    ['count', 'latency'],
  );
  assert.equal(r.stderr, '', 'with --json nothing else is printed');
});

test('run --out: trace records go to the file as JSON lines, not to the terminal', async () => {
  using tmp = tempDir();
  const out = join(tmp.path, 'trace.jsonl');
  const r = await runCli(['run', '--out', out, '--probe', `${QUOTE}=trace`, '--', example]);
  assert.equal(r.code, 0, r.stderr);
  const records = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(records.length, 8);
  assert.ok(records.every((x) => x.site === `probe:${QUOTE}` && x.event === 'call' && typeof x.durationMs === 'number'));
  assert.deepEqual(
    records.filter((x) => x.error).map((x) => x.error.message),
    ['unknown coupon BOGUS', 'bad quantity 0'],
  );
  assert.doesNotMatch(r.stderr, /unknown coupon BOGUS/u);
  assert.match(r.stderr, new RegExp(`trace records: ${out}`, 'u'));
});

test('trace: one line per call on stderr, then the summary; every N samples', async () => {
  const r = await runCli(['trace', QUOTE, 'shop:order', '--', example]);
  assert.equal(r.code, 0, r.stderr);
  const calls = r.stderr.split('\n').filter((l) => / probe:\.\/examples\/service\/pricing\.cjs#quote \(/u.test(l));
  assert.equal(calls.length, 8);
  assert.match(
    calls[0]!,
    /^\d\d:\d\d:\d\d\.\d{3} probe:\S+ \(\{"id":"p2",.*\}, 1, \[undefined\]\) → \{"product":"p2","quantity":1,"subtotal":3500,"discount":0,"total":3500\} \d+\.\d{3}ms$/u,
  );
  const fires = r.stderr.split('\n').filter((l) => / shop:order \(/u.test(l));
  assert.equal(fires.length, 4);
  assert.match(r.stderr, /shop:order\s+4\s/u);
  const sampled = await runCli(['trace', '--every', '4', QUOTE, '--', example]);
  assert.equal(sampled.stderr.split('\n').filter((l) => / probe:\S+#quote \(/u.test(l)).length, 2);
  assert.match(sampled.stderr, /#quote\s+8\s/u, 'the summary still counts every call');
});

test('run: what the agent cannot attach is reported, and the program runs anyway', async () => {
  // run refuses these specs before starting (fail-fast.test.ts); the agent, given them directly,
  // reports them and lets the program run.
  const attach = [
    { target: './examples/service/nope.js#f', exit: { type: 'latency' } },
    { target: 'node:fs#constants', exit: { type: 'latency' } },
  ];
  const agent = spawnNode(['--import', join(root, 'dist/control/agent.js'), example], { HOOKWIRE_ATTACH: JSON.stringify(attach) });
  agent.proc.stdin!.end();
  assert.equal(await agent.exited, 0, agent.stderr());
  assert.match(agent.stdout(), /^shop: 20 requests/u);
  assert.match(agent.stderr(), /hookwire: cannot attach \{"type":"latency"\} to \.\/examples\/service\/nope\.js#f: cannot find module/u);
  assert.match(agent.stderr(), /hookwire: cannot attach \{"type":"latency"\} to node:fs#constants: .*not a function/u);
  const r = await runCli(['run', '--hook', 'shop:never', '--', example]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^shop: 20 requests/u);
  assert.match(r.stderr, /shop:never \(never loaded\)\s+0/u);
});

test('run: CODEGEN off is honoured by the agent, and answers stay the same', async () => {
  const on = await runCli(['run', '--probe', QUOTE, '--', example], { HOOKWIRE_CODEGEN: 'on' });
  const off = await runCli(['run', '--probe', QUOTE, '--', example], { HOOKWIRE_CODEGEN: 'off' });
  assert.equal(on.code, 0);
  assert.equal(off.code, 0);
  assert.equal(on.stdout, off.stdout);
});
