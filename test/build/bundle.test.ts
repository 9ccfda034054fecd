// The built package (scripts/bundle.mjs): every module tsc wrote is in exactly one file of dist/,
// so a process has one instance of each; the entry points are at their paths and nothing else of
// tsc's is left beside them; the agent's start and an in-process `hookwire run` load few files,
// and the CLI's other commands none of the core, the exit spec parser, the run command or the
// agent's server;
// code in a chunk finds hookwire's own files (probe/own-files.ts) and the registry's key; every
// built script is ASCII.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { root, spawnNode, tempDir } from '../control/helpers.ts';

const dist = join(root, 'dist');
const modulesOf = JSON.parse(readFileSync(join(dist, 'chunks/modules.json'), 'utf8')) as Record<string, string[]>;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [relative(dist, path).split(sep).join('/')];
  });
}

/** Every .ts file under src/ but the declaration-only ones, as tsc names its output. */
function sourceModules(): string[] {
  const src = join(root, 'src');
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return walk(path);
      return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [relative(src, path).split(sep).join('/').replace(/\.ts$/u, '.js')] : [];
    });
  return walk(src);
}

test('each module is in exactly one built file, and the built files are the entry points and dist/chunks/', () => {
  const placed = Object.values(modulesOf).flat();
  assert.equal(new Set(placed).size, placed.length, 'a module in two files');
  // Modules with runtime code are all placed; a types-only module has nothing to place.
  const missing = sourceModules().filter((m) => !placed.includes(m));
  const withCode = missing.filter((m) => {
    const text = readFileSync(join(root, 'src', m.replace(/\.js$/u, '.ts')), 'utf8');
    return /^(export )?(const|let|function|class|async function)\b/mu.test(text);
  });
  assert.deepEqual(withCode, [], 'modules with code that no built file holds');
  const js = files(dist).filter((f) => f.endsWith('.js') && !f.startsWith('ui/'));
  const strays = js.filter((f) => !f.startsWith('chunks/') && !(f in modulesOf));
  assert.deepEqual(strays, [], "tsc's own modules left beside the bundle");
  for (const entry of ['core/index.js', 'probe/index.js', 'probe/register.js', 'exits/index.js', 'control/index.js', 'control/agent.js', 'cli/main.js']) {
    assert.ok(js.includes(entry), `${entry} is built`);
  }
});

test('every built script is ASCII, its non-ASCII characters escaped with the same meaning', async () => {
  const scripts = files(dist).filter((f) => /\.c?js$/u.test(f));
  assert.ok(scripts.length > 40, scripts.join(' '));
  const nonAscii = scripts.filter((f) => [...readFileSync(join(dist, f))].some((byte) => byte > 0x7f));
  assert.deepEqual(nonAscii, [], 'files Node decodes on its slow path');
  // The escapes keep what the code means: the exits' summaries still mark a cut string with '…'.
  const { summarize } = (await import(pathToFileURL(join(dist, 'exits/index.js')).href)) as { summarize: (v: unknown, limits: object) => unknown };
  assert.match(String(summarize('x'.repeat(300), { string: 10 })), /…/u);
});

/** The hookwire files a process loaded, from the module-load trace of test/fixtures/startup/. */
function loadedFiles(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((url) => url.includes('/dist/'))
    .map((url) => url.slice(url.lastIndexOf('/dist/') + '/dist/'.length));
}

