// Issue 8, start-up: with nothing attached the agent loads only what it needs to serve a client
// later. Its control server starts off the program's start, without the core; the core, the
// exits and the thread fleet are loaded at a client's first request. A CommonJS program that ends
// at once never starts the server; no program leaves a socket file, and the summary still lists
// the hooks the program declared. Checked on what the process loaded (module hooks of the test's
// own append every URL to a file) and on whether anything listened, not on time.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { call, root, runCli, spawnNode, tempDir, until } from './helpers.ts';

const agent = join(root, 'dist/control/agent.js');
const traceLoads = join(root, 'test/fixtures/startup/trace-loads.mjs');
const recordListen = join(root, 'test/fixtures/startup/record-listen.cjs');
const fixture = (name: string): string => join(root, 'test/fixtures/startup', name);

/** Which of hookwire's modules each built file holds (written by scripts/bundle.mjs). */
const modulesOf = JSON.parse(readFileSync(join(root, 'dist/chunks/modules.json'), 'utf8')) as Record<string, string[]>;

/** hookwire's modules (paths under dist/ as tsc wrote them) whose code the files named in a loads file hold. */
function hookwireLoads(file: string): string[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // Nothing loaded yet.
  }
  return text
    .split('\n')
    .filter((url) => url.includes('/dist/'))
    .map((url) => url.slice(url.lastIndexOf('/dist/') + '/dist/'.length))
    .flatMap((path) => modulesOf[path] ?? [path]);
}

/**
 * What a start with nothing attached must not load: the core (but its small doors, one chunk: the
 * error class, the copy's key, the compile mode, and the kinds, value descriptions and suggestions
 * the CLI's commands take), the exits, the attachments and the fleet.
 */
const NOT_AT_START =
  /^(core\/(?!(errors|copy|compile\/mode|kinds|validate|suggest)\.js$)|exits\/|control\/(attachments|catalogue|catalogue-on-demand|exit-placement|routes|threads\/fleet)\.js$)/u;

test(
  'nothing attached: the control server starts without the core; the core, the exits and the fleet load at the first request',
  { timeout: 60_000 },
  async () => {
    using tmp = tempDir();
    const loads = join(tmp.path, 'loads');
    // In both compile modes: HOOKWIRE_CODEGEN=off (this file's closure-mode run) reaches the core
    // through its mode's own door, without loading the core.
    const child = spawnNode(['--import', traceLoads, '--import', agent, fixture('loads-app.mjs')], {
      HOOKWIRE_RUNTIME_DIR: tmp.path,
      TEST_LOADS_FILE: loads,
    });
    try {
      await until(() => child.stdout().includes('ready'), `the program to start (stderr: ${child.stderr()})`);
      const sock = join(tmp.path, `${child.proc.pid}.sock`);
      await until(() => readdirSync(tmp.path).includes(`${child.proc.pid}.sock`), 'the agent socket');
      const atStart = hookwireLoads(loads);
      assert.ok(atStart.includes('control/agent.js') && atStart.includes('control/server.js'), atStart.join(' '));
      assert.deepEqual(
        atStart.filter((m) => NOT_AT_START.test(m)),
        [],
      );

      const hooks = await call({ socketPath: sock }, 'GET', '/v1/hooks');
      assert.equal(hooks.status, 200, hooks.text);
      const after = hookwireLoads(loads);
      for (const m of ['core/index.js', 'core/registry.js', 'control/routes.js', 'control/catalogue-on-demand.js', 'control/threads/fleet.js']) {
        assert.ok(after.includes(m), `${m} loaded at the first request: ${after.join(' ')}`);
      }
    } finally {
      child.proc.stdin!.end();
      assert.equal(await child.exited, 0, child.stderr());
    }
  },
);

test('HOOKWIRE_CODEGEN=off reaches the program: its hooks are built without code generation', { timeout: 60_000 }, async () => {
  const program =
    "import { codeGenerationEnabled, hook } from 'hookwire'; hook('t:mode').register(() => {}, { armed: true }); console.log(codeGenerationEnabled());";
  for (const [value, expected] of [
    ['off', 'false'],
    [undefined, 'true'],
  ] as const) {
    const child = spawnNode(['--import', agent, '--input-type=module', '-e', program], { HOOKWIRE_CODEGEN: value });
    child.proc.stdin!.end();
    assert.equal(await child.exited, 0, child.stderr());
    assert.equal(child.stdout(), `${expected}\n`, `HOOKWIRE_CODEGEN=${String(value)}`);
  }
});

test(
  'a CommonJS program that ends at once never starts the control server; no program that ends at once leaves a socket file',
  { timeout: 60_000 },
  async () => {
    using tmp = tempDir();
    const listened = join(tmp.path, 'listened');
    for (const program of ['ends-at-once.cjs', 'ends-at-once.mjs']) {
      const child = spawnNode(['--require', recordListen, '--import', agent, fixture(program)], {
        HOOKWIRE_RUNTIME_DIR: tmp.path,
        TEST_LISTEN_FILE: listened,
      });
      assert.equal(await child.exited, 0, child.stderr());
      assert.equal(child.stdout(), 'done\n');
      assert.equal(child.stderr(), '');
      // An ES module program turns the event loop while Node loads it: its server may have started.
      if (program.endsWith('.cjs')) assert.equal(existsSync(listened), false, 'the server listened');
      assert.deepEqual(
        readdirSync(tmp.path).filter((f) => f !== 'listened'),
        [],
        program,
      );
    }
  },
);

