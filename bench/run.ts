/**
 * The benchmark runner: `npm run bench [-- <filter>...] [--quick] [--write] [--rounds N] [--out file.json]`.
 *
 * Every `bench/*.bench.ts` exports `cases`; a filter word selects the cases whose id or file name
 * contains it. Each case's benchmarks run in the same process, one after another, for several
 * rounds in rotating order; a time is the median over rounds of mitata's median, a ratio the median
 * over rounds of the ratio measured within the round.
 * Each case runs in its own Node process (`--in-process` keeps them in this one; `--quick` always does);
 * a case with `processes: N` runs in N of them, and reports the median and the worst process.
 * `--write` regenerates bench/RESULTS.md, bench/results.json and bench/ratios.svg (a filtered run
 * replaces only the cases it ran); with HOOKWIRE_CODEGEN=off, bench/closure/'s. `--quick` runs
 * everything briefly as a smoke test: its numbers mean nothing and it refuses `--write`. `--out file.json` also writes this run's results there.
 * With HOOKWIRE_CODEGEN=off in the environment, dispatchers are built without code generation.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setCodeGeneration } from '../src/core/index.ts';
import { mode, type Case } from './harness.ts';
import { FULL, QUICK, measureMemory, timeBench, timeHeavy } from './measure.ts';
import { median } from './stats.ts';
import { formatCase, renderMarkdown, renderSvg, type CaseResult, type Environment, type ResultsFile } from './report.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const RESULT_MARK = '@@hookwire-bench-result ';
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string): string | undefined => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};
const valued = new Set(['--rounds', '--out', '--case', '--file']);
const filters = argv.filter((a, i) => !a.startsWith('--') && !valued.has(argv[i - 1] ?? ''));

mode.quick = flag('--quick');
const write = flag('--write');
if (write && mode.quick) {
  console.error('--quick numbers are a smoke signal only: refusing to --write them');
  process.exit(2);
}
const budget = mode.quick ? QUICK : FULL;
const rounds = Number(option('--rounds') ?? (mode.quick ? 1 : 5));

// tsx turns Node's source-map support on, which makes every `new Function` (each dispatcher
// compile) also scan its source for a sourceMappingURL. Production code runs without it.
process.setSourceMapsEnabled(false);

// HOOKWIRE_CODEGEN=off measures the eval-free closure dispatchers, as the tests' second mode does.
if (process.env['HOOKWIRE_CODEGEN'] === 'off') setCodeGeneration(false);

const env: Environment = {
  node: process.version,
  v8: process.versions.v8,
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  cores: cpus().length,
  platform: `${process.platform}-${process.arch}`,
  date: new Date().toISOString(),
  codegen: process.env['HOOKWIRE_CODEGEN'] === 'off' ? 'off' : 'on',
};

// A child process measures one case (`--file f --case id`) and prints its result as JSON.
const childCase = option('--case');
const childFile = option('--file');
const isolate = childCase === undefined && !mode.quick && !flag('--in-process');

/** Files in the order of issue 3's case list; any other case file runs after them, by name. */
const ORDER = ['disarmed', 'toggle', 'notify', 'gate', 'waterfall', 'async-series', 'parallel', 'arm-cycle', 'register', 'memory', 'request', 'probe'];
const rank = (file: string) => {
  const at = ORDER.indexOf(basename(file, '.bench.ts'));
  return at < 0 ? ORDER.length : at;
};
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && (childFile === undefined || f === childFile))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
const selected: { file: string; c: Case }[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { cases?: Case[] };
  for (const c of mod.cases ?? []) {
    const stem = basename(file, '.bench.ts');
    if (childCase !== undefined ? c.id === childCase : filters.length === 0 || filters.some((f) => c.id.includes(f) || stem.includes(f))) {
      selected.push({ file, c });
    }
  }
}

