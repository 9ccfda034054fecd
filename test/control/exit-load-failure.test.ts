// An exit type whose module cannot be loaded any more (hookwire's files replaced under a running
// program, as an upgrade in place does) is refused with the reason, not "prepare its spec first".
import assert from 'node:assert/strict';
import { cpSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { root, spawnNode, tempDir, until } from './helpers.ts';

test('an exit type whose module went missing under the program is refused with why (ERR_INTERNAL)', { timeout: 30_000 }, async () => {
  using tmp = tempDir();
  const copy = join(tmp.path, 'hw');
  cpSync(join(root, 'dist'), join(copy, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(copy, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  const program = join(copy, 'prog.mjs');
  writeFileSync(
    program,
    "import { hook } from 'hookwire';\nconst h = hook('t:x');\nsetInterval(() => h.fire(1), 50);\nconsole.log('ready');\nprocess.stdin.on('end', () => process.exit(0)).resume();\n",
  );
  const runtime = join(tmp.path, 'rt');
  const env = { HOOKWIRE_RUNTIME_DIR: runtime };
  const cli = join(copy, 'dist/cli/main.js');
  const runCli = async (args: string[]) => {
    const child = spawnNode([cli, ...args], env);
    child.proc.stdin!.end();
    return { code: await child.exited, stdout: child.stdout(), stderr: child.stderr() };
  };
  const app = spawnNode([cli, 'run', '--', program], env);
  try {
    await until(() => app.stdout().includes('ready'), `the program to start (stderr: ${app.stderr()})`);
    const pid = (await until(() => readdirSync(runtime).find((f) => f.endsWith('.sock')), 'the agent socket')).replace('.sock', '');
    const chunks = join(copy, 'dist/chunks');
    for (const f of readdirSync(chunks).filter((n) => n.startsWith('publish-'))) renameSync(join(chunks, f), join(tmp.path, f));
    const r = await runCli(['attach', pid, 't:x', 'publish']);
    assert.equal(r.code, 2, r.stdout);
    assert.match(
      r.stderr,
      /the publish exit could not be loaded: .*publish-.*\(were hookwire's files changed under the running program\?\) \(ERR_INTERNAL\)\n$/u,
    );
    // Another type still attaches: the agent is fine.
    assert.equal((await runCli(['attach', pid, 't:x', 'count'])).code, 0);
  } finally {
    app.proc.stdin!.end();
    assert.equal(await app.exited, 0, app.stderr());
  }
});
