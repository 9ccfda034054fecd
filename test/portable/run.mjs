#!/usr/bin/env node
// The core runs wherever JavaScript runs: this runs the core's own test files (test/core/*.test.ts)
// on Bun, Deno and Chromium, each with code generation on and off, and in Chromium also under a
// Content-Security-Policy without 'unsafe-eval', where the closure mode must be detected, not forced.
//
//   npm run test:portable [-- --skip-bun] [--skip-deno] [--skip-chromium] [--keep]
//
// How: esbuild bundles each test file for the browser-neutral platform, with `node:test` and
// `node:assert/strict` aliased to the shims beside this file and `process` to process.ts, so the
// SAME test files run everywhere (a `node:` import anywhere in the core or its tests fails the
// build). One bundle per file: each file starts from fresh module state, as under node --test.
// Node first runs the same files with its own runner and a reporter (names-reporter.mjs) that
// lists every test; each runtime must then report exactly those tests, all passing (or skipped by
// the test's own option). A canary file checks the harness itself on each runtime first.
//
// Bun and Deno come from the npm registry (pinned below; scripts/ci/npm-binary.sh caches them in
// ${HOOKWIRE_CI_CACHE:-~/.cache/hookwire-ci}). Chromium is the system's (/usr/bin/chromium, Debian's
// package; HOOKWIRE_CHROMIUM overrides the path), driven by playwright-core; nothing is downloaded for
// it. A runtime is left out only when asked (--skip-…), and the summary says so.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

/** Versions of the runtimes, pinned: the newest in the npm registry when chosen (2026-11). */
const PINS = {
  bun: { pkg: '@oven/bun-linux-x64', version: '1.4.5', bin: 'bin/bun' },
  deno: { pkg: '@deno/linux-x64-glibc', version: '2.9.6', bin: 'deno' },
};

/** Core test files that need Node itself, and why. Every other test/core/*.test.ts runs everywhere. */
const EXCLUDED = {
  'test/core/purity.test.ts': "reads the core's source files with node:fs (a check of the source text; the bundles here are the behavioural proof)",
  'test/core/soak.slow.test.ts': 'spawns a Node child with --expose-gc to measure the heap over a million cycles',
};

/** The runs of each runtime. `setup`: test/setup.ts forces the mode from HOOKWIRE_CODEGEN; without it the core detects the mode itself. */
const CONFIGS = {
  on: { env: { HOOKWIRE_CODEGEN: 'on' }, setup: true, codegen: true, evalAllowed: true },
  off: { env: { HOOKWIRE_CODEGEN: 'off' }, setup: true, codegen: false, evalAllowed: true },
  // the page forbids eval: the core must find that out by itself (mode.test.ts then expects off)
  csp: { env: { HOOKWIRE_CODEGEN: 'off' }, setup: false, codegen: false, evalAllowed: false },
};
const CSP = "default-src 'none'; script-src 'self'";

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What the canary (canary.ts) must report, test by test. */
const CANARY = {
  'canary: a passing test passes': 'pass',
  'canary: a failed deep-equal fails': 'fail',
  'canary: an unhandled rejection fails the test it happened in': 'fail',
  'canary: a test over its timeout fails': 'fail',
  "canary: the run's environment is visible through process.env": 'pass',
  'canary suite > a nested test passes': 'pass',
  'canary suite > a skipped test is skipped': 'skip',
  'canary: after hooks have not run before the last test': 'pass',
};

const FILE_TIMEOUT_MS = 5 * 60_000;
const PREFIX = '@@hookwire-portable ';

const argv = process.argv.slice(2);
const known = new Set(['--skip-bun', '--skip-deno', '--skip-chromium', '--keep']);
const unknown = argv.filter((a) => !known.has(a));
if (unknown.length > 0) {
  console.error(`test:portable: unknown argument ${unknown[0]} (known: ${[...known].join(', ')})`);
  process.exit(2);
}
const skip = (name) => argv.includes(`--skip-${name}`);
const started = Date.now();
const problems = [];
const rows = [];

