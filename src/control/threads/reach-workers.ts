/**
 * How the thread agent gets into worker threads: Node runs a `--require` preload that was in
 * NODE_OPTIONS when the process started in every worker (nested ones, and those started with
 * their own `execArgv`), unless the worker is given an `env` without NODE_OPTIONS; `--import`
 * preloads never run in workers (test/threads/preload-reach.test.ts, Node 20, 22 and 24). So
 * `hookwire run` starts the program with {@link threadPreloadOption} in NODE_OPTIONS next to the
 * agent's `--import`.
 */
import type { WorkerOptions } from 'node:worker_threads';
import { dress } from '../../probe/dress.ts';
import { ownFile } from '../../probe/own-files.ts';

/** The preload's path (the built one, also when this runs from src/ under a TypeScript loader). */
export function threadPreloadPath(): string {
  return decodeURIComponent(ownFile('control/threads/thread-preload.cjs').pathname);
}

/** `--require="<path>"`, quoted for NODE_OPTIONS. */
export function threadPreloadOption(): string {
  return `--require=${JSON.stringify(threadPreloadPath())}`;
}

/**
 * Adds the preload to this process's NODE_OPTIONS when it is not there: Node reads the variable
 * again for a worker started with its own `execArgv` (and a child process inherits it), not for
 * one that inherits the options the process started with. The agent does this at start, for a
 * program started without `hookwire run`.
 */
export function reachWorkers(env: NodeJS.ProcessEnv): void {
  const option = threadPreloadOption();
  const current = env['NODE_OPTIONS'] ?? '';
  if (!current.includes(threadPreloadPath())) env['NODE_OPTIONS'] = `${current} ${option}`.trim();
}

/**
 * For a process whose options were fixed before NODE_OPTIONS had the preload (the `hookwire`
 * process that `hookwire run` hands over to the program, cli/run-here.ts): a worker that inherits
 * the process's options would never run the preload. So `Worker` gives such a worker the
 * process's `execArgv` as its own, which makes Node read NODE_OPTIONS, preload included, for it:
 * the same options otherwise. The wrapper is dressed as the original (probe/dress.ts): the same
 * `prototype`, `name` and statics, so `instanceof` and subclasses work as before. Only for a
 * process started without Node options of its own (the caller checks): a worker refuses
 * per-process options in its `execArgv`.
 */
export function reachInheritingWorkers(): void {
  const threads = process.getBuiltinModule('node:worker_threads');
  const Original = threads.Worker;
  const execArgv = process.execArgv;
  function Worker(this: unknown, filename: string | URL, options?: WorkerOptions): unknown {
    if (new.target === undefined) return Reflect.apply(Original, this, [filename, options]);
    const inherits = options?.execArgv === undefined && (options?.env === undefined || options.env === process.env);
    const given = inherits ? { ...options, execArgv } : options;
    return Reflect.construct(Original, [filename, given], new.target === Worker ? Original : new.target);
  }
  dress(Worker, Original);
  (threads as { Worker: unknown }).Worker = Worker;
  process.getBuiltinModule('node:module').syncBuiltinESMExports();
}
