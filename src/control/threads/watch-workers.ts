import type { Worker } from 'node:worker_threads';
import type { Mailbox } from './mailbox.ts';
import { FINAL, TO_THREADS, type ThreadState, type ToThreads } from './messages.ts';

// process.getBuiltinModule, not `import`: an ES import builds the module's facade (start-up time).
const { BroadcastChannel, threadId } = process.getBuiltinModule('node:worker_threads');

/** Longest a `terminate()` waits for the worker's last counts. */
export const FINAL_WAIT_MS = 500;

/**
 * Watches the workers this thread starts (`process.on('worker')`, Node's own event): tells the
 * main thread's agent of each birth and exit, so a change never waits for a thread that is gone.
 * A worker's `terminate()` first asks that worker for its last counts (a terminated worker runs
 * no exit handler, so it could not leave them itself), then terminates it: `terminate()` returns
 * a promise anyway, and it resolves at most {@link FINAL_WAIT_MS} later than it would have. Only
 * when some attachment is not a plain `count` (whose counts are in shared memory already): a
 * worker blocked in `Atomics.wait` (piscina's idle workers) cannot answer, and costs the wait.
 * Returns what stops watching.
 */
export function watchWorkers(mailbox: Mailbox, needsLastWords: () => boolean): () => void {
  const onWorker = (worker: Worker): void => {
    // Node 20's own module-hooks thread (module.register) is announced too: it runs no program code.
    if (worker.constructor.name === 'InternalWorker') return;
    const id = worker.threadId;
    mailbox.post({ t: 'born', thread: id, parent: threadId });
    worker.once('online', () => mailbox.post({ t: 'online', thread: id }));
    worker.once('exit', () => mailbox.post({ t: 'gone', thread: id }));
    const terminate = worker.terminate;
    Object.defineProperty(worker, 'terminate', {
      configurable: true,
      writable: true,
      enumerable: false,
      value: async function terminateAfterCounts(this: Worker): Promise<number> {
        // Count exits count in shared memory: only other exits' reports need the worker's last words.
        if (needsLastWords()) await lastCounts(id);
        return terminate.call(this);
      },
    });
  };
  process.on('worker', onWorker);
  // What stops watching (the brought-in agent when it leaves; workers already watched stay so).
  return () => process.off('worker', onWorker);
}

/** Whether a wanted state (JSON of messages.ts's ThreadState) has an attachment other than a plain count. */
export function beyondCounts(stateText: string): boolean {
  if (stateText === '') return false;
  const state = JSON.parse(stateText) as ThreadState;
  return state.attachments.some((a) => a.exit['type'] !== 'count' || Object.keys(a.exit).length !== 1);
}

/** Asks worker `id` for its last counts and resolves once it gave them (or after the wait). */
function lastCounts(id: number): Promise<void> {
  return new Promise((resolve) => {
    const done = new BroadcastChannel(FINAL);
    const ask = new BroadcastChannel(TO_THREADS);
    const finish = (): void => {
      clearTimeout(timer);
      done.close();
      ask.close();
      resolve();
    };
    const timer = setTimeout(finish, FINAL_WAIT_MS);
    done.onmessage = (event: { data: unknown }): void => {
      if ((event.data as { thread?: unknown }).thread === id) finish();
    };
    ask.postMessage({ t: 'read', id: -1, threads: [id] } satisfies ToThreads);
  });
}
