// ls, attach, arm, disarm, remove and top against a running program, in text and --json; their
// failures against a live agent (unknown names, sealed hooks) are exit 2 with one line.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { root, runCli, spawnNode, cli, startService, tempDir, until } from '../control/helpers.ts';
import { drive } from '../control/workload.ts';

const QUOTE = './examples/service/pricing.cjs#quote';
const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

test('ls, attach, arm, disarm, remove and top on the running example service', { timeout: 90_000 }, async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path };
  const service = await startService(tmp.path, ['--hook', 'shop:request=count']);
  const pid = String(service.pid);
  try {
    // ls: the agents, then one agent.
    const agents = await runCli(['ls'], env);
    assert.equal(agents.code, 0);
    assert.match(agents.stdout, /^\s*PID\s+UPTIME\s+NODE\s+CONTROL\s+COMMAND\n/u);
    assert.match(agents.stdout, new RegExp(`^\\s*${pid}\\s+\\d+s\\s+v\\d+\\S*\\s+unix\\s+.*examples/service/main\\.mjs --serve`, 'mu'));
    const agentsJson = JSON.parse((await runCli(['ls', '--json'], env)).stdout);
    assert.deepEqual(
      agentsJson.map((a: { pid: number }) => a.pid),
      [service.pid],
    );

    // attach (text and JSON), with a default name and a chosen one.
    const a1 = await runCli(['attach', pid, QUOTE], env);
    assert.equal(a1.code, 0, a1.stderr);
    assert.equal(a1.stdout, `attached latency@${QUOTE} (attached, armed)\n`);
    const a2 = await runCli(['attach', pid, 'shop:order', '{"type":"trace","every":2}', '--name', 'orders', '--disarmed', '--json'], env);
    assert.equal(a2.code, 0, a2.stderr);
    assert.equal(JSON.parse(a2.stdout).attached.name, 'orders');
    assert.equal(JSON.parse(a2.stdout).attached.armed, false);
    await drive(service.port);

    const listing = await runCli(['ls', pid], env);
    assert.equal(listing.code, 0, listing.stderr);
    assert.match(listing.stdout, /^HOOK\s+KIND\s+STATE\s+HITS\s+FAULTS\s+EXITS$/mu);
    assert.match(listing.stdout, /^shop:request\s+hook\s+armed\s+20\s+0\s+count@shop:request$/mu);
    assert.match(listing.stdout, /^shop:order\s+asyncHook\s+idle\s+0\s+0\s+orders \(disarmed\)$/mu);
    assert.match(listing.stdout, new RegExp(`^latency@${esc(QUOTE)}\\s+latency\\s+armed\\s+8\\s+\\d`, 'mu'));
    const listingJson = JSON.parse((await runCli(['ls', pid, '--json'], env)).stdout);
    assert.equal(listingJson.pid, service.pid);
    assert.deepEqual(
      listingJson.attachments.map((a: { name: string }) => a.name),
      ['count@shop:request', `latency@${QUOTE}`, 'orders'],
    );

    // arm / disarm by attachment name and by hook name.
    assert.deepEqual(await runCli(['arm', pid, 'orders'], env), { code: 0, stdout: 'armed orders\n', stderr: '' });
    const dis = await runCli(['disarm', pid, 'shop:request', '--json'], env);
    assert.equal(dis.code, 0, dis.stderr);
    assert.deepEqual(JSON.parse(dis.stdout).disarmed, { name: 'shop:request', exits: [{ name: 'count@shop:request', armed: false }] });
    await drive(service.port);
    const after = JSON.parse((await runCli(['ls', pid, '--json'], env)).stdout);
    const byName = Object.fromEntries(after.attachments.map((a: { name: string; stats: { hits: number } }) => [a.name, a.stats.hits]));
    assert.equal(byName['count@shop:request'], 20, 'disarmed: no more counts');
    assert.equal(byName['orders'], 4, "armed: the second round's orders");
    assert.equal(byName[`latency@${QUOTE}`], 16);

    // top --once: a frame, and its rows as JSON.
    const frame = await runCli(['top', pid, '--once', '--interval', '200'], env);
    assert.equal(frame.code, 0, frame.stderr);
    const lines = frame.stdout.trim().split('\n');
    assert.match(lines[0]!, new RegExp(`^hookwire top {2}pid ${pid} `, 'u'));
    assert.match(lines[2]!, /^SITE\s+KIND\s+STATE\s+HITS\s+RATE\/s\s+P50\s+P99\s+MAX\s+FAULTS\s+MISSED$/u);
    assert.match(frame.stdout, new RegExp(`^probe:${esc(QUOTE)}\\s+probe\\s+armed\\s+16\\s+0\\.0\\s+\\d`, 'mu'));
    let flowing = true;
    const busy = (async () => {
      while (flowing) await drive(service.port);
    })();
    // One 300 ms frame may fall between requests on a loaded machine: a few frames, the first
    // with a rate wins (every frame must still have the row).
    let quoteRow: { rate: number; p99Ms: unknown } | undefined;
    for (let frames = 0; frames < 5 && !(quoteRow !== undefined && quoteRow.rate > 0); frames++) {
      const rows = JSON.parse((await runCli(['top', pid, '--once', '--json', '--interval', '300'], env)).stdout).rows;
      quoteRow = rows.find((r: { site: string }) => r.site === `probe:${QUOTE}`);
      assert.ok(quoteRow, 'the probe has a row');
    }
    flowing = false;
    await busy;
    assert.ok(quoteRow !== undefined && quoteRow.rate > 0, `a rate while requests flow: ${JSON.stringify(quoteRow)}`);
    assert.equal(typeof quoteRow.p99Ms, 'number');

    // remove, and errors against the live agent.
    assert.deepEqual(await runCli(['remove', pid, 'orders'], env), { code: 0, stdout: 'removed orders\n', stderr: '' });
    for (const [args, reason] of [
      [['remove', pid, 'orders'], /no attachment named "orders" \(ERR_NOT_FOUND\)/u],
      [['remove', pid, 'shop:request'], /can be disarmed, not removed/u],
      [['arm', pid, 'nobody'], /ERR_NOT_FOUND/u],
      [['arm', pid, 'shop:request', '--exit', 'nobody'], /has no exit named "nobody"/u],
      [['attach', pid, 'shop:nothing'], /no hook named "shop:nothing"/u],
      [['attach', pid, './examples/service/nope.js#f'], /ERR_MODULE_NOT_FOUND/u],
      [['attach', pid, `${QUOTE}`, 'count', '--name', `latency@${QUOTE}`], /ERR_NAME_TAKEN/u],
    ] as [string[], RegExp][]) {
      const r = await runCli(args, env);
      assert.equal(r.code, 2, `${args.join(' ')} → ${r.stderr}`);
      assert.equal(r.stderr.split('\n').filter(Boolean).length, 1);
      assert.match(r.stderr, reason);
    }
  } finally {
    assert.equal(await service.stop(), 0, service.stderr());
  }
});

