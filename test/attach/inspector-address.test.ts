// Where SIGUSR1 would open a process's inspector, read from its options as Node reads them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspectorAddress, readProcess } from '../../src/control/node-process.ts';

test('the inspector address from --inspect-port, --inspect and friends, later options winning', () => {
  const cases: [string[], { host: string; port: number; openAtStart: boolean }][] = [
    [[], { host: '127.0.0.1', port: 9229, openAtStart: false }],
    [['--inspect-port=9300'], { host: '127.0.0.1', port: 9300, openAtStart: false }],
    [['--inspect-port', '9301'], { host: '127.0.0.1', port: 9301, openAtStart: false }],
    [['--debug-port=0.0.0.0:9302'], { host: '0.0.0.0', port: 9302, openAtStart: false }],
    [['--inspect'], { host: '127.0.0.1', port: 9229, openAtStart: true }],
    [['--inspect=9303'], { host: '127.0.0.1', port: 9303, openAtStart: true }],
    [['--inspect-brk=localhost:9304'], { host: 'localhost', port: 9304, openAtStart: true }],
    [['--inspect-port=9305', '--inspect-port=[::1]:9306'], { host: '::1', port: 9306, openAtStart: false }],
    [['--inspect-wait'], { host: '127.0.0.1', port: 9229, openAtStart: true }],
    [['--inspector-not-an-option=1'], { host: '127.0.0.1', port: 9229, openAtStart: false }],
  ];
  for (const [options, expected] of cases) assert.deepEqual(inspectorAddress(options), expected, options.join(' '));
});

test('readProcess: this process is Node, owned by this user; no such process is undefined', () => {
  const me = readProcess(process.pid);
  assert.ok(me !== undefined);
  assert.equal(me.node, true);
  assert.equal(me.uid, process.getuid?.());
  assert.equal(me.forbidden, process.env['HOOKWIRE_NO_INSPECTOR'] === '1' ? 'HOOKWIRE_NO_INSPECTOR=1' : false);
  assert.equal(readProcess(2 ** 31 - 1), undefined);
});

test('readProcess: a process that has exited but is not collected yet (a zombie) is no process', async () => {
  const { spawn } = await import('node:child_process');
  const { readFileSync } = await import('node:fs');
  // The shell becomes sleep, which never collects the node child it started.
  const parent = spawn('sh', ['-c', `${JSON.stringify(process.execPath)} -e "console.log(process.pid)" & exec sleep 10`], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    const pid = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (c: Buffer) => resolve(c.toString().trim()))));
    const deadline = Date.now() + 10_000;
    while (!/^State:\s+Z/mu.test(readFileSync(`/proc/${pid}/status`, 'utf8'))) {
      assert.ok(Date.now() < deadline, 'the child to exit');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(readProcess(pid), undefined);
  } finally {
    parent.kill();
  }
});
