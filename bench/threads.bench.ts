/**
 * Cases: how long a change over every thread takes (issue 9): arming, then disarming, one count
 * probe in the main thread and 1, 4 or 16 live worker threads, each change answering only once
 * every thread applied it (the barrier of src/control/threads/fleet.ts). Baseline: the same
 * arm and disarm in the main thread alone (`Attachments.setArmed`, no barrier). The workers get
 * the thread agent as `hookwire run` gives it (the built dist/control/threads/thread-preload.cjs:
 * needs `npm run build`); they call the probed function on a 1 ms timer, so each has an event loop
 * turn to take the change in. A heavy case: each figure is the median of a few timed operations.
 */
import { Worker } from 'node:worker_threads';
import { registry } from '../src/core/index.ts';
import { Attachments } from '../src/control/attachments.ts';
import { exitCatalogue } from '../src/control/catalogue.ts';
import { ThreadFleet } from '../src/control/threads/fleet.ts';
import { threadPreloadPath } from '../src/control/threads/reach-workers.ts';
import type { Case } from './harness.ts';

const SPEC = './bench/fixtures/thread-work.cjs#work';
const NAME = 'bench-threads';
/** One operation: an arm and a disarm, each answered after every thread applied it. */
const CHANGES = 2;

let shared: { attachments: Attachments; fleet: ThreadFleet } | undefined;

/** The process's one fleet and attachments (environment data is per process), with the probe attached disarmed. */
function parts(): { attachments: Attachments; fleet: ThreadFleet } {
  if (shared !== undefined) return shared;
  const fleet = new ThreadFleet(10_000);
  const attachments = new Attachments(registry, exitCatalogue(registry), () => {});
  fleet.adopt(attachments);
  attachments.attach({ target: SPEC, exit: { type: 'count' }, name: NAME, armed: false }, { allowLoad: true });
  shared = { attachments, fleet };
  return shared;
}

function threadsCase(workers: number): Case {
  let pool: Worker[] = [];
  let ready: Promise<void> = Promise.resolve();
  const body = `
    const lib = require(${JSON.stringify(new URL('./fixtures/thread-work.cjs', import.meta.url).pathname)});
    let n = 0;
    setInterval(() => { n = lib.work(n); }, 1);`;
  return {
    id: `threads-arm-${workers}`,
    kind: 'time',
    heavy: true,
    title: `Arm and disarm one count probe across the main thread and ${workers} worker thread${workers === 1 ? '' : 's'}`,
    measures:
      `One change (an arm or a disarm of a count probe on ${SPEC}) answered once the main thread and ${workers} live worker ` +
      'thread(s) applied it: shared-memory state, a BroadcastChannel message, each thread applying it at its next event-loop ' +
      'turn and confirming through the shared mailbox. Baseline: the same change in the main thread alone.',
    baseline: 'main thread alone (no barrier)',
    setup() {
      const { fleet } = parts();
      pool = Array.from({ length: workers }, () => new Worker(body, { eval: true, execArgv: ['--require', threadPreloadPath()] }));
      ready = (async () => {
        // Every worker's agent said hello and the ones of an earlier case are gone.
        while (fleet.live !== workers) await new Promise((r) => setTimeout(r, 5));
      })();
    },
    teardown() {
      for (const w of pool) void w.terminate();
      pool = [];
    },
    benches: [
      {
        name: 'main thread alone (no barrier)',
        role: 'baseline',
        ops: CHANGES,
        fn: () => {
          const { attachments } = parts();
          attachments.setArmed({ name: NAME }, true);
          attachments.setArmed({ name: NAME }, false);
        },
      },
      {
        name: `every thread (${workers} worker${workers === 1 ? '' : 's'}), barrier`,
        role: 'hookwire',
        ops: CHANGES,
        fn: async () => {
          await ready;
          const { attachments } = parts();
          await attachments.setArmedEverywhere({ name: NAME }, true);
          await attachments.setArmedEverywhere({ name: NAME }, false);
        },
      },
    ],
  };
}

export const cases: Case[] = [threadsCase(1), threadsCase(4), threadsCase(16)];
