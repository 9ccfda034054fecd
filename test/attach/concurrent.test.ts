// Two hookwire commands bringing the agent into the same plain program at once: the one that
// finds the other's inspector window open waits for its agent instead of calling it a debugger.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, tempDir } from '../control/helpers.ts';
import { accepts, freePort, QUERY, startPlainApp } from './helpers.ts';

test('two attaches at once on a program without the agent both succeed, one agent between them', { timeout: 60_000 }, async () => {
  for (let round = 0; round < 3; round++) {
    using tmp = tempDir();
    const env = { HOOKWIRE_RUNTIME_DIR: tmp.path };
    const inspectorPort = await freePort();
    const app = await startPlainApp([`--inspect-port=${inspectorPort}`]);
    try {
      const pid = String(app.proc.pid);
      const [a, b] = await Promise.all([
        runCli(['attach', pid, QUERY, 'count', '--name', 'a'], env),
        runCli(['attach', pid, QUERY, 'count', '--name', 'b'], env),
      ]);
      assert.equal(a.code, 0, `round ${round}: ${a.stderr}`);
      assert.equal(b.code, 0, `round ${round}: ${b.stderr}`);
      const listing = JSON.parse((await runCli(['ls', pid, '--json'], env)).stdout);
      assert.deepEqual(listing.attachments.map((x: { name: string }) => x.name).sort(), ['a', 'b']);
      assert.equal(await accepts(inspectorPort), false, 'the inspector is closed again');
    } finally {
      assert.equal(await app.stop(), 0);
    }
  }
});
