/**
 * How long the CLI's own commands take to start and answer (issue 8, a cheap start): wall time of
 * `hookwire --version`, `hookwire ls` (no agent in reach: a private empty runtime directory, so it
 * scans /proc and lists nothing) and `hookwire arm --help`, against an empty ES module started by
 * the same node (the floor every ES entry pays: Node's ES module loader) and `node -e 0`.
 *
 *   npm run build && node --import tsx bench/cli-start.ts [--rounds 15] [--node PATH] [--compare DIR]
 *
 * `--compare DIR` also starts another built checkout's CLI (`DIR/dist/cli/main.js`, made as
 * bench/startup.ts says) in the same rounds, as `<command>@old`. Each round starts every row once,
 * in rotating order; reported per row: median and worst wall time, and the median ratio to the
 * empty module taken within each round. On Node 22+ these commands keep a compile cache of
 * hookwire's modules in the runtime directory (cli/main.ts): the unmeasured first start fills it,
 * so the rounds time what a user's repeated commands take. Node 20 has none for ES modules.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from './child-env.ts';
import { scriptOptions } from './script-options.ts';
import { median } from './stats.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The commands timed, as `hookwire` takes them. */
const COMMANDS: readonly (readonly string[])[] = [['--version'], ['ls'], ['arm', '--help']];

function main(): void {
  const { option, rounds, nodeBin } = scriptOptions();
  const compare = option('--compare');
  const dir = mkdtempSync(join(tmpdir(), 'hookwire-cli-start-'));
  try {
    const empty = join(dir, 'empty.mjs');
    writeFileSync(empty, '');
    const env = childEnv();
    for (const name of Object.keys(env)) if (name.startsWith('HOOKWIRE_') || name.startsWith('NODE_')) delete env[name];
    env['HOOKWIRE_RUNTIME_DIR'] = join(dir, 'runtime');
    const rows: [string, string[]][] = [
      ['empty module', [empty]],
      ['node -e 0', ['-e', '0']],
      ...COMMANDS.map((args): [string, string[]] => [args.join(' '), [join(root, 'dist/cli/main.js'), ...args]]),
      ...(compare === undefined
        ? []
        : COMMANDS.map((args): [string, string[]] => [`${args.join(' ')}@old`, [join(compare, 'dist/cli/main.js'), ...args]])),
    ];
    const time = (args: string[]): number => {
      const t0 = process.hrtime.bigint();
      const child = spawnSync(nodeBin, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      // `ls` with no agent says so and ends 0; any other end is a broken build, not a figure.
      if (child.status !== 0) throw new Error(`node ${args.join(' ')} failed (exit ${child.status}): ${child.stderr}`);
      return ms;
    };
    // One unmeasured start per row: the file system cache, not hookwire, would be in the first.
    for (const [, args] of rows) time(args);
    const times = new Map<string, number[]>(rows.map(([label]) => [label, []]));
    const ratios = new Map<string, number[]>(rows.map(([label]) => [label, []]));
    for (let r = 0; r < rounds; r++) {
      const round = new Map<string, number>();
      for (let k = 0; k < rows.length; k++) {
        const [label, args] = rows[(k + r) % rows.length]!;
        round.set(label, time(args));
      }
      for (const [label] of rows) {
        times.get(label)!.push(round.get(label)!);
        ratios.get(label)!.push(round.get(label)! / round.get('empty module')!);
      }
    }
    const version = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
    console.log(`CLI command starts, node ${version}, ${rounds} rounds`);
    console.log('command           median ms  worst ms  ratio to an empty module');
    for (const [label] of rows) {
      const t = times.get(label)!;
      console.log(
        `${label.padEnd(16)}  ${median(t).toFixed(1).padStart(9)}  ${Math.max(...t)
          .toFixed(1)
          .padStart(8)}  ${median(ratios.get(label)!).toFixed(2).padStart(8)}×`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
