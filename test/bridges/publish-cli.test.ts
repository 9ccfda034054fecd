// The publish exit from the command line: --probe SPEC=publish and --hook NAME=publish put the
// program's calls and fires on hookwire:<site>, where the program's own subscribers get them.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { root, runCli } from '../control/helpers.ts';

const SPEC = './test/bridges/fixtures/work.cjs';
const APP = join(root, 'test/bridges/fixtures/publish-app.mjs');

test('hookwire run --probe SPEC=publish --hook NAME=publish: subscribers of hookwire:<site> get start/end with the live values', async () => {
  const site = `probe:${SPEC}#step`;
  const r = await runCli(['run', '--json', '--probe', `${SPEC}#step=publish`, '--hook', 'app:open=publish', '--', APP, site, 'app:open']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{"event"'))
    .map((l) => JSON.parse(l) as { event: string; site: string; args: unknown[]; result?: unknown });
  assert.deepEqual(lines, [
    { event: 'start', site, args: [2] },
    { event: 'end', site, args: [2], result: 999 },
    { event: 'start', site: 'app:open', args: ['/etc/hosts'] },
    { event: 'end', site: 'app:open', args: ['/etc/hosts'] },
  ]);
  assert.match(r.stdout, /publish-app: done/u);
  // After its subscriber left, the hook's publish exit waits disarmed: the second fire reached nothing.
  const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
    agents: { attachments: { target: string; armed: boolean; report: { sites: Record<string, { hits: number; waiting: boolean }> } }[] }[];
  };
  const opened = summary.agents[0]!.attachments.find((a) => a.target === 'app:open')!;
  assert.equal(opened.armed, false);
  assert.deepEqual({ hits: opened.report.sites['app:open']?.hits, waiting: opened.report.sites['app:open']?.waiting }, { hits: 1, waiting: true });
});
