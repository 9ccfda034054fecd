/**
 * How the thread agent gets into worker threads: Node runs a `--require` preload that was in
 * NODE_OPTIONS when the process started in every worker (nested ones, and those started with
 * their own `execArgv`), unless the worker is given an `env` without NODE_OPTIONS; `--import`
 * preloads never run in workers (test/threads/preload-reach.test.ts, Node 20, 22 and 24). So
 * `hookwire run` starts the program with {@link threadPreloadOption} in NODE_OPTIONS next to the
 * agent's `--import`.
 */

/** The preload's path (the built one, also when this runs from src/ under a TypeScript loader). */
export function threadPreloadPath(): string {
  const here = import.meta.url;
  const url = new URL(here.endsWith('.ts') ? '../../../dist/control/threads/thread-preload.cjs' : './thread-preload.cjs', here);
  return decodeURIComponent(url.pathname);
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
