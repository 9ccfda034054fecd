/**
 * `hookwire run` in its own process (issue 8: the run's start). A Node script run by the same Node
 * as the CLI (`node app.js`, or `app.js`) needs no second process: the CLI checks what it can,
 * sets the environment the program would have had, loads the agent, and hands the process over
 * to the script as Node's own start would (`Module.runMain`). That saves a whole Node start, the
 * largest part of what `hookwire run` added to a program's start.
 *
 * What the program sees is what it sees in a child process of its own: the same argv, main
 * module, environment and agent; and the process id is the one the shell started. The run's
 * summary is printed when the agent has written its own, at exit or on the signal that ends the
 * program (agent-config.ts, AFTER_SUMMARY); the exit code follows the same rule as a child's
 * (0, 1 when the program failed, 2 with --strict), and a signal still ends the process by itself.
 *
 * Anything else runs in a child process (runner.ts): another command, another Node binary, Node
 * options before the script (`node --inspect app.js`) or for the CLI itself, or `--spawn`.
 */
import type { RunMembers } from '../control/processes/members.ts';
import { collectMembersSync } from '../control/processes/members.ts';
import { AFTER_SUMMARY } from '../control/agent-config.ts';
import { reachInheritingWorkers } from '../control/threads/reach-workers.ts';
import { asHookwire } from '../probe/own-code.ts';
import { UsageError } from './args.ts';
import type { Outcome } from './runner.ts';

// Built-ins through process.getBuiltinModule: an ES import builds each one's module facade at start.
const { accessSync, constants, realpathSync } = process.getBuiltinModule('node:fs');
const { delimiter, isAbsolute, join, resolve } = process.getBuiltinModule('node:path');

/** A script for this process's Node, and its arguments. */
export interface NodeScript {
  path: string;
  args: string[];
}

/** What {@link runHere} needs from the run. */
export interface HerePlan {
  script: NodeScript;
  /** CommonJS probe specs left to be checked by loading them (preflight.ts). */
  checks: string[];
  /** The program's environment (runner.ts, programEnv). */
  env: NodeJS.ProcessEnv;
  /** The agent module's URL. */
  agent: string;
  summaryDir: string;
  /** Prints the summary; returns the run's exit code. */
  report(outcome: Outcome, members: RunMembers): number;
  /** Removes the run's working directory. */
  cleanUp(): void;
}

/**
 * The script `command` runs, when it is a script run by the Node running this process with no
 * Node options: `app.js`, `node app.js`, `/path/to/this/node app.mjs`; else undefined. Also
 * undefined when this process itself was started with Node options, which the program would
 * inherit and its workers could not (threads/reach-workers.ts).
 */
export function nodeScriptOf(command: readonly string[]): NodeScript | undefined {
  const [first, ...rest] = command;
  if (first === undefined || process.execArgv.length > 0) return undefined;
  if (isScriptPath(first)) return { path: first, args: rest };
  const [script, ...args] = rest;
  if (script === undefined || script.startsWith('-') || !isThisNode(first)) return undefined;
  return { path: script, args };
}

/** A command that is a script file (`app.js`, `app.mjs`, `app.cjs`): `run` gives it to Node. */
export function isScriptPath(command: string): boolean {
  return /\.[cm]?js$/u.test(command);
}

/** `command` names the Node binary this process runs (directly, or found on PATH). */
function isThisNode(command: string): boolean {
  try {
    const own = realpathSync(process.execPath);
    if (command.includes('/')) return realpathSync(resolve(command)) === own;
    for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
      if (dir === '' || !isAbsolute(dir)) continue;
      const candidate = join(dir, command);
      try {
        accessSync(candidate, constants.X_OK);
      } catch {
        continue;
      }
      // The first on PATH is the one a shell would run.
      return realpathSync(candidate) === own;
    }
  } catch {
    // Cannot tell: a child process runs it.
  }
  return false;
}

