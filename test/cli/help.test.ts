// --help on every command, the top-level usage, the version, and an unknown command.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../control/helpers.ts';

const COMMANDS = ['run', 'trace', 'ls', 'top', 'attach', 'arm', 'disarm', 'remove', 'ui'];

test('every command has --help (and -h): exit 0, its usage on stdout, nothing on stderr', async () => {
  for (const command of COMMANDS) {
    for (const flag of ['--help', '-h']) {
      const r = await runCli([command, flag]);
      assert.equal(r.code, 0, `${command} ${flag}`);
      assert.match(r.stdout, new RegExp(`^Usage: hookwire ${command} `, 'u'));
      assert.equal(r.stderr, '');
    }
  }
});

test('hookwire alone, --help and help list every command', async () => {
  for (const args of [[], ['--help'], ['help']]) {
    const r = await runCli(args);
    assert.equal(r.code, 0);
    for (const command of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${command} `, 'mu'));
  }
  const topic = await runCli(['help', 'top']);
  assert.match(topic.stdout, /^Usage: hookwire top PID/u);
});

test('--version prints the package version', async () => {
  const r = await runCli(['--version']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/u);
});

test('an unknown command is a usage error: exit 2 and one line', async () => {
  const r = await runCli(['frobnicate']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.split('\n').filter(Boolean).length, 1);
  assert.match(r.stderr, /^hookwire: unknown command "frobnicate"/u);
  const near = await runCli(['tarce', 'x#f', '--', 'node', '-e', '1']);
  assert.equal(near.code, 2);
  assert.equal(near.stderr, 'hookwire: unknown command "tarce" (did you mean `trace`?) (ERR_USAGE)\n');
});