// 1. The files, and the tests Node's own runner finds in them.
const coreDir = join(root, 'test/core');
const all = readdirSync(coreDir)
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/core/${f}`)
  .sort();
for (const file of Object.keys(EXCLUDED)) {
  if (!all.includes(file)) problems.push(`EXCLUDED names ${file}, which does not exist: update test/portable/run.mjs`);
}
const files = all.filter((f) => !(f in EXCLUDED));
console.log(
  `== portable core tests: ${files.length} files (${Object.keys(EXCLUDED).length} need Node: ${Object.keys(EXCLUDED)
    .map((f) => basename(f))
    .join(', ')})`,
);

const scratch = mkdtempSync(join(tmpdir(), 'hookwire-portable-'));
const expected = nodeBaseline(files);

// 2. One bundle per file, plus the canary.
const outdir = join(scratch, 'bundles');
await bundle(files, outdir);

// 3. Each runtime, each configuration.
const runners = [
  { name: 'bun', configs: ['on', 'off'], make: () => processRunner('bun') },
  { name: 'deno', configs: ['on', 'off'], make: () => processRunner('deno') },
  { name: 'chromium', configs: ['on', 'off', 'csp'], make: () => chromiumRunner() },
];
for (const { name, configs, make } of runners) {
  if (skip(name)) {
    rows.push({ runtime: name, config: '-', text: `SKIPPED (--skip-${name})` });
    continue;
  }
  let runner;
  try {
    runner = await make();
  } catch (error) {
    problems.push(`${name}: cannot start: ${error.message}`);
    rows.push({ runtime: name, config: '-', text: `NOT RUN: ${error.message.split('\n')[0]}` });
    continue;
  }
  try {
    for (const config of configs) {
      const t0 = Date.now();
      writeConfigModules(outdir, config);
      const canary = await runner.run('canary', config);
      checkCanary(`${name}/${config}`, canary);
      const results = [];
      for (const file of files) results.push(await runner.run(bundleName(file), config));
      const row = check(`${name}/${config}`, files, results, CONFIGS[config]);
      rows.push({ runtime: runner.label, config, text: `${row} in ${((Date.now() - t0) / 1000).toFixed(1)} s` });
      console.log(`   ${runner.label}, ${config}: ${row}`);
    }
  } finally {
    await runner.close();
  }
}

if (argv.includes('--keep')) console.log(`bundles kept in ${outdir}`);
else rmSync(scratch, { recursive: true, force: true });

console.log('\n== portable core tests ==');
for (const r of rows) console.log(`${r.runtime.padEnd(34)} ${r.config.padEnd(4)} ${r.text}`);
for (const p of problems) console.log(`✖ ${p}`);
const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(
  `\nportable core tests ${problems.length > 0 ? 'FAILED' : 'passed'} (${files.length} files, ${Object.values(expected).reduce((n, s) => n + s.size, 0)} tests per run) in ${seconds} s`,
);
process.exit(problems.length > 0 ? 1 : 0);

/** Runs the files under Node's own test runner once; returns file → the set of its test names. */
function nodeBaseline(list) {
  const out = join(scratch, 'node-names.jsonl');
  const t0 = Date.now();
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './test/setup.ts',
      '--test',
      '--test-concurrency=2',
      '--test-reporter=./test/portable/names-reporter.mjs',
      `--test-reporter-destination=${out}`,
      ...list,
    ],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, HOOKWIRE_CODEGEN: 'on' } },
  );
  const entries = existsSync(out)
    ? readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
  const failed = entries.filter((e) => !e.ok);
  if (result.status !== 0 || failed.length > 0 || entries.length === 0) {
    console.error(
      `test:portable: the core tests fail under Node itself (${failed.map((e) => `${e.file}: ${e.name}`).join('; ') || `exit ${result.status}`}); fix that first`,
    );
    process.exit(1);
  }
  const byFile = Object.fromEntries(list.map((f) => [f, new Set()]));
  for (const e of entries) {
    if (!(e.file in byFile)) throw new Error(`names-reporter: a test of an unexpected file ${e.file}`);
    if (byFile[e.file].has(e.name)) problems.push(`${e.file}: two tests are named "${e.name}"; names must be unique to be compared`);
    byFile[e.file].add(e.name);
  }
  console.log(`   Node ${process.versions.node} (node:test): ${entries.length} tests listed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return byFile;
}

function bundleName(file) {
  return basename(file).replace(/\.ts$/, '');
}

