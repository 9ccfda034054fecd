/**
 * A process's place in a run (issue 9): every Node process that inherits the agent through
 * NODE_OPTIONS (cluster workers, `child_process.fork`, a `node` child with the inherited
 * environment) belongs to the run of the process that started it. `hookwire run` names the run
 * (`HOOKWIRE_RUN`); the first process with the agent puts its pid in `HOOKWIRE_RUN_FIRST` for its
 * descendants, so that each of them knows it is not the first, and its trace lines say which pid.
 * Under `hookwire run` each process also leaves `<pid>.started` in the summary directory as it
 * starts, so that the run can wait for the summary of every process it had, and say which never
 * came (SIGKILL).
 */
import { builtin } from '../../probe/host.ts';

// The built-ins' original functions (probe/host.ts): the agent's own file work never shows up in the program's probes.
const { mkdirSync, writeFileSync } = builtin('node:fs') ?? process.getBuiltinModule('node:fs');
const { join } = builtin('node:path') ?? process.getBuiltinModule('node:path');

/** The environment variable that names the run (set by `hookwire run`). */
export const RUN_ENV = 'HOOKWIRE_RUN';
/** The environment variable with the pid of the run's first process (set by that process's agent). */
export const FIRST_ENV = 'HOOKWIRE_RUN_FIRST';

const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/u;

/** What a process knows of its run. */
export interface Membership {
  /** The run's id (`HOOKWIRE_RUN`), if it has one. */
  run: string | undefined;
  /** The pid of the run's first process (this one's own pid if it is the first). */
  first: number;
}

/**
 * Reads the process's run from `env` and, in the first process, marks the environment its
 * descendants inherit. A malformed value is reported (one line) and ignored.
 */
export function joinRun(env: NodeJS.ProcessEnv, report: (line: string) => void): Membership {
  let run: string | undefined;
  const raw = env[RUN_ENV];
  if (raw !== undefined && raw !== '') {
    if (RUN_ID.test(raw)) run = raw;
    else report(`${RUN_ENV} must be 1 to 64 letters, digits, "-" or "_", got ${JSON.stringify(raw.slice(0, 80))}; ignored`);
  }
  let first = pidOf(env[FIRST_ENV]);
  if (first === undefined) {
    first = process.pid;
    env[FIRST_ENV] = String(first);
  }
  return { run, first };
}

/** The pid a trace record of this process carries: its own, unless it is the run's first process (or in none). */
export function recordPid(env: NodeJS.ProcessEnv): number | undefined {
  const first = pidOf(env[FIRST_ENV]);
  return first === undefined || first === process.pid ? undefined : process.pid;
}

/** What `<pid>.started` holds: enough to name a process that never wrote its summary. */
export interface StartedMark {
  pid: number;
  ppid: number;
  argv: string[];
  startedAt: number;
}

/** Leaves `<dir>/<pid>.started`; a failure is reported, never thrown. */
export function markStarted(dir: string, startedAt: number, report: (line: string) => void): void {
  const mark: StartedMark = { pid: process.pid, ppid: process.ppid, argv: process.argv, startedAt };
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, `${process.pid}.started`), JSON.stringify(mark), { mode: 0o600 });
  } catch (error) {
    report(`cannot mark the start in the summary directory: ${(error as Error).message}`);
  }
}

function pidOf(value: string | undefined): number | undefined {
  if (value === undefined || !/^[1-9]\d{0,9}$/u.test(value)) return undefined;
  return Number(value);
}