if (childCase !== undefined) {
  const only = selected[0];
  if (only === undefined) throw new Error(`no case ${childCase} in ${childFile}`);
  const result = summarise(only.c, only.file, await runCase(only.c));
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
  process.exit(0);
}
if (selected.length === 0) {
  console.error(`no case matches ${filters.join(' ')}`);
  process.exit(2);
}

console.log(
  `hookwire benchmarks${mode.quick ? ' (quick smoke run: numbers are not meaningful)' : ''}: ${selected.length} cases, ` +
    `${rounds} round(s), node ${env.node}, ${env.cpu} (${env.cores} cores), code generation ${env.codegen}` +
    `${isolate ? ', each case in its own process' : ''}\n`,
);

const results: CaseResult[] = [];
for (const { file, c } of selected) {
  const result = isolate ? runInProcesses(file, c) : summarise(c, file, await runCase(c));
  results.push(result);
  console.log(formatCase(result) + '\n');
}

const out = option('--out');
const fresh: ResultsFile = { environment: env, quick: mode.quick, cases: results };
if (out !== undefined) writeFileSync(out, JSON.stringify(fresh, null, 2) + '\n');

if (write) {
  // Each compile mode has its own results: the eval-free closure dispatchers' go to bench/closure/.
  const dir = env.codegen === 'off' ? join(here, 'closure') : here;
  mkdirSync(dir, { recursive: true });
  const jsonPath = join(dir, 'results.json');
  const merged = mergeResults(existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as ResultsFile) : null, fresh);
  writeFileSync(jsonPath, JSON.stringify(merged, null, 2) + '\n');
  writeFileSync(join(dir, 'RESULTS.md'), renderMarkdown(merged));
  writeFileSync(join(dir, 'ratios.svg'), renderSvg(merged));
  const shown = env.codegen === 'off' ? 'bench/closure/' : 'bench/';
  console.log(`wrote ${shown}RESULTS.md, ${shown}results.json, ${shown}ratios.svg`);
}

/**
 * Runs a case in `c.processes` fresh processes, one after another, and combines them: each figure is
 * the median over processes; a check with `across: 'every'` takes the worst process's figure.
 */
function runInProcesses(file: string, c: Case): CaseResult {
  const n = c.processes ?? 1;
  const runs: CaseResult[] = [];
  for (let p = 0; p < n; p++) runs.push(runInChild(file, c.id));
  if (n === 1) return runs[0]!;
  const first = runs[0]!;
  const rows = first.rows.map((row, i) => {
    const ratios = runs.map((r) => r.rows[i]!.ratio);
    const combined: CaseResult['rows'][number] = {
      ...row,
      value: median(runs.map((r) => r.rows[i]!.value)),
      ratio: median(ratios),
      processRatios: ratios,
    };
    if (row.peers !== undefined) {
      combined.peers = Object.fromEntries(Object.keys(row.peers).map((k) => [k, median(runs.map((r) => r.rows[i]!.peers![k]!))]));
    }
    return combined;
  });
  const checks = first.checks.map((check, i) => {
    const figures = runs.map((r) => r.checks[i]!.figure);
    const across = check.across ?? 'median';
    const worst = check.op === '<=' ? Math.max(...figures) : Math.min(...figures);
    const figure = across === 'every' ? worst : median(figures);
    const met = check.op === '<=' ? figure <= check.value : figure >= check.value;
    return { ...check, figure, met, across, perProcess: figures };
  });
  return { ...first, rounds: median(runs.map((r) => r.rounds)), processes: n, rows, checks };
}

/**
 * Runs one case in a fresh Node process, so that what V8 learnt (and the heap left) by the cases
 * before it cannot change its figures.
 */