test("a program that ends at once loads 3 of hookwire's files with the agent, an in-process run with a count at most 15", async () => {
  using tmp = tempDir();
  const trace = join(root, 'test/fixtures/startup/trace-loads.mjs');
  const program = join(root, 'test/fixtures/startup/ends-at-once.cjs');
  const agentLoads = join(tmp.path, 'agent');
  const agent = spawnNode(['--import', trace, '--import', join(dist, 'control/agent.js'), program], {
    TEST_LOADS_FILE: agentLoads,
    HOOKWIRE_RUNTIME_DIR: tmp.path,
  });
  agent.proc.stdin!.end();
  assert.equal(await agent.exited, 0, agent.stderr());
  const atStart = loadedFiles(agentLoads);
  // The agent, its start and the core's doors; the control server never starts for a CommonJS
  // program that ends at once (startup-loads.test.ts). In any order: a module's imports load
  // concurrently, so the trace may list them either way.
  assert.deepEqual(
    atStart.map((f) => f.replace(/-[\w-]{8}\.js$/u, '')).sort(),
    ['chunks/agent-start', 'chunks/core-doors', 'control/agent.js'],
    atStart.join(' '),
  );

  const runLoads = join(tmp.path, 'run');
  const run = spawnNode([join(dist, 'cli/main.js'), 'run', '--probe', `${join(root, 'test/fixtures/startup/counted.cjs')}#add=count`, '--', program], {
    NODE_OPTIONS: `--import ${pathToFileURL(trace).href}`,
    TEST_LOADS_FILE: runLoads,
    HOOKWIRE_RUNTIME_DIR: tmp.path,
  });
  run.proc.stdin!.end();
  assert.equal(await run.exited, 0, run.stderr());
  const ran = loadedFiles(runLoads);
  assert.ok(ran.includes('cli/main.js') && ran.includes('control/agent.js'), ran.join(' '));
  assert.ok(ran.length <= 15, `${ran.length} files: ${ran.join(' ')}`);
});

/** hookwire's modules (as tsc names them) that `hookwire ARGS` loaded, run with no agent in reach. */
async function cliLoads(args: string[]): Promise<string[]> {
  using tmp = tempDir();
  const loads = join(tmp.path, 'loads');
  const cli = spawnNode(['--import', join(root, 'test/fixtures/startup/trace-loads.mjs'), join(dist, 'cli/main.js'), ...args], {
    TEST_LOADS_FILE: loads,
    HOOKWIRE_RUNTIME_DIR: tmp.path,
  });
  cli.proc.stdin!.end();
  await cli.exited;
  return loadedFiles(loads).flatMap((path) => modulesOf[path] ?? [path]);
}

test('the commands that talk to an agent load neither the core, the exit spec parser, the run command nor the agent, its server or its attachments', async () => {
  const heavy = /^(core\/(index|registry|hook)|exits\/(exit-spec|observer|budget)|cli\/run|control\/(agent|server|attachments|threads\/fleet))\.js$/u;
  for (const args of [['ls'], ['arm', '--help'], ['top', '--help'], ['remove', '--help'], ['--version']]) {
    const loaded = await cliLoads(args);
    assert.ok(loaded.includes('cli/main.js'), `${args.join(' ')}: ${loaded.join(' ')}`);
    assert.deepEqual(
      loaded.filter((m) => heavy.test(m)),
      [],
      `hookwire ${args.join(' ')}`,
    );
  }
  // What `ls` must load to do its work: the protocol's answer checks, the client, the runtime directory.
  const ls = await cliLoads(['ls']);
  for (const m of ['control/protocol.js', 'control/client.js', 'control/runtime-dir.js', 'cli/ls.js']) assert.ok(ls.includes(m), `${m}: ${ls.join(' ')}`);
});

test("code in a chunk finds hookwire's own files under dist/, and the registry under the same key as the agent", () => {
  const chunk = Object.keys(modulesOf).find((f) => modulesOf[f]!.includes('probe/own-files.js'))!;
  assert.match(chunk, /^chunks\//u);
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(pathToFileURL(join(dist, chunk)).href)});
       const own = Object.values(m).find((f) => typeof f === 'function' && f.name === 'ownFile');
       const { registry } = await import(${JSON.stringify(pathToFileURL(join(dist, 'core/index.js')).href)});
       const key = Symbol.for('hookwire.registry ' + ${JSON.stringify(pathToFileURL(dist).href + '/')});
       console.log(JSON.stringify([own('control/agent.js').href, globalThis[key] === registry]));`,
    ],
    { encoding: 'utf8' },
  );
  assert.deepEqual(JSON.parse(out), [pathToFileURL(join(dist, 'control/agent.js')).href, true]);
});
