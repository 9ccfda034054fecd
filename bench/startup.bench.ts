/**
 * Cases: start-up of a real program under hookwire (issue 8), as `npm run bench -- startup`
 * measures it: a process that loads express, lodash and semver and exits (bench/startup-program.cjs,
 * or the .mjs variant), started plain, with `node --import hookwire/agent`, and under
 * `hookwire run --probe semver#valid=count`, timed from spawn to exit (bench/startup.ts, which also
 * runs alone with `--node PATH` for other Node lines and reports the worst round). Needs a built
 * dist/. A heavy case: each figure is the median of 15 starts a round, the modes taking turns.
 */
import type { Case } from './harness.ts';
import { timeStart } from './startup.ts';

const node = process.execPath;

function startupCase(esm: boolean): Case {
  const program = `bench/startup-program.${esm ? 'mjs' : 'cjs'}`;
  return {
    id: esm ? 'startup-esm' : 'startup',
    kind: 'time',
    heavy: true,
    heavyRuns: 15,
    title: `Start-up of a program loading express + lodash + semver (${esm ? 'ES module' : 'CommonJS'})`,
    measures:
      `Wall time of one process running ${program} (it loads express, lodash and semver and exits), from spawn to exit. ` +
      'Baseline: plain node. The agent row adds `--import hookwire/agent` (nothing attached); the run row is the whole ' +
      '`hookwire run --probe semver#valid=count -- node` command: the CLI, its spec check and the program under the agent.',
    baseline: 'plain node',
    checks: [
      { label: '--import hookwire/agent / plain <= 1.10', num: 'node --import hookwire/agent', den: 'plain node', op: '<=', value: 1.1 },
      { label: 'hookwire run --probe / plain <= 1.30', num: 'hookwire run --probe semver#valid=count', den: 'plain node', op: '<=', value: 1.3 },
    ],
    benches: [
      { name: 'plain node', role: 'baseline', fn: () => timeStart('plain', node, esm) },
      { name: 'node --import hookwire/agent', role: 'hookwire', fn: () => timeStart('agent', node, esm) },
      { name: 'hookwire run --probe semver#valid=count', role: 'hookwire', fn: () => timeStart('run', node, esm) },
    ],
  };
}

export const cases: Case[] = [startupCase(false), startupCase(true)];
