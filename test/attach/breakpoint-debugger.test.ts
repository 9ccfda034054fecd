// A breakpoint probe and the user's own debugger (issue 10): hookwire's breakpoints belong to its
// in-process inspector session, so a debugger attached to the program's inspector does not see
// them and is never paused by them, and they keep counting while it is attached, enabled, and
// has deactivated its own breakpoints; the debugger's session keeps working.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InspectorSocket } from '../../src/control/inspector-socket.ts';
import { cli, runCli, spawnNode, tempDir, until } from '../control/helpers.ts';
import { ESM_APP, freePort, httpGet } from './helpers.ts';

const LINE = './test/attach/fixtures/lib/prices.mjs:5';

test('a debugger on the inspector neither sees nor is paused by breakpoint probes, which keep counting', { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path, NO_COLOR: '1' };
  const inspectPort = await freePort();
  const run = spawnNode([cli, 'run', '--probe', `${LINE}=count`, '--', process.execPath, `--inspect=127.0.0.1:${inspectPort}`, ESM_APP], env);
  let session: InspectorSocket | undefined;
  try {
    const port = Number(await until(() => /listening (\d+)/u.exec(run.stdout())?.[1], `the app to listen (stderr: ${run.stderr()})`, 20_000));
    const pid = await until(() => /hookwire: pid (\d+)/u.exec(run.stderr())?.[1], 'the agent line');
    const url = await until(() => /Debugger listening on (ws:\S+)/u.exec(run.stderr())?.[1], 'the inspector url');
    session = await InspectorSocket.open(url, 5_000);
    await session.send('Debugger.enable', {}, 5_000);
    await session.send('Debugger.setBreakpointsActive', { active: false }, 5_000);
    // A pause would hang these requests: each sale runs the probed line.
    assert.deepEqual(
      [await httpGet(port, '/sale'), await httpGet(port, '/x'), await httpGet(port, '/sale-2')],
      ['200 {"path":"/sale","cents":250}', '200 {"path":"/x","cents":200}', '200 {"path":"/sale-2","cents":350}'],
    );
    const ls = await runCli(['ls', pid, '--json'], env);
    assert.equal(ls.code, 0, ls.stderr);
    const listing = JSON.parse(ls.stdout) as { attachments: { target: string; stats: { hits: number } }[] };
    assert.deepEqual(
      listing.attachments.map((a) => [a.target, a.stats.hits]),
      [[LINE, 2]],
    );
    // The debugger's own session still answers; with its breakpoints active again, still no pause.
    assert.deepEqual(await session.send('Runtime.evaluate', { expression: '6 * 7', returnByValue: true }, 5_000), {
      result: { type: 'number', value: 42, description: '42' },
    });
    await session.send('Debugger.setBreakpointsActive', { active: true }, 5_000);
    assert.equal(await httpGet(port, '/sale-3'), '200 {"path":"/sale-3","cents":350}');
  } finally {
    session?.close();
    run.proc.stdin!.end();
  }
  assert.equal(await run.exited, 0, run.stderr());
  assert.match(run.stderr(), /^probe:\.\/test\/attach\/fixtures\/lib\/prices\.mjs:5\s+3\s/mu);
});
