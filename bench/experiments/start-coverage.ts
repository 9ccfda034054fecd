/**
 * Experiment (not a case; run with `node --import tsx bench/experiments/start-coverage.ts`): what
 * hookwire's code does at a program's start (issue 8's start-up bars), as V8 sees it rather than as
 * a clock does. For each way of starting the start-up bench's program (bench/startup-program.cjs:
 * express, lodash, semver), it reports how much of hookwire's code the process loaded, how many of
 * its functions ran (each one V8 compiled at its first call: Node 20 has no code cache for ES
 * modules), the bytes of source those functions span, and the Node built-ins the start loaded that
 * the plain program's did not.
 *
 * It compiles src/ with tsc into a temporary directory, one file per module (dist/ is bundled, so
 * its files say nothing about which module a function belongs to), and reads V8's own precise
 * coverage (NODE_V8_COVERAGE). Nothing here is timed: docs/benchmarks.md gives the times.
 *
 *   node --import tsx bench/experiments/start-coverage.ts [--files]   # --files: a row per module
 *
 * What it showed (2026-12-02, Node 20.20): the agent alone loads 22 of hookwire's modules (68 KB)
 * and runs 44 functions; with one `count` probe (`HOOKWIRE_ATTACH`, semver#valid) 87 modules
 * (435 KB) and 253 functions spanning 149 KB; `hookwire run --probe semver#valid=count` 102 modules
 * (512 KB), 350 functions spanning 186 KB. Built-ins beyond the plain program's: module, os and
 * worker_threads with the agent (the thread fleet; the host's copies of built-ins' functions,
 * probe/host.ts), perf_hooks with a probe (the probe clock, probe/engine.ts, taken at load so that
 * a later patch of `performance.now` cannot reach it). A probe's first attachment runs the spec
 * parsers, the placement, the attachment table, the thread fleet (shared counts), the probe site
 * and its wrapper's code generation, each for the first time.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { childEnv } from '../child-env.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const perFile = process.argv.includes('--files');

/** One function's entry in V8's coverage output (only what this file reads). */
interface CoveredFunction {
  functionName: string;
  ranges: Array<{ startOffset: number; endOffset: number; count: number }>;
}
interface ScriptCoverage {
  url: string;
  functions: CoveredFunction[];
}

const work = mkdtempSync(join(tmpdir(), 'hookwire-start-coverage-'));
try {
  // A package of its own (package.json for the exports, node_modules for express and the rest).
  const pkg = join(work, 'pkg');
  mkdirSync(pkg);
  writeFileSync(join(pkg, 'package.json'), readFileSync(join(root, 'package.json')));
  symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist')],
    {
      stdio: 'inherit',
    },
  );
  if (tsc.status !== 0) throw new Error('tsc failed');

  // The program, and a note of the built-ins its process loaded, written at exit.
  const program = join(work, 'program.cjs');
  writeFileSync(
    program,
    `require(${JSON.stringify(join(root, 'bench/startup-program.cjs'))});\n` +
      `process.on('exit', () => require('node:fs').writeFileSync(process.env.BUILTINS_OUT, process.moduleLoadList.join('\\n')));\n`,
  );
  const agent = join(pkg, 'dist/control/agent.js');
  const attach = JSON.stringify([{ target: 'semver#valid', exit: 'count' }]);
  const modes: Array<[string, string[], Record<string, string>]> = [
    ['plain', [program], {}],
    ['agent', ['--import', agent, program], {}],
    ['agent + 1 count probe', ['--import', agent, program], { HOOKWIRE_ATTACH: attach }],
    ['hookwire run --probe', [join(pkg, 'dist/cli/main.js'), 'run', '--probe', 'semver#valid=count', '--', process.execPath, program], {}],
  ];

  let plainBuiltins = new Set<string>();
  const dist = pathToFileURL(join(pkg, 'dist')).href + '/';
  for (const [name, args, extra] of modes) {
    const coverage = join(work, `coverage-${name.replace(/\W+/g, '-')}`);
    const builtinsOut = join(work, 'builtins.txt');
    const env = { ...childEnv(), ...extra, NODE_V8_COVERAGE: coverage, BUILTINS_OUT: builtinsOut };
    const child = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`${name}: exit ${child.status}\n${child.stderr}`);
    const builtins = new Set(
      readFileSync(builtinsOut, 'utf8')
        .split('\n')
        .filter((m) => m.startsWith('NativeModule ')),
    );
    if (name === 'plain') plainBuiltins = builtins;

    const scripts: ScriptCoverage[] = readdirSync(coverage).flatMap(
      (f) => (JSON.parse(readFileSync(join(coverage, f), 'utf8')) as { result: ScriptCoverage[] }).result,
    );
    const rows = scripts.filter((s) => s.url.startsWith(dist)).map((s) => ({ file: s.url.slice(dist.length), ...ran(s, fileURLToPath(s.url)) }));
    const sum = (key: 'bytes' | 'functions' | 'ranBytes') => rows.reduce((n, r) => n + r[key], 0);
    const added = [...builtins].filter((m) => !plainBuiltins.has(m)).map((m) => m.slice('NativeModule '.length));
    console.log(
      `${name}: ${rows.length} of hookwire's modules, ${kb(sum('bytes'))} loaded; ${sum('functions')} functions ran, spanning ${kb(sum('ranBytes'))}` +
        (name === 'plain'
          ? ''
          : `; built-ins beyond the plain program's: ${added.filter((m) => !m.startsWith('internal/')).join(', ') || 'none'} (${added.length} with internal ones)`),
    );
    if (perFile)
      for (const r of rows.sort((a, b) => b.ranBytes - a.ranBytes))
        console.log(`  ${r.file.padEnd(40)} ${kb(r.bytes).padStart(8)}  ran ${String(r.functions).padStart(3)} functions, ${kb(r.ranBytes)}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** A script's size, the functions of it that ran (its top level aside), and the source they span (nested ones counted once). */
function ran(script: ScriptCoverage, path: string): { bytes: number; functions: number; ranBytes: number } {
  const spans = script.functions
    .filter((f) => !(f.functionName === '' && f.ranges[0]!.startOffset === 0) && f.ranges[0]!.count > 0)
    .map((f) => [f.ranges[0]!.startOffset, f.ranges[0]!.endOffset] as const)
    .sort((a, b) => a[0] - b[0]);
  let ranBytes = 0;
  let end = -1;
  for (const [from, to] of spans) {
    if (to <= end) continue;
    ranBytes += to - Math.max(from, end);
    end = to;
  }
  return { bytes: readFileSync(path, 'utf8').length, functions: spans.length, ranBytes };
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}