test('a sealed hook refuses attach and arm from the CLI: exit 2 with ERR_HOOK_SEALED', { timeout: 30_000 }, async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path };
  const program = spawnNode([cli, 'run', '--', join(root, 'test/fixtures/control-sealed.mjs')], env);
  await until(() => program.stdout().includes('ready'), 'the fixture');
  const { readdirSync } = await import('node:fs');
  const pid = (await until(() => readdirSync(tmp.path).find((f) => f.endsWith('.sock')), 'its socket')).replace('.sock', '');
  try {
    for (const args of [
      ['attach', pid, 'fixture:locked', 'count'],
      ['arm', pid, 'fixture:locked'],
      ['disarm', pid, 'fixture:locked', '--exit', 'own'],
    ]) {
      const r = await runCli(args, env);
      assert.equal(r.code, 2, `${args.join(' ')} → ${r.stderr}`);
      assert.match(r.stderr, /\(ERR_HOOK_SEALED\)\n$/u);
    }
    const ok = await runCli(['attach', pid, 'fixture:open', 'count'], env);
    assert.equal(ok.code, 0, 'the hook next to it is open');
    const listing = JSON.parse((await runCli(['ls', pid, '--json'], env)).stdout);
    const locked = listing.registry.hooks.find((h: { name: string }) => h.name === 'fixture:locked');
    assert.deepEqual(
      locked.exits.map((e: { name: string; armed: boolean }) => [e.name, e.armed]),
      [['own', false]],
    );
  } finally {
    program.proc.stdin!.end();
    assert.equal(await program.exited, 0);
  }
});

test('attach with a list of exits is all or nothing: a refusal of a later one removes those attached before it', { timeout: 30_000 }, async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path };
  const service = await startService(tmp.path, ['--hook', 'shop:request=count']);
  const pid = String(service.pid);
  try {
    // A line probe takes count (entry only) and refuses latency (it never sees the return).
    const r = await runCli(['attach', pid, 'probe:./examples/service/pricing.cjs:5', 'count,latency'], env);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '', 'nothing reported as attached');
    assert.match(r.stderr, /^hookwire attach: .*\(ERR_PROBE_BREAKPOINT\)\n$/u);
    const listing = JSON.parse((await runCli(['ls', pid, '--json'], env)).stdout);
    assert.deepEqual(
      listing.attachments.map((a: { name: string }) => a.name),
      ['count@shop:request'],
      'the count exit attached first is gone again',
    );
    // A name that starts with "-" is reached after --, as every command's positionals are.
    assert.equal((await runCli(['attach', pid, 'shop:order', 'count', '--name=-x'], env)).code, 0);
    for (const args of [
      ['disarm', pid, '--', '-x'],
      ['arm', pid, '--', '-x'],
      ['remove', pid, '--', '-x'],
    ]) {
      const r = await runCli(args, env);
      assert.equal(r.code, 0, `${args.join(' ')} → ${r.stderr}`);
    }
    const after = JSON.parse((await runCli(['ls', pid, '--json'], env)).stdout);
    assert.deepEqual(
      after.attachments.map((a: { name: string }) => a.name),
      ['count@shop:request'],
    );
  } finally {
    assert.equal(await service.stop(), 0);
  }
});

test('a change a stopped program has not answered is ERR_NO_ANSWER (it may still be made), not "no agent"', { timeout: 30_000 }, async () => {
  using tmp = tempDir();
  const env = { HOOKWIRE_RUNTIME_DIR: tmp.path };
  const service = await startService(tmp.path, ['--hook', 'shop:request']);
  const pid = String(service.pid);
  try {
    process.kill(service.pid, 'SIGSTOP');
    let r;
    try {
      r = await runCli(['disarm', pid, 'shop:request'], env);
    } finally {
      process.kill(service.pid, 'SIGCONT');
    }
    assert.equal(r.code, 2, r.stdout);
    assert.match(
      r.stderr,
      /^hookwire disarm: no answer to POST \/v1\/disarm from the agent at .* within 5000 ms: the program may still make the change .* \(ERR_NO_ANSWER\)\n$/u,
    );
    // Whether it did depends on whether the agent read the request before the client hung up;
    // either way the program answers again.
    const listing = JSON.parse((await runCli(['ls', pid, '--json'], env)).stdout);
    assert.deepEqual(
      listing.attachments.map((a: { name: string }) => a.name),
      ['count@shop:request'],
    );
  } finally {
    assert.equal(await service.stop(), 0);
  }
});