async function bundle(list, dir) {
  const esbuild = await import('esbuild');
  const t0 = Date.now();
  const snapshots = {};
  const snapDir = join(coreDir, '__snapshots__');
  for (const f of existsSync(snapDir) ? readdirSync(snapDir) : []) {
    if (f.endsWith('.json')) snapshots[f.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(snapDir, f), 'utf8'));
  }
  const portable = join(root, 'test/portable');
  const entries = [...list, 'test/portable/canary.ts'];
  /** A virtual entry per test file: runFile(file, its import, setup's import). */
  const entryPlugin = {
    name: 'portable-entries',
    setup(build) {
      build.onResolve({ filter: /^portable-entry:/ }, (args) => ({ path: args.path.slice('portable-entry:'.length), namespace: 'portable-entry' }));
      build.onLoad({ filter: /.*/, namespace: 'portable-entry' }, (args) => ({
        resolveDir: root,
        loader: 'js',
        contents: [
          `import { runFile } from ${JSON.stringify(join(portable, 'entry.ts'))};`,
          `await runFile(${JSON.stringify(args.path)}, () => import(${JSON.stringify(join(root, args.path))}), () => import(${JSON.stringify(join(root, 'test/setup.ts'))}));`,
        ].join('\n'),
      }));
      // the snapshot helper reads files: the portable one checks the same snapshots, embedded
      build.onResolve({ filter: /^\.\/snapshot\.ts$/ }, (args) =>
        args.importer.startsWith(coreDir) ? { path: join(portable, 'snapshot.ts') } : undefined,
      );
    },
  };
  try {
    await esbuild.build({
      absWorkingDir: root,
      entryPoints: entries.map((f) => ({ in: `portable-entry:${f}`, out: bundleName(f) })),
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunks/[name]-[hash]',
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      target: 'es2022',
      alias: { 'node:test': join(portable, 'node-test.ts'), 'node:assert/strict': join(portable, 'assert.ts') },
      inject: [join(portable, 'process.ts')],
      define: { __HOOKWIRE_SNAPSHOTS__: JSON.stringify(snapshots) },
      plugins: [entryPlugin],
      logLevel: 'silent',
    });
  } catch (error) {
    const messages = (error.errors ?? []).map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`);
    console.error(`test:portable: bundling failed:\n  ${messages.join('\n  ') || error.message}`);
    console.error('A core test file that needs Node goes into EXCLUDED in test/portable/run.mjs, with the reason.');
    process.exit(1);
  }
  console.log(`   bundled in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** run/<config>/<bundle>.mjs: sets the configuration, then loads the bundle. */
function writeConfigModules(dir, config) {
  const { env, setup } = CONFIGS[config];
  mkdirSync(join(dir, 'run', config), { recursive: true });
  for (const name of [...files.map(bundleName), 'canary']) {
    writeFileSync(
      join(dir, 'run', config, `${name}.mjs`),
      `globalThis.__HOOKWIRE_PORTABLE__ = ${JSON.stringify({ env, setup })};\nawait import('../../${name}.mjs');\n`,
    );
  }
}

/** Parses the harness's lines into { start, tests, errors, done }. */
function collect(lines) {
  const run = { start: undefined, tests: [], errors: [], done: undefined, other: [] };
  for (const line of lines) {
    const at = line.indexOf(PREFIX);
    if (at < 0) {
      if (line.trim() !== '') run.other.push(line);
      continue;
    }
    const event = JSON.parse(line.slice(at + PREFIX.length));
    if (event.t === 'start') run.start = event;
    else if (event.t === 'test') run.tests.push(event);
    else if (event.t === 'error') run.errors.push(event.error);
    else if (event.t === 'done') run.done = event;
  }
  return run;
}

/** Bun or Deno: one process per bundle. */
function processRunner(name) {
  const pin = PINS[name];
  const fetched = spawnSync(join(root, 'scripts/ci/npm-binary.sh'), [pin.pkg, pin.version, pin.bin], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (fetched.status !== 0) throw new Error(`could not fetch ${pin.pkg}@${pin.version}`);
  const bin = fetched.stdout.trim();
  const label = `${name} ${pin.version}`;
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NO_COLOR: '1',
    DO_NOT_TRACK: '1',
    DENO_DIR: join(scratch, 'deno-dir'),
    DENO_NO_UPDATE_CHECK: '1',
    DENO_NO_PROMPT: '1',
  };
  const args = (file) => (name === 'bun' ? ['--no-install', file] : ['run', '--no-prompt', '--no-config', '--no-lock', '--quiet', file]);
  return {
    label,
    run(bundle, config) {
      return new Promise((resolve) => {
        const child = spawn(bin, args(join(outdir, 'run', config, `${bundle}.mjs`)), { cwd: scratch, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (c) => (out += c));
        child.stderr.on('data', (c) => (err += c));
        const timer = setTimeout(() => child.kill('SIGKILL'), FILE_TIMEOUT_MS);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          const run = collect(out.split('\n'));
          if (code !== 0) run.errors.push(`${name} exited with ${signal ?? code}${err.trim() ? `: ${err.trim().slice(0, 2000)}` : ''}`);
          resolve(run);
        });
      });
    },
    close: async () => undefined,
  };
}