test('the control server starts once the program is done with a busy start, not during it', { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  const listened = join(tmp.path, 'listened');
  const child = spawnNode(['--require', recordListen, '--import', agent, fixture('busy-start.mjs')], {
    HOOKWIRE_RUNTIME_DIR: tmp.path,
    TEST_LISTEN_FILE: listened,
  });
  try {
    const quiet = await until(() => /quiet ([\d.]+)/u.exec(child.stdout()), `the program's start (stderr: ${child.stderr()})`);
    await until(() => readdirSync(tmp.path).includes(`${child.proc.pid}.sock`), 'the agent socket');
    const listenedAt = Number(/^listen ([\d.]+)$/mu.exec(readFileSync(listened, 'utf8'))![1]);
    assert.ok(listenedAt >= Number(quiet[1]), `listened at ${listenedAt} ms, during the busy start (over at ${quiet[1]} ms)`);
  } finally {
    child.proc.stdin!.end();
    assert.equal(await child.exited, 0, child.stderr());
  }
});

test('a program that stays busy gets its control socket all the same', { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  const child = spawnNode(['--import', agent, fixture('busy-start.mjs')], { HOOKWIRE_RUNTIME_DIR: tmp.path, BUSY_MS: 'forever' });
  try {
    await until(() => readdirSync(tmp.path).includes(`${child.proc.pid}.sock`), 'the agent socket');
    const hooks = await call({ socketPath: join(tmp.path, `${child.proc.pid}.sock`) }, 'GET', '/v1/hooks');
    assert.equal(hooks.status, 200, hooks.text);
  } finally {
    child.proc.kill();
    await child.exited;
  }
});

test('a program that ends once its socket is served leaves no socket file', { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  const child = spawnNode(['--import', agent, fixture('loads-app.mjs')], { HOOKWIRE_RUNTIME_DIR: tmp.path });
  await until(() => child.stdout().includes('ready'), `the program to start (stderr: ${child.stderr()})`);
  await until(() => readdirSync(tmp.path).includes(`${child.proc.pid}.sock`), 'the agent socket');
  child.proc.stdin!.end();
  assert.equal(await child.exited, 0, child.stderr());
  assert.deepEqual(readdirSync(tmp.path), []);
});

test('nothing attached: the summary lists the hooks of a program that ends at once', { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  const summaries = join(tmp.path, 'summaries');
  const child = spawnNode(['--import', agent, fixture('hooks-at-once.mjs')], { HOOKWIRE_RUNTIME_DIR: tmp.path, HOOKWIRE_SUMMARY_DIR: summaries });
  assert.equal(await child.exited, 0, child.stderr());
  assert.equal(child.stdout(), 'fired\n');
  const summary = JSON.parse(readFileSync(join(summaries, `${child.proc.pid}.json`), 'utf8')) as { registry: { hooks: { name: string }[] } };
  assert.deepEqual(
    summary.registry.hooks.map((h) => h.name),
    ['startup:once'],
  );
});

/**
 * What a count probe on a CommonJS function must not load (issue 8): the pattern engine of the
 * assert predicates, the other exit types with their sinks and formats, the ES module hooks and
 * transform, the binding views, the breakpoint session and source maps.
 */
const NOT_FOR_A_COUNT =
  /(\/re2js\/|dist\/exits\/(trace|span|publish|assert|sinks|chrome-format|trace-line|latency|histogram)\.js$|dist\/probe\/(esm-(hooks|transform|install|bindings|specs)|breakpoint-(site|session)|source-map)\.js$)/u;

test('a count probe on a CommonJS function loads its exit and the CommonJS probe path only', { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  const loads = join(tmp.path, 'loads');
  const summaries = join(tmp.path, 'summaries');
  const child = spawnNode(['--import', traceLoads, '--import', agent, fixture('count-app.cjs')], {
    HOOKWIRE_RUNTIME_DIR: tmp.path,
    HOOKWIRE_SUMMARY_DIR: summaries,
    TEST_LOADS_FILE: loads,
    HOOKWIRE_ATTACH: JSON.stringify([{ target: `${fixture('counted.cjs')}#add`, exit: { type: 'count' } }]),
  });
  child.proc.stdin!.end();
  assert.equal(await child.exited, 0, child.stderr());
  assert.equal(child.stdout(), 'sum 3\n');
  const summary = JSON.parse(readFileSync(join(summaries, `${child.proc.pid}.json`), 'utf8')) as {
    attachments: { type: string; status: string; stats: { hits: number } }[];
    problems: string[];
  };
  assert.deepEqual(summary.problems, []);
  assert.deepEqual(
    summary.attachments.map((a) => [a.type, a.status, a.stats.hits]),
    [['count', 'attached', 3]],
  );
  const loaded = [
    ...readFileSync(loads, 'utf8')
      .split('\n')
      .filter((url) => url.includes('/re2js/')),
    ...hookwireLoads(loads).map((m) => `dist/${m}`),
  ];
  assert.ok(loaded.includes('dist/exits/count.js'), 'the count exit loaded');
  assert.deepEqual(
    loaded.filter((url) => NOT_FOR_A_COUNT.test(url)),
    [],
  );
});

