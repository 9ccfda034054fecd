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
  if (/\.[cm]?js$/u.test(first)) return { path: first, args: rest };
  const [script, ...args] = rest;
  if (script === undefined || script.startsWith('-') || !isThisNode(first)) return undefined;
  return { path: script, args };
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
        if ('error' in result) throw new UsageError(`${spec}: ${result.error}`);
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
  (globalThis as Record<symbol, unknown>)[AFTER_SUMMARY] = (code: number | undefined, signal: NodeJS.Signals | undefined): void => {
    if (ended) return;
    ended = true;
    try {
      // Processes the program started may still be writing theirs (cluster workers ending).
      const exitCode = plan.report({ code: code ?? null, signal: signal ?? null }, collectMembersSync(plan.summaryDir));
      // A signal ends the process by itself right after this; an exit takes this code.
      if (signal === undefined) process.exitCode = exitCode;
    } finally {
      plan.cleanUp();
    }
  };
  // Workers that inherit this process's options get the thread preload too.
  reachInheritingWorkers();
  // argv as Node gives it to a script: this Node, the script's absolute path, its arguments.
  process.argv.splice(1, process.argv.length - 1, resolve(plan.script.path), ...plan.script.args);
  await import(plan.agent);
  // Out of this promise chain: the script's own errors are the program's uncaught exceptions, as
  // in a process of its own, never this command's.
  const { runMain } = process.getBuiltinModule('node:module') as unknown as { runMain: () => void };
  process.nextTick(() => runMain());
  return new Promise<never>(() => {});
}
