/**
 * Start-up of a real program under hookwire (issue 8): wall time of a process that loads express,
 * lodash and semver and exits (bench/startup-program.cjs, or .mjs with `--esm`), started
 * plain, with `node --import hookwire/agent`, and under `hookwire run --probe semver#valid=count`.
 *
 *   npm run build && node --import tsx bench/startup.ts [--rounds 15] [--esm | --program FILE] [--node PATH] [--compare DIR] [--breakdown]
 *   /path/to/node24 bench/startup.ts --node /path/to/node24       # Node >= 22.6 strips the types
 *
 * `--compare DIR` also starts the agent and the CLI of another built checkout (`DIR/dist`, say an
 * older commit: `git archive COMMIT | tar -x -C DIR`, node_modules linked, `npx tsc -p
 * tsconfig.build.json` there) in the same rounds, as `agent@old` and `run@old`: a before/after
 * under the same load.
 *
 * `--breakdown` adds two starts that split `run`'s cost: `agent+probe`, the agent given the same
 * probe through HOOKWIRE_ATTACH (what the probe's attachment costs without the CLI), and
 * `run-bare`, `hookwire run` with no probe (what the CLI costs without an attachment).
 *
 * Each round starts one process per mode, in rotating order, and times it from spawn to exit
 * (`hookwire run` included: its own start, its checks and the program's). Reported: per mode the
 * median and worst wall time, and the ratio to plain taken within each round (median and worst).
 * On Linux also the CPU time (user + system) of each start with every process it started, read
 * from this process's reaped-children counters: a busy machine stretches wall time far more than
 * CPU time, so the CPU ratio is the steadier figure there (10 ms ticks: mean over the rounds).
 * This is not a mitata case: what it measures is a process start, so it spawns processes. The
 * same measurement runs as the `startup-*` cases of `npm run bench` (startup.bench.ts).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from './child-env.ts';
import { scriptOptions } from './script-options.ts';
import { median } from './stats.ts';

/**
 * `--program FILE` starts another program instead (a path from the repository's root), e.g.
 * bench/startup-bare.cjs, which loads only semver: there every built-in hookwire loads is its own
 * cost, where express's program loads most of them itself.
 */

/** The modes, by name, in the order they are started in a round. */
export const MODES = ['plain', 'agent', 'run'] as const;
/** The starts `--breakdown` adds. */
const BREAKDOWN = ['agent+probe', 'run-bare'] as const;
export type Mode = (typeof MODES)[number] | (typeof BREAKDOWN)[number];

/** The probe `run` starts with, as `--probe` takes it and as HOOKWIRE_ATTACH does. */
const PROBE = { target: 'semver#valid', exit: 'count' };

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The command line of one mode: `[file, args]`, started in the repository's root; `hookwire` is
 * the checkout whose dist/ the agent and the CLI come from (this one by default).
 */
export function commandOf(mode: Mode, nodeBin: string, esm: boolean, hookwire = root, file = programOf(esm)): [string, string[]] {
  const program = join(root, file);
  switch (mode) {
    case 'plain':
      return [nodeBin, [program]];
    case 'agent':
    case 'agent+probe':
      return [nodeBin, ['--import', join(hookwire, 'dist/control/agent.js'), program]];
    case 'run':
      return [nodeBin, [join(hookwire, 'dist/cli/main.js'), 'run', '--probe', `${PROBE.target}=${PROBE.exit}`, '--', nodeBin, program]];
    case 'run-bare':
      return [nodeBin, [join(hookwire, 'dist/cli/main.js'), 'run', '--', nodeBin, program]];
  }
}

/** The start-up program, from the repository's root: express + lodash + semver, CommonJS or ES module. */
export function programOf(esm: boolean): string {
  return join('bench', esm ? 'startup-program.mjs' : 'startup-program.cjs');
}

/** Starts `mode` once and returns its wall time in milliseconds; throws when the process failed. */
export function timeStart(mode: Mode, nodeBin: string, esm: boolean): number {
  return startOnce(mode, nodeBin, esm).wallMs;
}