test("a trace probe, and a library's import of hookwire/exits, load none of the CLI's code", { timeout: 60_000 }, async () => {
  using tmp = tempDir();
  // The agent tracing a CommonJS function: the trace exit, its sinks and formats, the trace output.
  const loads = join(tmp.path, 'loads');
  const child = spawnNode(['--import', traceLoads, '--import', agent, fixture('count-app.cjs')], {
    HOOKWIRE_RUNTIME_DIR: tmp.path,
    TEST_LOADS_FILE: loads,
    HOOKWIRE_ATTACH: JSON.stringify([{ target: `${fixture('counted.cjs')}#add`, exit: { type: 'trace' } }]),
  });
  child.proc.stdin!.end();
  assert.equal(await child.exited, 0, child.stderr());
  assert.equal(child.stdout(), 'sum 3\n');
  assert.match(child.stderr(), /add/u, 'the trace lines');
  const traced = hookwireLoads(loads);
  assert.ok(traced.includes('exits/trace.js') && traced.includes('exits/sinks.js'), traced.join(' '));
  assert.deepEqual(
    traced.filter((m) => m.startsWith('cli/')),
    [],
  );

  // A library's import of every exit: the exits' module, no agent.
  const libraryLoads = join(tmp.path, 'library');
  const library = spawnNode(['--import', traceLoads, '--input-type=module', '-e', "import 'hookwire/exits';"], { TEST_LOADS_FILE: libraryLoads });
  library.proc.stdin!.end();
  assert.equal(await library.exited, 0, library.stderr());
  const imported = hookwireLoads(libraryLoads);
  assert.ok(imported.includes('exits/index.js') && imported.includes('exits/chrome-format.js'), imported.join(' '));
  assert.deepEqual(
    imported.filter((m) => m.startsWith('cli/')),
    [],
  );
});

/** The built-ins a process with the agent loaded, as builtins-app.cjs wrote them at its exit. */
function builtinsLoaded(file: string): string[] {
  const builtins = readFileSync(file, 'utf8').split('\n');
  assert.ok(builtins.includes('NativeModule worker_threads'), "the list is the agent's process (it loads worker_threads)");
  return builtins;
}

/**
 * Built-ins a count probe under `hookwire run` has no use for (issue 8): node:child_process (only
 * a run in a child process, or an ES module spec's check, starts one) and node:http with the
 * control server's code (attaching marks nothing of the server's; own-messages.ts).
 */
const NOT_FOR_A_RUN = /^NativeModule (child_process|http|_http_server|internal\/child_process)$/u;

test(
  'hookwire run: a count probe on a CommonJS function in this process loads neither node:child_process nor node:http',
  { timeout: 60_000 },
  async () => {
    using tmp = tempDir();
    const loads = join(tmp.path, 'loads');
    const { code, stdout, stderr } = await runCli(['run', '--probe', `${fixture('counted.cjs')}#add=count`, '--', fixture('builtins-app.cjs')], {
      TEST_LOADS_FILE: loads,
    });
    assert.equal(code, 0, stderr);
    assert.equal(stdout, 'sum 3\n');
    assert.match(stderr, /probe:.*counted\.cjs#add\s+1\s/u);
    const builtins = builtinsLoaded(loads);
    assert.deepEqual(
      builtins.filter((m) => NOT_FOR_A_RUN.test(m)),
      [],
    );
  },
);

test(
  "the agent with a count probe never makes node:util's lazy properties (Node 22 and 24 load streams and worker_threads for them)",
  { timeout: 60_000 },
  async () => {
    using tmp = tempDir();
    const loads = join(tmp.path, 'loads');
    const child = spawnNode(['--import', agent, fixture('builtins-app.cjs')], {
      TEST_LOADS_FILE: loads,
      HOOKWIRE_ATTACH: JSON.stringify([{ target: `${fixture('counted.cjs')}#add`, exit: { type: 'count' } }]),
    });
    child.proc.stdin!.end();
    assert.equal(await child.exited, 0, child.stderr());
    assert.equal(child.stdout(), 'sum 3\n');
    const builtins = builtinsLoaded(loads);
    // util.parseArgs and util.diff are lazy properties of node:util: made only when read.
    assert.deepEqual(
      builtins.filter((m) => /^NativeModule internal\/util\/(parse_args\/parse_args|diff)$/u.test(m)),
      [],
    );
  },
);
