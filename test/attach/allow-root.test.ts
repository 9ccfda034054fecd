// Root and another user's process (issue 10: "only the same user, or root, explicitly"): root is
// refused like anyone else unless it says --allow-root (or HOOKWIRE_ALLOW_ROOT=1); then the agent
// comes in as that user, with its socket in that user's runtime directory (from the process's
// environment), and root attaches, reads, disarms, arms and removes through it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir } from '../control/helpers.ts';
import { freePort, httpGet, QUERY, cannotRunAsOther, startPlainApp } from './helpers.ts';

test(
  "root attaches to another user's process only with --allow-root",
  {
    timeout: 60_000,
    skip: cannotRunAsOther(),
  },
  async () => {
    using mine = tempDir();
    // The other user's runtime directory, named in its environment; its agent creates it, in a
    // parent of that user's own (the machine's temporary directory may not let others create: TMPDIR).
    const home = join(tmpdir(), `hw-other-${randomBytes(6).toString('hex')}`);
    mkdirSync(home, { mode: 0o700 });
    chownSync(home, 65534, 65534);
    const theirs = join(home, 'runtime');
    const app = await startPlainApp([`--inspect-port=${await freePort()}`], { HOOKWIRE_RUNTIME_DIR: theirs }, { uid: 65534, gid: 65534 });
    const pid = String(app.proc.pid);
    const env = { HOOKWIRE_RUNTIME_DIR: mine.path, HOOKWIRE_IDLE_MS: '60000' };
    try {
      const refused = await runCli(['attach', pid, QUERY, 'count'], env);
      assert.equal(refused.code, 2, refused.stdout + refused.stderr);
      assert.match(refused.stderr, /belongs to uid 65534, not to you \(uid 0\).*only with --allow-root\) \(ERR_ATTACH_REFUSED\)\n$/u);
      assert.equal(existsSync(theirs), false, 'nothing came in');

      const attached = await runCli(['attach', pid, QUERY, 'count', '--name', 'q', '--allow-root'], env);
      assert.equal(attached.code, 0, attached.stderr);
      assert.equal(attached.stdout, 'attached q (attached, armed)\n');
      const dir = statSync(theirs);
      assert.deepEqual([dir.uid, dir.mode & 0o777], [65534, 0o700], "the socket is in the user's own private directory");
      assert.equal(existsSync(join(mine.path, `${pid}.sock`)), false);

      await httpGet(app.port, '/a');
      await httpGet(app.port, '/b');
      const ls = await runCli(['ls', pid, '--json'], { ...env, HOOKWIRE_ALLOW_ROOT: '1' });
      assert.equal(ls.code, 0, ls.stderr);
      const listing = JSON.parse(ls.stdout) as { attachments: { name: string; stats: { hits: number } }[] };
      assert.deepEqual(
        listing.attachments.map((a) => [a.name, a.stats.hits]),
        [['q', 2]],
      );
      // disarm, arm and remove reach it too with HOOKWIRE_ALLOW_ROOT=1, and never bring an agent in.
      const plainDisarm = await runCli(['disarm', pid, 'q'], env);
      assert.notEqual(plainDisarm.code, 0, 'without the setting, root looks only in its own runtime directory');
      for (const verb of ['disarm', 'arm']) {
        const r = await runCli([verb, pid, 'q'], { ...env, HOOKWIRE_ALLOW_ROOT: '1' });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, `${verb}ed q\n`);
      }
      const removed = await runCli(['remove', pid, 'q', '--json'], { ...env, HOOKWIRE_ALLOW_ROOT: '1' });
      assert.equal(removed.code, 0, removed.stderr);
      assert.equal((JSON.parse(removed.stdout) as { removed: { status: string } }).removed.status, 'removed');
      assert.equal(await httpGet(app.port, '/same'), '200 true');
    } finally {
      assert.equal(await app.stop(), 0);
      rmSync(home, { recursive: true, force: true });
    }
  },
);