/**
 * CPU time (user + system, ms) of this process's reaped children so far, from /proc/self/stat
 * (cutime, cstime, in USER_HZ = 100 ticks a second); undefined where there is no /proc.
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // The fields after the command name in parentheses, from field 3 (state) on.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

/** Starts `mode` once: its wall time and, on Linux, the CPU time of it and its children (ms). */
export function startOnce(
  mode: Mode,
  nodeBin: string,
  esm: boolean,
  hookwire = root,
  program = programOf(esm),
): { wallMs: number; cpuMs: number | undefined } {
  const [file, args] = commandOf(mode, nodeBin, esm, hookwire, program);
  const env = childEnv();
  // The agent's own variables and a tsx loader of the benchmark runner must not reach the program.
  for (const name of Object.keys(env)) if (name.startsWith('HOOKWIRE_') && name !== 'HOOKWIRE_CODEGEN') delete env[name];
  delete env['NODE_OPTIONS'];
  if (mode === 'agent+probe') env['HOOKWIRE_ATTACH'] = JSON.stringify([PROBE]);
  const cpu0 = childrenCpuMs();
  const t0 = process.hrtime.bigint();
  const child = spawnSync(file, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu1 = childrenCpuMs();
  if (child.status !== 0) throw new Error(`startup ${mode} failed (exit ${child.status}, ${child.signal}): ${child.stderr}`);
  return { wallMs, cpuMs: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function main(): void {
  const { option, flag, rounds, nodeBin } = scriptOptions();
  const esm = flag('--esm');
  const program = option('--program') ?? programOf(esm);
  const compare = option('--compare');
  // Each row: a label, the mode, and the checkout its hookwire comes from.
  const modes: readonly Mode[] = flag('--breakdown') ? [...MODES, ...BREAKDOWN] : MODES;
  const rows: [string, Mode, string][] = modes.map((m) => [m, m, root]);
  if (compare !== undefined) rows.push(['agent@old', 'agent', compare], ['run@old', 'run', compare]);
  const labels = rows.map(([label]) => label);
  const times = new Map<string, number[]>(labels.map((m) => [m, []]));
  const ratios = new Map<string, number[]>(labels.map((m) => [m, []]));
  const cpu = new Map<string, number[]>(labels.map((m) => [m, []]));
  // One unmeasured start per mode: the file system cache, not hookwire, would be in the first.
  for (const [, m, from] of rows) startOnce(m, nodeBin, esm, from, program);
  for (let r = 0; r < rounds; r++) {
    const round = new Map<string, number>();
    for (let k = 0; k < rows.length; k++) {
      const [label, m, from] = rows[(k + r) % rows.length]!;
      const { wallMs, cpuMs } = startOnce(m, nodeBin, esm, from, program);
      round.set(label, wallMs);
      if (cpuMs !== undefined) cpu.get(label)!.push(cpuMs);
    }
    for (const m of labels) {
      times.get(m)!.push(round.get(m)!);
      ratios.get(m)!.push(round.get(m)! / round.get('plain')!);
    }
  }
  const version = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`start-up of ${program}, node ${version}, ${rounds} rounds`);
  const withCpu = cpu.get('plain')!.length === rounds;
  console.log(`mode         median ms  worst ms  ratio median  ratio worst${withCpu ? '  cpu ms (mean)  cpu ratio' : ''}`);
  for (const m of labels) {
    const t = times.get(m)!;
    const q = ratios.get(m)!;
    const c = withCpu ? `  ${mean(cpu.get(m)!).toFixed(0).padStart(13)}  ${(mean(cpu.get(m)!) / mean(cpu.get('plain')!)).toFixed(2).padStart(8)}×` : '';
    console.log(
      `${m.padEnd(11)}  ${median(t).toFixed(1).padStart(9)}  ${Math.max(...t)
        .toFixed(1)
        .padStart(8)}  ${median(q).toFixed(2).padStart(11)}×  ${Math.max(...q)
        .toFixed(2)
        .padStart(10)}×${c}`,
    );
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