function runInChild(file: string, id: string): CaseResult {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--file', file, '--case', id, '--rounds', String(rounds)];
  const child = spawnSync(process.execPath, args, {
    cwd: process.cwd(),
    env: process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20,
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
  if (child.status !== 0 || line === undefined) throw new Error(`case ${id} failed (exit ${child.status}):\n${child.stdout}`);
  return JSON.parse(line.slice(RESULT_MARK.length)) as CaseResult;
}

/**
 * Runs one case: every benchmark, `rounds` times in rotating order. Returns, per benchmark, its
 * figure in each round. Ratios are taken within a round (the machine's speed drifts between rounds)
 * and the median of those is reported.
 */
async function runCase(c: Case): Promise<Map<string, number>[]> {
  const perRound: Map<string, number>[] = [];
  if (c.kind === 'memory') {
    for (let r = 0; r < rounds; r++) {
      const round = new Map<string, number>();
      for (const entry of rotate(c.entries, r)) round.set(entry.name, measureMemory(entry, c.units));
      perRound.push(round);
    }
  } else {
    c.setup?.();
    try {
      for (let r = 0; r < rounds; r++) {
        if (c.heavy) {
          const runs = c.heavyRuns !== undefined && !mode.quick ? { ...budget, heavyRuns: c.heavyRuns } : budget;
          perRound.push(await timeHeavy(rotate(c.benches, r), runs));
          continue;
        }
        const round = new Map<string, number>();
        for (const bench of rotate(c.benches, r)) round.set(bench.name, await timeBench(bench, budget));
        perRound.push(round);
      }
    } finally {
      c.teardown?.();
    }
  }
  return perRound;
}

function summarise(c: Case, file: string, perRound: Map<string, number>[]): CaseResult {
  const entries = c.kind === 'memory' ? c.entries : c.benches;
  const names = new Set(entries.map((e) => e.name));
  const known = (name: string | undefined) => {
    if (name !== undefined && !names.has(name)) throw new Error(`case ${c.id}: "${name}" is not one of its benchmarks`);
  };
  known(c.baseline);
  const value = (name: string) => median(perRound.map((round) => round.get(name)!));
  const ratio = (num: string, den: string) => median(perRound.map((round) => round.get(num)! / round.get(den)!));
  const peers = entries.filter((e) => e.role === 'peer');
  const rows = entries.map((e) => {
    const row: CaseResult['rows'][number] = { name: e.name, role: e.role, value: value(e.name), ratio: ratio(e.name, c.baseline) };
    if (e.note !== undefined) row.note = e.note;
    if (e.role === 'hookwire' && peers.length > 0) {
      row.peers = Object.fromEntries(peers.map((p) => [p.name, ratio(p.name, e.name)]));
    }
    return row;
  });
  const checks = (c.checks ?? []).map((check) => {
    known(check.num);
    known(check.den);
    const figure = check.den === undefined ? value(check.num) : ratio(check.num, check.den);
    const met = check.op === '<=' ? figure <= check.value : figure >= check.value;
    const row: CaseResult['checks'][number] = { label: check.label, figure, op: check.op, value: check.value, met };
    if (check.across !== undefined) row.across = check.across;
    // "peer >= k × hookwire": the most any dispatcher could show is peer ÷ baseline (hookwire at the baseline's speed).
    const den = entries.find((e) => e.name === check.den);
    if (check.op === '>=' && den?.role === 'hookwire') row.ceiling = ratio(check.num, c.baseline);
    return row;
  });
  return {
    id: c.id,
    file,
    title: c.title,
    measures: c.measures,
    unit: c.kind === 'memory' ? `bytes per ${c.unitName}` : 'ns/op',
    baseline: c.baseline,
    date: env.date,
    rounds: perRound.length,
    rows,
    checks,
  };
}

function mergeResults(previous: ResultsFile | null, next: ResultsFile): ResultsFile {
  if (previous === null || previous.quick) return next;
  const byId = new Map(previous.cases.map((c) => [c.id, c]));
  for (const c of next.cases) byId.set(c.id, c);
  const order = [...new Set([...next.cases.map((c) => c.id), ...previous.cases.map((c) => c.id)])];
  const cases = [...byId.values()].sort((a, b) => {
    const fa = rank(a.file) - rank(b.file) || a.file.localeCompare(b.file);
    return fa !== 0 ? fa : order.indexOf(a.id) - order.indexOf(b.id);
  });
  return { environment: next.environment, quick: false, cases };
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
