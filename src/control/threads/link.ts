import { Mailbox } from './mailbox.ts';
import { ENVIRONMENT_KEY, PARENT_KEY, type ThreadLink } from './messages.ts';
import { SharedText } from './shared-text.ts';
import { SharedTallies } from './tallies.ts';
import { beyondCounts, watchWorkers } from './watch-workers.ts';

// node:worker_threads through process.getBuiltinModule, not `import`: the ES import's module facade
// costs the agent's start ~25 ms on Node 20.
const { setEnvironmentData } = process.getBuiltinModule('node:worker_threads');

/** Room for the wanted state (256 attachments of a few hundred bytes each fit many times over). */
export const STATE_BYTES = 1 << 20;
/** Room for the threads' answers between two reads. */
const MAILBOX_BYTES = 4 << 20;
/** Count sites over all worker threads (a pair of float64 each: 1 MiB). */
const TALLY_PAIRS = 65_536;

/** Default time every thread has to confirm a change (`HOOKWIRE_THREAD_TIMEOUT_MS`). */
export const THREAD_TIMEOUT_MS = 2_000;

/** The main thread's end of the memory it shares with every worker's agent. */
export interface MainLink {
  /** The wanted state, written by the fleet. */
  readonly state: SharedText;
  /** The threads' answers, births and exits, read by the fleet. */
  readonly mailbox: Mailbox;
  /** The count exits' counts of every worker. */
  readonly tallies: SharedTallies;
}

/**
 * Opens the link every worker thread started from now on finds at its start (environment data),
 * and watches this thread's workers' births and exits into its mailbox. The agent opens it at
 * start, so that workers are reached from the first one on; the fleet that works through it
 * (fleet.ts, and the core behind it) is made only when something is attached or the in-process
 * API is called (issue 8: nothing the user did not ask for is loaded at start). Until then the
 * mailbox keeps what the workers said.
 */
export function openMainLink(): MainLink {
  const link: MainLink = { state: SharedText.create(STATE_BYTES), mailbox: Mailbox.create(MAILBOX_BYTES), tallies: SharedTallies.create(TALLY_PAIRS) };
  const shared: ThreadLink = { state: link.state.buffer, mailbox: link.mailbox.buffer, tallies: link.tallies.buffer };
  setEnvironmentData(ENVIRONMENT_KEY, shared);
  setEnvironmentData(PARENT_KEY, 0);
  watchWorkers(link.mailbox, () => beyondCounts(link.state.read().text));
  return link;
}
