// Transparency of `hookwire run` in its own process (cli/run-here.ts, issue 8): the suites of qs
// (tape), punycode and js-yaml (mocha), run plain (`node RUNNER FILES`) and as `hookwire run --probe
// ... -- node RUNNER FILES`, where the CLI's process becomes the runner's. Both runs must agree test by test and
// exit alike; the probes must have counted the library's calls; the run summary must come after
// the suite's own output, which it must leave untouched.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
// @ts-expect-error -- the harness is plain JavaScript without declarations
import { commands, diverge, parseTap } from './harness.mjs';
// @ts-expect-error -- as above
import { SUITES } from './suites.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli/main.js');

/** The probes of each suite: the library's entry points, counted and timed. */
const PROBES: Record<string, string[]> = {
  qs: ['qs#parse=count,latency', 'qs#stringify=count', 'qs/lib/utils.js#merge=count'],
  // 'punycode/': the bare name is Node's own builtin; js-yaml is installed as js-yaml-4.1.1.
  punycode: ['punycode/#toASCII=count,latency', 'punycode/#decode=count', 'punycode/#ucs2.encode=count'],
  'js-yaml': ['js-yaml-4.1.1#load=count,latency', 'js-yaml-4.1.1#dump=count'],
};

interface Suite {
  name: string;
  runner: string;
}

function run(argv: string[]): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  delete env['NODE_OPTIONS'];
  delete env['NODE_TEST_CONTEXT'];
  const child = spawnSync(process.execPath, argv, { cwd: root, env, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

for (const name of Object.keys(PROBES)) {
  test(`${name}: its suite agrees test by test, plain and under hookwire run in its own process`, { timeout: 300_000 }, () => {
    const suite = (SUITES as Suite[]).find((s) => s.name === name)!;
    const probes = PROBES[name]!.flatMap((p) => ['--probe', p]);
    let hits = 0;
    let compared = 0;
    (commands(suite) as string[][]).forEach((args, i) => {
      const plain = run(args);
      const probed = run([cli, 'run', '--json', ...probes, '--', 'node', ...args]);
      assert.equal(probed.status, plain.status, `${args.join(' ')}: exit ${probed.status} vs ${plain.status}\n${probed.stderr}`);
      // The suite's own output first, untouched; the run's one JSON line after it.
      const lines = probed.stdout.trimEnd().split('\n');
      const summary = JSON.parse(lines.pop()!) as { sites: { hits: number }[]; agents: { pid: number }[] };
      assert.equal(`${lines.join('\n')}\n`, plain.stdout, `${args.join(' ')}: the same output`);
      const results = parseTap(plain.stdout, suite.runner, i) as unknown[];
      const under = parseTap(`${lines.join('\n')}\n`, suite.runner, i) as unknown[];
      assert.deepEqual(diverge({ results, exits: [plain.status] }, { results: under, exits: [probed.status] }), [], args.join(' '));
      assert.equal(summary.agents.length, 1, 'one process: the test file ran in the CLI process');
      compared += results.length;
      hits += summary.sites.reduce((sum, s) => sum + s.hits, 0);
    });
    assert.ok(compared > 20, `${compared} results compared`);
    assert.ok(hits > 0, 'the probes counted the library calls');
  });
}
