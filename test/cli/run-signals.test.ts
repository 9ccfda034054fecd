// hookwire run and the signals a user sends (issue 12, "Nothing lost"): the summary, the trace
// file and the socket survive SIGINT, SIGTERM and SIGHUP; a program without a handler still dies
// of the signal (and so does hookwire run), a program with its own handler keeps it. Also the
// pid and socket line at start, and trace records lost to a failed write.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, root, runCli, spawnNode, tempDir, until, type Child } from '../control/helpers.ts';

const program = join(root, 'test/fixtures/control-wait-signal.mjs');
/** Starting hookwire run (the spec check, then the program) is slow on a busy machine. */
const START_MS = 25_000;

/** `hookwire run` of the fixture with its hook traced to `out`, as a group leader when `group`. */
function startRun(dir: string, out: string, own: boolean, group: boolean): Child {
  const args = [cli, 'run', '--out', out, '--hook', 'fixture:step=trace', '--', program, ...(own ? ['own'] : [])];
  if (!group) return spawnNode(args, { HOOKWIRE_RUNTIME_DIR: dir });
  // detached: its own process group, as a terminal makes for a foreground job.
  const proc = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, HOOKWIRE_RUNTIME_DIR: dir },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
  const exited = new Promise<number | string>((resolve) =>
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal ?? -1);
    }),
  );
  return { proc, stdout: () => stdout, stderr: () => stderr, exited };
}

/** How plain node ends with the fixture and the signal: an exit code or the signal's name. */
async function plainNode(own: boolean, signal: NodeJS.Signals): Promise<number | string> {
  const child = spawnNode([program, ...(own ? ['own'] : [])]);
  await until(() => child.stdout().includes('ready'), 'the plain program to start', START_MS);
  child.proc.kill(signal);
  return child.exited;
}

const cases: { signal: NodeJS.Signals; own: boolean; group: boolean }[] = [
  { signal: 'SIGINT', own: false, group: false },
  { signal: 'SIGINT', own: false, group: true },
  { signal: 'SIGTERM', own: false, group: false },
  { signal: 'SIGHUP', own: false, group: false },
  { signal: 'SIGINT', own: true, group: false },
  { signal: 'SIGINT', own: true, group: true },
  { signal: 'SIGTERM', own: true, group: false },
];

for (const { signal, own, group } of cases) {
  const who = `${own ? 'a program with its own handler' : 'a program without a handler'}, ${signal} to ${group ? 'the process group' : 'hookwire run'}`;
  test(`run: ${who} → summary, whole trace file, no socket left, the exit plain node gives`, async () => {
    using tmp = tempDir();
    const out = join(tmp.path, 'trace.jsonl');
    const run = startRun(tmp.path, out, own, group);
    const pid = Number(await until(() => /ready (\d+)/u.exec(run.stdout())?.[1], `the program to start (stderr: ${run.stderr()})`, START_MS));
    // The agent serves its socket once the program's event loop runs (issue 8): soon after its first line.
    await until(() => existsSync(join(tmp.path, `${pid}.sock`)), 'the socket while it runs', START_MS);
    process.kill(group ? -run.proc.pid! : run.proc.pid!, signal);
    const code = await run.exited;
    const plain = await plainNode(own, signal);
    assert.equal(code, plain, run.stderr());
    if (own) assert.match(run.stdout(), new RegExp(`own handler ${signal}`, 'u'), 'the program handled the signal itself');
    assert.match(run.stderr(), /^fixture:step\s+5\s/mu, 'the summary is printed');
    if (!own) assert.match(run.stderr(), new RegExp(`the program was killed by ${signal}`, 'u'));
    const records = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { site: string; args: { n: number } });
    assert.deepEqual(
      records.map((r) => r.args.n),
      [1, 2, 3, 4, 5],
    );
    assert.deepEqual(
      readdirSync(tmp.path).filter((f) => f.endsWith('.sock')),
      [],
      'the socket file is removed',
    );
  });
}

test('run: a buffered trace file (an exit spec with its own sink) keeps its last records on SIGTERM', async () => {
  using tmp = tempDir();
  const file = join(tmp.path, 'own.jsonl');
  const spec = JSON.stringify({ type: 'trace', sink: { file } });
  const run = spawnNode([cli, 'run', '--hook', `fixture:step=${spec}`, '--', program], { HOOKWIRE_RUNTIME_DIR: tmp.path });
  await until(() => run.stdout().includes('ready'), 'the program to start', START_MS);
  run.proc.kill('SIGTERM');
  assert.equal(await run.exited, 'SIGTERM', run.stderr());
  assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 5);
});

test('run: prints the pid and control socket at start, and hookwire ls PID finds the program', async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path };
  const run = spawnNode([cli, 'run', '--hook', 'fixture:step', '--', program], env);
  const line = await until(() => /^hookwire: pid (\d+), control (\S+)$/mu.exec(run.stderr()), 'the start line', START_MS);
  try {
    const pid = Number(line[1]);
    assert.equal(line[2], join(tmp.path, `${pid}.sock`));
    await until(() => run.stdout().includes(`ready ${pid}`), 'the program to start (the line comes first)', START_MS);
    const ls = await runCli(['ls', String(pid)], env);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /fixture:step/u);
  } finally {
    run.proc.kill('SIGTERM');
    await run.exited;
  }
});

test('run --control off: the start line says there is no control socket', async () => {
  const r = await runCli(['run', '--control', 'off', '--', join(root, 'test/fixtures/control-app.mjs')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^hookwire: pid \d+, no control socket$/mu);
});

test('run --out /dev/full: every lost trace record is counted, in the summary and on stderr at exit', async () => {
  const r = await runCli(['run', '--out', '/dev/full', '--hook', 'fixture:step=trace', '--', join(root, 'test/fixtures/control-fail.mjs')]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /hookwire: 3 trace records lost: cannot write \/dev\/full: ENOSPC/u);
  assert.match(r.stderr, /hookwire \[\d+\]: 3 trace records lost \(could not be written\)/u);
  const json = await runCli(['run', '--json', '--out', '/dev/full', '--hook', 'fixture:step=trace', '--', join(root, 'test/fixtures/control-fail.mjs')]);
  const summary = JSON.parse(json.stdout.trim().split('\n').at(-1)!);
  const report = summary.agents[0].attachments[0].report;
  assert.deepEqual(report.sites['fixture:step'], { hits: 3, errors: 0, recorded: 0, lost: 3, faults: 3 });
});

test('run --json: the summary of a program ended by SIGTERM names the signal, in the agent summary too', async () => {
  using tmp = tempDir();
  const run = spawnNode([cli, 'run', '--json', '--hook', 'fixture:step', '--', program], { HOOKWIRE_RUNTIME_DIR: tmp.path });
  await until(() => run.stdout().includes('ready'), 'the program to start', START_MS);
  run.proc.kill('SIGTERM');
  assert.equal(await run.exited, 'SIGTERM', run.stderr());
  const summary = JSON.parse(run.stdout().trim().split('\n').at(-1)!);
  assert.equal(summary.signal, 'SIGTERM');
  assert.equal(summary.agents[0].signal, 'SIGTERM');
  assert.equal(summary.sites[0].hits, 5);
  assert.equal(run.stderr(), '', 'no start line with --json');
});
