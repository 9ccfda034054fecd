// `hookwire run` hands its own process to a Node script (cli/run-here.ts, issue 8): one Node start.
// The program sees what it would see in a process of its own (argv, main module, no Node options),
// its pid is the one the caller started, the summary and exit codes follow the child-process
// rules, a signal still ends it by that signal after the summary, workers that inherit the
// process's options are reached, and a refused spec ends the run before the program's first line.
// Commands with Node options, another binary, or --spawn still run in a child process.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { root, runCli, spawnNode, tempDir, until } from '../control/helpers.ts';

const cli = join(root, 'dist/cli/main.js');
const app = join(root, 'test/fixtures/run-here/app.cjs');
const LIB = './test/fixtures/spec-check/load-marker.cjs';
const PROBE = ['--probe', `${LIB}#run=count`];

interface Seen {
  pid: number;
  argv: string[];
  execArgv: string[];
  main: boolean;
  mainFile: string;
}

function seen(stdout: string): Seen {
  return JSON.parse(stdout.split('\n')[0]!) as Seen;
}

test('a Node script runs in the process the caller started, and sees what it would alone', async () => {
  using tmp = tempDir();
  for (const command of [
    ['node', app, 'ok', '--x'],
    [app, 'ok', '--x'],
    [process.execPath, app, 'ok', '--x'],
  ]) {
    const child = spawnNode([cli, 'run', ...PROBE, '--', ...command], { HOOKWIRE_RUNTIME_DIR: tmp.path, NO_COLOR: '1' });
    const code = await child.exited;
    assert.equal(code, 0, child.stderr());
    const s = seen(child.stdout());
    assert.equal(s.pid, child.proc.pid, `${command.join(' ')}: the program is the started process`);
    assert.deepEqual(s.argv, [process.execPath, app, 'ok', '--x']);
    assert.deepEqual(s.execArgv, []);
    assert.equal(s.main, true);
    assert.equal(s.mainFile, app);
    assert.match(child.stderr(), new RegExp(`hookwire: pid ${child.proc.pid}, control `, 'u'));
    assert.match(child.stderr(), /probe:\.\/test\/fixtures\/spec-check\/load-marker\.cjs#run\s+2\s/u);
  }
});

test('an ES module program runs here too', async () => {
  const child = spawnNode([cli, 'run', ...PROBE, '--', 'node', join(root, 'test/fixtures/run-here/app.mjs')], { NO_COLOR: '1' });
  assert.equal(await child.exited, 0, child.stderr());
  const s = JSON.parse(child.stdout()) as { pid: number; url: string };
  assert.equal(s.pid, child.proc.pid);
  assert.match(s.url, /run-here\/app\.mjs$/u);
  assert.match(child.stderr(), /load-marker\.cjs#run\s+1\s/u);
});

test('exit codes: 0, 1 when the program failed or threw (its error printed), 2 with --strict', async () => {
  const failed = await runCli(['run', ...PROBE, '--', app, 'fail'], { NO_COLOR: '1' });
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /the program exited with code 3/u);
  const threw = await runCli(['run', ...PROBE, '--', app, 'throw'], { NO_COLOR: '1' });
  assert.equal(threw.code, 1);
  assert.match(threw.stderr, /Error: thrown on purpose/u);
  // Node prints a fatal error after the process's exit listeners, so after the summary here.
  assert.match(threw.stderr, /load-marker\.cjs#run\s+2\s/u);
  const strict = await runCli(['run', '--strict', '--hook', 'never:declared', ...PROBE, '--', app], { NO_COLOR: '1' });
  assert.equal(strict.code, 2, strict.stderr);
  assert.match(strict.stderr, /never attached: never:declared/u);
});

test('a signal ends the program by that signal, after the summary', async () => {
  using tmp = tempDir();
  const child = spawnNode([cli, 'run', ...PROBE, '--', app, 'wait'], { HOOKWIRE_RUNTIME_DIR: tmp.path, NO_COLOR: '1' });
  await until(() => child.stdout().includes('"pid"'), `the program to start (stderr: ${child.stderr()})`);
  child.proc.kill('SIGTERM');
  assert.equal(await child.exited, 'SIGTERM');
  assert.match(child.stderr(), /load-marker\.cjs#run\s+2\s/u);
  assert.match(child.stderr(), /killed by SIGTERM/u);
  assert.equal(existsSync(join(tmp.path, `${child.proc.pid}.sock`)), false, 'the socket is removed');
});

test("workers that inherit the process's options are reached; Worker keeps its identity", async () => {
  const child = spawnNode([cli, 'run', '--json', ...PROBE, '--', join(root, 'test/fixtures/run-here/workers.cjs')]);
  assert.equal(await child.exited, 0, child.stderr());
  const [line, summary] = child.stdout().trim().split('\n');
  assert.deepEqual(JSON.parse(line!), { instance: true, name: 'Worker', sameAsImport: true });
  const sites = (JSON.parse(summary!) as { sites: { site: string; hits: number }[] }).sites;
  assert.equal(sites.find((s) => s.site.endsWith('#run'))?.hits, 2, JSON.stringify(sites));
});

test("a refused spec: exit 2 and one line, before the program's first line; the module loaded here only", async () => {
  using tmp = tempDir();
  const marker = join(tmp.path, 'loads');
  const r = await runCli(['run', '--probe', `${LIB}#nothing.here`, '--', app], { HOOKWIRE_TEST_LOAD_MARKER: marker });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '', 'the program never ran');
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^hookwire run: .*load-marker\.cjs#nothing\.here: /u);
  assert.equal(readFileSync(marker, 'utf8').trim().split('\n').length, 1, 'loaded in one process');
});

test('Node options, another command or --spawn: a child process runs the program', async () => {
  for (const args of [
    ['--', 'node', '--no-warnings', app],
    ['--spawn', '--', app],
  ]) {
    const child = spawnNode([cli, 'run', ...PROBE, ...args], { NO_COLOR: '1' });
    assert.equal(await child.exited, 0, child.stderr());
    assert.notEqual(seen(child.stdout()).pid, child.proc.pid, args.join(' '));
    assert.match(child.stderr(), /load-marker\.cjs#run\s+2\s/u);
  }
});