/**
 * Turns this process into the program: checks the CommonJS specs (loading their modules here, as
 * the program's agent would before its first line), sets the environment, loads the agent and
 * starts the script. Never settles: from then on the process is the program's, and the summary
 * and the exit code come at its end.
 */
export async function runHere(plan: HerePlan): Promise<never> {
  try {
    if (plan.checks.length > 0) {
      const { checkSpec } = await import('../control/check-spec.ts');
      for (const spec of plan.checks) {
        const result = await checkSpec(spec);
        if ('error' in result) throw new UsageError(`${spec}: ${result.error}`, result.code);
      }
    }
  } catch (error) {
    plan.cleanUp();
    throw error;
  }
  // The environment the program would have had in a process of its own, in place (the object
  // stays process.env: Node reads it from there for the processes and workers the program starts).
  for (const name of Object.keys(process.env)) if (!(name in plan.env)) delete process.env[name];
  Object.assign(process.env, plan.env);
  let ended = false;
  /** Prints the run's summary once; returns the exit code the run ends with. */
  const finish = (code: number, signal: NodeJS.Signals | undefined): number => {
    if (ended) return code;
    ended = true;
    try {
      // Processes the program started may still be writing theirs (cluster workers ending).
      return plan.report({ code: signal === undefined ? code : null, signal: signal ?? null }, collectMembersSync(plan.summaryDir));
    } finally {
      plan.cleanUp();
    }
  };
  // A signal that ends the program: now, before the agent ends the process by it.
  (globalThis as Record<symbol, unknown>)[AFTER_SUMMARY] = (_code: number | undefined, signal: NodeJS.Signals | undefined): void => {
    if (signal !== undefined) finish(0, signal);
  };
  // Workers that inherit this process's options get the thread preload too.
  reachInheritingWorkers();
  // argv as Node gives it to a script: this Node, the script's absolute path, its arguments.
  process.argv.splice(1, process.argv.length - 1, resolve(plan.script.path), ...plan.script.args);
  await import(plan.agent);
  // An exit: after the program's own exit listeners (a test runner prints its results there, and
  // may set the exit code or call process.exit() there), so after the agent's, which is first.
  afterEveryExitListener((code) => finish(code, undefined));
  // Out of this promise chain: the script's own errors are the program's uncaught exceptions, as
  // in a process of its own, never this command's.
  const { runMain } = process.getBuiltinModule('node:module') as unknown as { runMain: () => void };
  process.nextTick(() => runMain());
  return new Promise<never>(() => {});
}

/**
 * Runs `last` at the very end of the process's exit, after every 'exit' listener the program
 * adds: the last listener, kept last as the program adds its own, for a process that ends by
 * itself; and, since `process.exit()` inside an exit listener ends the process at once,
 * `process.reallyExit` (through which every `process.exit()` ends it) too. `last` returns the
 * exit code to end with. Runs as hookwire's own code: probed functions it calls do not count.
 */
function afterEveryExitListener(last: (code: number) => number): void {
  const own = process as unknown as { reallyExit(code: number): never };
  const reallyExit = own.reallyExit;
  const atExit = (code: number): void => {
    process.exitCode = asHookwire(() => last(exitCodeOf(code)));
  };
  own.reallyExit = (code: number): never =>
    reallyExit.call(
      process,
      asHookwire(() => last(exitCodeOf(code))),
    );
  process.on('exit', atExit);
  // 'newListener' comes before the listener is added: ours moves behind it right after.
  process.on('newListener', (event: string | symbol, listener: unknown) => {
    if (event !== 'exit' || listener === atExit) return;
    queueMicrotask(() => {
      process.removeListener('exit', atExit);
      process.on('exit', atExit);
    });
  });
}

/** The code the process is about to end with, as the program last set it. */
function exitCodeOf(code: number): number {
  const set = process.exitCode;
  return typeof set === 'number' ? set : typeof set === 'string' && set !== '' ? Number(set) : code;
}
