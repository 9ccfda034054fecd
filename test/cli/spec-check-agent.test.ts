// A CommonJS probe spec that only loading can check is checked by the program's own agent before
// the program's first line (HOOKWIRE_CHECK), not in a throwaway process: the module is loaded in
// the program's process only, and a refusal still ends run/trace at once with exit code 2 and
// one line, the program never having run.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { reasonOf, root, runCli, spawnNode, tempDir } from '../control/helpers.ts';

const LIB = './test/fixtures/spec-check/load-marker.cjs';
const agent = join(root, 'dist/control/agent.js');

/** The pids that loaded the fixture, in order. */
function loaders(marker: string): number[] {
  return existsSync(marker) ? readFileSync(marker, 'utf8').split('\n').filter(Boolean).map(Number) : [];
}

test("a spec that needs its module loaded is checked in the program's process only", async () => {
  using tmp = tempDir();
  const marker = join(tmp.path, 'loads');
  const program = `require(${JSON.stringify(LIB)}).run(); process.stdout.write(String(process.pid))`;
  for (const command of ['run', 'trace']) {
    const site = command === 'run' ? ['--probe', `${LIB}#run=count`] : [`${LIB}#run`];
    const r = await runCli([command, ...site, '--', 'node', '-e', program], { HOOKWIRE_RUNTIME_DIR: tmp.path, HOOKWIRE_TEST_LOAD_MARKER: marker });
    assert.equal(r.code, 0, r.stderr);
    const pid = Number(/^\d+/u.exec(r.stdout)?.[0]);
    assert.deepEqual(loaders(marker), [pid], `${command}: loaded by the program alone`);
    assert.match(r.stderr, command === 'run' ? /probe:.*load-marker\.cjs#run\s+1\s/u : /load-marker\.cjs#run/u, r.stderr);
    assert.doesNotMatch(r.stderr, /problem/u, r.stderr);
    await import('node:fs').then((fs) => fs.rmSync(marker, { force: true }));
  }
});

test("the agent's refusal is run's usage error: exit 2, one line, the program never ran", async () => {
  using tmp = tempDir();
  const started = join(tmp.path, 'started');
  const program = ['node', '-e', `require("fs").writeFileSync(${JSON.stringify(started)}, "")`];
  const cases: [string[], RegExp][] = [
    [
      ['run', '--probe', `${LIB}#runn=count`],
      /^hookwire run: \.\/test\/fixtures\/spec-check\/load-marker\.cjs#runn: module .*load-marker\.cjs has no "runn" \(did you mean `run`\?\)$/u,
    ],
    [['trace', `${LIB}#version`], /^hookwire trace: .*load-marker\.cjs#version: version in .*load-marker\.cjs is a number \(3\), not a function$/u],
    // The first refusal in order, after a spec that passes.
    [['run', '--probe', `${LIB}#run`, '--probe', 'semver#vaild', '--probe', `${LIB}#nope`], /^hookwire run: semver#vaild: module semver has no "vaild"/u],
    [['run', '--json', '--probe', 'semver#SEMVER_SPEC_VERSION'], /^hookwire run: semver#SEMVER_SPEC_VERSION: SEMVER_SPEC_VERSION in semver is a string/u],
  ];
  for (const [args, reason] of cases) {
    const r = await runCli([...args, '--', ...program], { HOOKWIRE_RUNTIME_DIR: tmp.path });
    const what = `${args.join(' ')} → ${r.code} ${r.stderr}`;
    assert.equal(r.code, 2, what);
    const lines = r.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, what);
    assert.match(reasonOf(lines[0]!), reason, what);
    assert.equal(r.stdout, '', what);
    assert.equal(existsSync(started), false, `the program started: ${what}`);
  }
});

test('a program that exits with code 2 by itself is not a refusal', async () => {
  using tmp = tempDir();
  const r = await runCli(['run', '--probe', `${LIB}#run=count`, '--', 'node', '-e', `require(${JSON.stringify(LIB)}).run(); process.exit(2)`], {
    HOOKWIRE_RUNTIME_DIR: tmp.path,
  });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /the program exited with code 2/u);
  assert.match(r.stderr, /load-marker\.cjs#run\s+1\s/u);
});

test('the agent alone: a refused HOOKWIRE_CHECK spec ends the process before its first line, one line on stderr', async () => {
  using tmp = tempDir();
  const started = join(tmp.path, 'started');
  const child = spawnNode(['--import', agent, '-e', `require("fs").writeFileSync(${JSON.stringify(started)}, "")`], {
    HOOKWIRE_CHECK: JSON.stringify([`${LIB}#nothing`]),
    HOOKWIRE_CONTROL: 'off',
  });
  child.proc.stdin!.end();
  assert.equal(await child.exited, 2);
  assert.match(
    child.stderr(),
    /^hookwire: \.\/test\/fixtures\/spec-check\/load-marker\.cjs#nothing: module .*load-marker\.cjs has no "nothing" \(ERR_PROBE_TARGET\)\n$/u,
  );
  assert.equal(existsSync(started), false);
});

test("only the first process checks: the program's children do not inherit HOOKWIRE_CHECK", async () => {
  const child = spawnNode(['--import', agent, '-e', 'process.stdout.write(String(process.env.HOOKWIRE_CHECK))'], {
    HOOKWIRE_CHECK: JSON.stringify([`${LIB}#run`]),
    HOOKWIRE_CONTROL: 'off',
  });
  child.proc.stdin!.end();
  assert.equal(await child.exited, 0, child.stderr());
  assert.equal(child.stdout(), 'undefined');
  assert.equal(child.stderr(), '');
});

test('HOOKWIRE_CHECK that is not a JSON array of specs is one problem, and the program runs', async () => {
  const child = spawnNode(['--import', agent, '-e', 'process.stdout.write("ran")'], { HOOKWIRE_CHECK: '{"not":"a list"}', HOOKWIRE_CONTROL: 'off' });
  child.proc.stdin!.end();
  assert.equal(await child.exited, 0, child.stderr());
  assert.equal(child.stdout(), 'ran');
  assert.equal(child.stderr(), 'hookwire: HOOKWIRE_CHECK must be a JSON array of probe specs\n');
});
