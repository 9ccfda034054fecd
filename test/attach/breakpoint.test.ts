// The breakpoint path over the control socket (issue 10): a program started with plain `node`
// and made of ES modules gets the agent brought in; a probe on an export it loaded long ago and
// a line probe both attach (the export through a breakpoint handed over to the wrapper on its
// first call, the line on a breakpoint), are counted exactly, show as breakpoint probes in
// hookwire ls, refuse what a breakpoint cannot give, and leave the program as it was when removed.
// Also `hookwire run --probe` on an export that a preload of the program loaded before the agent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, spawnNode, cli, tempDir, until } from '../control/helpers.ts';
import { ESM_APP, freePort, httpGet, startPlainApp } from './helpers.ts';

const LIB = './test/attach/fixtures/lib/prices.mjs';

interface Listing {
  registry: { hooks: { name: string; meta?: Record<string, unknown>; exits: { name: string }[] }[] };
  attachments: { name: string; status: string; stats: { hits: number; missed: number } }[];
}

test('attach to a plain node ES module program: a late export and a line, through breakpoints', { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path, HOOKWIRE_IDLE_MS: '60000', NO_COLOR: '1' };
  const app = await startPlainApp([`--inspect-port=${await freePort()}`], {}, { app: ESM_APP });
  const pid = String(app.proc.pid);
  try {
    const before = [await httpGet(app.port, '/a'), await httpGet(app.port, '/sale')];
    assert.deepEqual(before, ['200 {"path":"/a","cents":200}', '200 {"path":"/sale","cents":250}']);

    const exported = await runCli(['attach', pid, `probe:${LIB}#price`, 'count', '--name', 'price'], env);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(exported.stdout, 'attached price (attached, armed)\n');
    const line = await runCli(['attach', pid, `probe:${LIB}:5`, 'count', '--name', 'discount'], env);
    assert.equal(line.code, 0, line.stderr);
    // A line has no return or duration to give: latency is refused, with the limit named.
    const timed = await runCli(['attach', pid, `probe:${LIB}:5`, 'latency'], env);
    assert.equal(timed.code, 2, timed.stdout);
    assert.match(timed.stderr, /a breakpoint probe sees the entry only, never the return, an error or the duration.*\(ERR_PROBE_BREAKPOINT\)\n$/u);

    const listed = async (): Promise<Listing> => {
      const r = await runCli(['ls', pid, '--json'], env);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as Listing;
    };
    const hookOf = (l: Listing, name: string) => l.registry.hooks.find((h) => h.exits.some((e) => e.name === name));
    let l = await listed();
    assert.equal(hookOf(l, 'price')?.meta?.['wrapper'], 'breakpoint', 'the export starts on a breakpoint');
    assert.equal(hookOf(l, 'discount')?.meta?.['wrapper'], 'breakpoint');
    const table = await runCli(['ls', pid], env);
    assert.match(table.stdout, /probe:\.\/test\/attach\/fixtures\/lib\/prices\.mjs:5\s+probe \(breakpoint\)/u);

    const paths = ['/b', '/sale-1', '/cc', '/sale-22'];
    const during = await Promise.all(paths.map((p) => httpGet(app.port, p)));
    assert.deepEqual(during, [
      '200 {"path":"/b","cents":200}',
      '200 {"path":"/sale-1","cents":350}',
      '200 {"path":"/cc","cents":300}',
      '200 {"path":"/sale-22","cents":400}',
    ]);
    l = await listed();
    const stats = Object.fromEntries(l.attachments.map((a) => [a.name, [a.status, a.stats.hits, a.stats.missed]]));
    // The first call handed the export over (unprobed, missed); the line runs for the two sales.
    assert.deepEqual(stats, { price: ['attached', 3, 1], discount: ['attached', 2, 0] });
    assert.notEqual(hookOf(l, 'price')?.meta?.['wrapper'], 'breakpoint', 'handed over to a wrapper');
    assert.equal(await httpGet(app.port, '/same'), '200 false', 'the binding holds the wrapper');

    for (const name of ['price', 'discount']) {
      const removed = await runCli(['remove', pid, name], env);
      assert.equal(removed.code, 0, removed.stderr);
    }
    l = await listed();
    assert.deepEqual(l.attachments, []);
    assert.deepEqual(
      l.registry.hooks.filter((h) => h.name.startsWith('probe:')),
      [],
      'no probe hook left',
    );
    assert.equal(await httpGet(app.port, '/same'), '200 true', 'the original is back in the binding');
    assert.deepEqual([await httpGet(app.port, '/a'), await httpGet(app.port, '/sale')], before);
  } finally {
    assert.equal(await app.stop(), 0);
  }
});

test('run --probe on an export a preload loaded before the agent: breakpoint, then the wrapper', { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  // The program's own preload imports the module before hookwire's agent (and its module hooks) run.
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path, NODE_OPTIONS: `--import ${LIB}`, NO_COLOR: '1' };
  const run = spawnNode([cli, 'run', '--probe', `${LIB}#price=count`, '--', process.execPath, ESM_APP], env);
  try {
    const port = Number(await until(() => /listening (\d+)/u.exec(run.stdout())?.[1], `the app to listen (stderr: ${run.stderr()})`, 20_000));
    assert.deepEqual(
      [await httpGet(port, '/a'), await httpGet(port, '/bb'), await httpGet(port, '/ccc')],
      ['200 {"path":"/a","cents":200}', '200 {"path":"/bb","cents":300}', '200 {"path":"/ccc","cents":400}'],
    );
  } finally {
    run.proc.stdin!.end();
  }
  assert.equal(await run.exited, 0, run.stderr());
  // The summary at exit: three calls, the first handed the export over (missed), two counted.
  assert.match(run.stderr(), /^probe:\.\/test\/attach\/fixtures\/lib\/prices\.mjs#price\s+2\s+-\s+-\s+0\s+1\s/mu);
});