/** Chromium through playwright-core: one page per bundle, served from 127.0.0.1 (the CSP run with that header). */
async function chromiumRunner() {
  const executablePath = process.env.HOOKWIRE_CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `no Chromium at ${executablePath}: install Debian's package (apt-get install -y chromium), set HOOKWIRE_CHROMIUM, or pass --skip-chromium`,
    );
  }
  const { chromium } = await import('playwright-core');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const page = /^\/page\/(on|off|csp)\/([\w.-]+)$/.exec(url.pathname);
    if (page !== null) {
      const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
      if (page[1] === 'csp') headers['content-security-policy'] = CSP;
      res.writeHead(200, headers);
      res.end(`<!doctype html><meta charset="utf-8"><title>${page[2]}</title><script type="module" src="/run/${page[1]}/${page[2]}.mjs"></script>`);
      return;
    }
    const file = join(outdir, url.pathname);
    if (!url.pathname.endsWith('.mjs') || relative(outdir, file).startsWith('..') || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  const userDataDir = mkdtempSync(join(scratch, 'chromium-profile-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      bypassCSP: false,
      timeout: 60_000,
    });
  } catch (error) {
    server.close();
    throw error;
  }
  const version = context.browser()?.version() ?? spawnSync(executablePath, ['--version'], { encoding: 'utf8' }).stdout.match(/[\d.]+/)?.[0] ?? '?';
  return {
    label: `chromium ${version}`,
    async run(bundle, config) {
      const page = await context.newPage();
      const lines = [];
      const pageErrors = [];
      let resolveDone;
      const done = new Promise((resolve) => (resolveDone = resolve));
      page.on('console', (msg) => {
        const text = msg.text();
        lines.push(text);
        if (text.startsWith(`${PREFIX}{"t":"done"`)) resolveDone();
      });
      page.on('pageerror', (error) => pageErrors.push(error.message));
      let timer;
      try {
        await page.goto(`http://127.0.0.1:${port}/page/${config}/${bundle}`);
        const timedOut = await Promise.race([done.then(() => false), new Promise((r) => (timer = setTimeout(() => r(true), FILE_TIMEOUT_MS)))]);
        const run = collect(lines);
        if (timedOut) run.errors.push(`no result within ${FILE_TIMEOUT_MS / 1000} s`);
        if (run.done === undefined && pageErrors.length > 0) run.errors.push(...pageErrors);
        return run;
      } catch (error) {
        const run = collect(lines);
        run.errors.push(`page: ${error.message}`);
        return run;
      } finally {
        clearTimeout(timer);
        await page.close();
      }
    },
    async close() {
      await context.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function checkCanary(where, run) {
  const got = Object.fromEntries(run.tests.map((t) => [t.name, t.skipped ? 'skip' : t.ok ? 'pass' : 'fail']));
  const wrong = Object.entries(CANARY)
    .filter(([name, want]) => got[name] !== want)
    .map(([name, want]) => `"${name}": ${got[name] ?? 'missing'}, expected ${want}`);
  const extra = Object.keys(got).filter((name) => !(name in CANARY));
  if (run.done === undefined || wrong.length > 0 || extra.length > 0) {
    problems.push(
      `${where}: the harness's canary misreports (${[...wrong, ...extra.map((n) => `unexpected "${n}"`), ...run.errors].join('; ') || 'no result'})`,
    );
  }
}

/** Compares a configuration's results with Node's list; returns the summary text of the row. */
function check(where, list, results, want) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let missing = 0;
  const total = list.reduce((n, f) => n + expected[f].size, 0);
  list.forEach((file, i) => {
    const run = results[i];
    const seen = new Set();
    for (const t of run.tests) {
      seen.add(t.name);
      if (!expected[file].has(t.name)) {
        problems.push(`${where} ${file}: a test Node does not list ran: "${t.name}"`);
        failed++;
      } else if (t.skipped) skipped++;
      else if (t.ok) passed++;
      else {
        failed++;
        problems.push(`${where} ${file}: "${t.name}" failed:\n    ${t.error.replaceAll('\n', '\n    ')}`);
      }
    }
    const absent = [...expected[file]].filter((n) => !seen.has(n));
    missing += absent.length;
    if (absent.length > 0) problems.push(`${where} ${file}: ${absent.length} test(s) did not run, e.g. "${absent[0]}"`);
    for (const e of run.errors) problems.push(`${where} ${file}: ${e.replaceAll('\n', '\n    ')}`);
    if (run.done === undefined) problems.push(`${where} ${file}: did not finish`);
    if (run.start !== undefined && run.start.evalAllowed !== want.evalAllowed) {
      problems.push(
        `${where} ${file}: code generation is ${run.start.evalAllowed ? 'allowed' : 'forbidden'} by the host, expected ${want.evalAllowed ? 'allowed' : 'forbidden'}`,
      );
    }
    if (run.done !== undefined && run.done.codegen !== want.codegen) {
      problems.push(`${where} ${file}: the core ran with code generation ${run.done.codegen ? 'on' : 'off'}, expected ${want.codegen ? 'on' : 'off'}`);
    }
  });
  return `${passed}/${total} passed${skipped ? `, ${skipped} skipped` : ''}${failed ? `, ${failed} FAILED` : ''}${missing ? `, ${missing} MISSING` : ''}`;
}
