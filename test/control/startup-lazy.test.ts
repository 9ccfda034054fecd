// Issue 8, start-up: an agent started with nothing attached installs no ES module hooks and loads
// no exit at start; what a control client asks for later still works. A spec over the socket for
// an ES module not loaded yet installs the hooks then and attaches when the program imports it; a
// spec for an ES module loaded before the hooks is never a silent wait (attached, or pending with
// its reason).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { readdirSync } from 'node:fs';
import { call, root, spawnNode, tempDir, until } from './helpers.ts';

const agent = join(root, 'dist/control/agent.js');
const app = join(root, 'test/fixtures/startup/lazy-app.mjs');

interface AttachmentView {
  name: string;
  status: string;
  reason?: string;
  report?: { sites: Record<string, { hits: number }> };
}

test('nothing attached at start: no ES module hooks until a spec names an ES module, which then attaches when imported', { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  const child = spawnNode(['--import', agent, app], { HOOKWIRE_RUNTIME_DIR: tmp.path });
  try {
    await until(() => /^ready \d+ hooks false$/mu.exec(child.stdout()), `the program to start without hooks (stderr: ${child.stderr()})`);
    const sock = await until(() => readdirSync(tmp.path).find((f) => f.endsWith('.sock')), 'the agent socket');
    const where = { socketPath: join(tmp.path, sock) };

    // The first request loads the routes and the catalogue; the answer is the usual one.
    const hooks = await call(where, 'GET', '/v1/hooks');
    assert.equal(hooks.status, 200, hooks.text);
    assert.deepEqual(hooks.body.attachments, []);

    const later = await call(where, 'POST', '/v1/attach', { target: './test/fixtures/startup/later.mjs#later', exit: 'count', name: 'later' });
    assert.equal(later.status, 201, later.text);
    assert.equal(later.body.attached.status, 'pending');
    assert.equal('reason' in later.body.attached, false, 'not loaded yet is all there is to say');

    child.proc.stdin!.write('state\n');
    await until(() => child.stdout().includes('hooks true'), 'the hooks to be installed by the spec');
    child.proc.stdin!.write('import\n');
    await until(() => child.stdout().includes('later 600'), 'the program to import later.mjs and call it');
    const listed = await call(where, 'GET', '/v1/hooks');
    const a = (listed.body.attachments as AttachmentView[]).find((x) => x.name === 'later');
    assert.equal(a?.status, 'attached');
    assert.equal(a?.report?.sites['probe:./test/fixtures/startup/later.mjs#later']?.hits, 3);

    // early.mjs loaded before the hooks existed: not a silent "pending".
    const early = await call(where, 'POST', '/v1/attach', { target: './test/fixtures/startup/early.mjs#early', exit: 'count', name: 'early' });
    assert.equal(early.status, 201, early.text);
    const e = early.body.attached as AttachmentView;
    if (e.status === 'pending') assert.match(e.reason ?? '', /early\.mjs was loaded before a spec named it/u);
    else assert.equal(e.status, 'attached');
  } finally {
    child.proc.stdin!.end();
    assert.equal(await child.exited, 0, child.stderr());
  }
});

test('a spec of the environment that names an ES module installs the hooks at start, before the program runs', { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  const attach = JSON.stringify([{ target: './test/fixtures/startup/early.mjs#early', exit: 'count', name: 'early' }]);
  const child = spawnNode(['--import', agent, app], { HOOKWIRE_RUNTIME_DIR: tmp.path, HOOKWIRE_ATTACH: attach });
  try {
    await until(() => /^ready \d+ hooks true$/mu.exec(child.stdout()), `the program to start with hooks (stderr: ${child.stderr()})`);
    const sock = await until(() => readdirSync(tmp.path).find((f) => f.endsWith('.sock')), 'the agent socket');
    child.proc.stdin!.write('early\n');
    await until(() => child.stdout().includes('early 30'), 'the program to call early.mjs');
    const listed = await call({ socketPath: join(tmp.path, sock) }, 'GET', '/v1/hooks');
    const a = (listed.body.attachments as AttachmentView[]).find((x) => x.name === 'early');
    assert.equal(a?.status, 'attached');
    assert.equal(a?.report?.sites['probe:./test/fixtures/startup/early.mjs#early']?.hits, 2);
  } finally {
    child.proc.stdin!.end();
    assert.equal(await child.exited, 0, child.stderr());
  }
});

test('a CommonJS or built-in spec of the environment installs no ES module hooks', { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  const attach = JSON.stringify([
    { target: 'node:path#join', exit: 'count' },
    { target: './test/fixtures/probe-modules/lib.cjs#add', exit: 'count' },
  ]);
  const child = spawnNode(['--import', agent, app], { HOOKWIRE_RUNTIME_DIR: tmp.path, HOOKWIRE_ATTACH: attach });
  try {
    await until(() => /^ready \d+ hooks false$/mu.exec(child.stdout()), `the program to start without hooks (stderr: ${child.stderr()})`);
  } finally {
    child.proc.stdin!.end();
    assert.equal(await child.exited, 0, child.stderr());
  }
});
