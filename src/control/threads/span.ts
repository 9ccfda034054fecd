import { openMainLink, threadTimeout } from './link.ts';
import { madeFleet, setProcessLink } from './process-fleet.ts';
import { reachWorkers } from './reach-workers.ts';

/**
 * Makes the agent's attachments reach every worker thread of the process (and every change wait
 * for all of them): the link that shares the state with the workers, the preload that starts a
 * thread agent in each, and, at exit, the live workers' last counts collected before the summary
 * is written. `HOOKWIRE_THREAD_TIMEOUT_MS` sets how long a change waits for a thread (default
 * 2000). Call it in the main thread at start (workers started before the first attachment are
 * reached too), before the agent's own exit listener is added. The fleet itself (fleet.ts) is
 * made from the link when first needed: {@link processFleet} (issue 8).
 */
export function spanWorkerThreads(env: NodeJS.ProcessEnv, report: (line: string) => void): void {
  const timeout = threadTimeout(env, report);
  // The in-process API (armEverywhere, disarmEverywhere, synchronizeEverywhere) works through it too.
  setProcessLink(openMainLink(), timeout);
  reachWorkers(env);
  // Without a fleet nothing was ever published to the workers: they have nothing to report.
  process.on('exit', () => madeFleet()?.finish());
}
