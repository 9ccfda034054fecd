// Bad input to every command: exit code 2 and a one-line reason on stderr, nothing on stdout.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { reasonOf, runCli, tempDir } from '../control/helpers.ts';

/** A process id nobody has. */
const dead = String(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout);

const CASES: [string[], RegExp][] = [
  [['run'], /no program to run/u],
  [['run', '--probe'], /argument missing|--probe/u],
  [['run', '--probe', 'nohash', '--', 'x.js'], /MODULE#PATH/u],
  [['run', '--probe', './a.js#f=bogus', '--', 'x.js'], /unknown exit "bogus"/u],
  [['run', '--probe', './a.js#f={"type"', '--', 'x.js'], /not valid JSON/u],
  [['run', '--hook', 'nocolon', '--', 'x.js'], /area:point/u],
  [['run', '--bogus', '--', 'x.js'], /unknown option '?--bogus'?/iu],
  [['run', '--', 'hookwire-no-such-command-xyz'], /command not found/u],
  // A program that cannot start is refused before anything does: Node would start first, then fail.
  [['run', '--', '/nonexistent/app.js'], /^hookwire run: cannot run "\/nonexistent\/app\.js": no such file$/u],
  [['run', '--', 'node', 'nosuch-app.mjs', '--flag'], /cannot run "nosuch-app\.mjs": no such file$/u],
  [['trace', './a.js#f', '--', 'missing.cjs'], /cannot run "missing\.cjs": no such file$/u],
  [['run', '--', ''], /no program to run: the command is an empty word$/u],
  [['run', '--', '/tmp'], /cannot run "\/tmp": it is a directory$/u],
  [['trace', '--', 'x.js'], /no site to trace/u],
  [['trace', './a.js#f'], /give the program after --/u],
  [['trace', 'plainword', '--', 'x.js'], /neither a probe spec/u],
  [['trace', '--every', '0', './a.js#f', '--', 'x.js'], /--every must be a whole number from 1 to 1e9/u],
  [['trace', '--pid', '1', './a.js#f', '--', 'x.js'], /give no command after --/u],
  [['trace', '--pid', '1', './a.js#f', 'nohash'], /: "nohash" is neither a probe spec \(MODULE#PATH\) nor a hook name \(area:point\)$/u],
  [['trace', '--pid', '1', '--duration', '0', './a.js#f'], /--duration must be a number of seconds above 0, at most 86400, got "0"$/u],
  // An option of one value given twice: which was meant? (a list option, --probe, repeats)
  [['run', '--out', '/tmp/a', '--out', '/tmp/b', '--', 'x.js'], /^hookwire run: --out is given more than once$/u],
  [['trace', '--every=2', '--every', '3', './a.js#f', '--', 'x.js'], /--every is given more than once$/u],
  [['trace', '-p', '1', '--pid', '2', './a.js#f'], /--pid is given more than once$/u],
  [['disarm', '1', 'a:b', '--exit', 'x', '--exit', 'y'], /--exit is given more than once$/u],
  // After --, positionals: counted as such, never dropped.
  [['disarm', '1', 'a:b', '--', 'extra'], /takes PID and one NAME/u],
  [['ls', '1', '--', '2'], /at most one process id/u],
  // A control character the user typed is shown escaped, never sent to the terminal.
  [['ls', '--bo\x1b[2Jgus'], /unknown option --bo\\x1b\[2Jgus/u],
  [['trace', '--duration', '3', './a.js#f', '--', 'x.js'], /--duration needs --pid/u],
  [['trace', '--pid', 'x', './a.js#f'], /"x" is not a process id/u],
  [['trace', '--pid', '1', '--duration=-1', './a.js#f'], /--duration must be/u],
  [['trace', '--pid', '1', '--duration', 'soon', './a.js#f'], /--duration must be/u],
  [['trace', '--pid', dead, './a.js#f'], /no agent runs in process/u],
  [['ls', 'abc'], /"abc" is not a process id/u],
  [['ls', '1', '2'], /at most one process id/u],
  [['ls', dead], /no agent runs in process/u],
  [['ls', '--frob'], /unknown option/iu],
  [['top'], /needs a process id/u],
  [['top', 'x1'], /not a process id/u],
  [['top', '1', '--interval', '5'], /--interval must be/u],
  [['top', '1', '--json'], /--json needs --once/u],
  [['top', dead, '--once'], /no agent runs in process/u],
  [['attach'], /needs a process id/u],
  [['attach', '1'], /needs a TARGET/u],
  [['attach', '1', 'spaced target'], /area:point/u],
  [['attach', '1', 'a:b', 'bogus'], /unknown exit "bogus"/u],
  [['attach', '1', 'a:b', '{nope'], /not valid JSON/u],
  [['attach', '1', 'a:b', 'trace,count', '--name', 'n'], /--name needs a single EXIT/u],
  [['attach', dead, 'a:b'], /no agent runs in process/u],
  [['arm'], /needs a process id/u],
  [['arm', '1'], /needs the name/u],
  [['arm', '1', 'a', 'b'], /one NAME/u],
  [['arm', dead, 'x'], /no agent runs in process/u],
  [['disarm', '-1', 'x'], /unknown option|not a process id/iu],
  [['disarm', dead, 'x'], /no agent runs in process/u],
  [['remove'], /needs a process id/u],
  [['remove', '1'], /needs the name/u],
  [['remove', dead, 'x'], /no agent runs in process/u],
];

test('every command refuses bad input with exit code 2 and one line', async () => {
  using tmp = tempDir();
  for (const [args, reason] of CASES) {
    const r = await runCli(args, { HOOKWIRE_RUNTIME_DIR: tmp.path });
    const what = `hookwire ${args.join(' ')} → ${r.code} ${r.stderr}`;
    assert.equal(r.code, 2, what);
    const lines = r.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, what);
    assert.match(lines[0]!, new RegExp(`^hookwire ${args[0]}: `, 'u'), what);
    assert.match(reasonOf(lines[0]!), reason, what);
    assert.equal(r.stdout, '', what);
  }
});

test('an unknown command is one line, its control characters shown escaped', async () => {
  const r = await runCli(['bo\x1b[2Jgus\rx']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^hookwire: unknown command "bo\\x1b\[2Jgus\\x0dx" \(commands: [^)]*\) \(ERR_USAGE\)\n$/u);
  assert.doesNotMatch(r.stderr.slice(0, -1), /\p{Cc}/u);
});

test('a runtime directory open to others is refused by the commands that use it', async () => {
  using tmp = tempDir();
  const open = join(tmp.path, 'open');
  mkdirSync(open);
  chmodSync(open, 0o777);
  for (const args of [['ls'], ['ls', '1'], ['arm', '1', 'x'], ['top', '1', '--once']]) {
    const r = await runCli(args, { HOOKWIRE_RUNTIME_DIR: open });
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /ERR_INSECURE_DIR/u);
  }
});
