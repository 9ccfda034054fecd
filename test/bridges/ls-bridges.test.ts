// hookwire ls on a program with span and publish attachments: the listing's shape check knows
// their reports (it used to refuse them as another protocol version's answer), and a publish exit
// on a probe with no subscriber is listed as waiting.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, root, runCli, spawnNode, tempDir, until } from '../control/helpers.ts';

const SPEC = './test/bridges/fixtures/work.cjs';
const busy = join(root, 'test/bridges/fixtures/busy.mjs');

test('hookwire ls PID lists span and publish attachments with their reports', async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path };
  const run = spawnNode([cli, 'run', '--probe', `${SPEC}#step=publish`, '--probe', `${SPEC}#fail=span`, '--', busy], env, 40_000);
  try {
    await until(() => run.stdout().includes('busy: ready'), `the program to start (stderr: ${run.stderr()})`, 30_000);
    const sock = await until(() => readdirSync(tmp.path).find((f) => f.endsWith('.sock')), 'the agent socket');
    const pid = sock.replace('.sock', '');
    const r = await runCli(['ls', pid, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const listing = JSON.parse(r.stdout) as {
      attachments: { target: string; type: string; report: { type: string; sites: Record<string, object> } | null }[];
    };
    const byType = new Map(listing.attachments.map((a) => [a.type, a]));
    assert.equal(byType.get('publish')?.target, `${SPEC}#step`);
    assert.equal(byType.get('publish')?.report?.type, 'publish');
    assert.equal(byType.get('span')?.target, `${SPEC}#fail`);
    assert.equal(byType.get('span')?.report?.type, 'span');
    const text = await runCli(['ls', pid], env);
    assert.equal(text.code, 0, text.stderr);
    // busy.mjs has no subscriber of hookwire:<site>: the probe's publish exit waits, disarmed.
    assert.match(text.stdout, /publish\s+waiting/u);
    assert.match(text.stdout, /span/u);
  } finally {
    run.proc.kill('SIGTERM');
    await run.exited;
  }
});
