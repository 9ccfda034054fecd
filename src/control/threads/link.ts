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
  const link = createMainLink();
  shareMainLink(link);
  watchWorkers(link.mailbox, () => beyondCounts(link.state.read().text));
  return link;
}

/** The memory of a new link, shared with no thread yet. */
export function createMainLink(): MainLink {
  return { state: SharedText.create(STATE_BYTES), mailbox: Mailbox.create(MAILBOX_BYTES), tallies: SharedTallies.create(TALLY_PAIRS) };
}

/** What a worker's agent finds of `link`: its buffers. */
export function threadLinkOf(link: MainLink): ThreadLink {
  return { state: link.state.buffer, mailbox: link.mailbox.buffer, tallies: link.tallies.buffer };
}

/**
 * Gives `link` to every worker this thread starts from now on (environment data); `undefined`
 * takes it back (the brought-in agent when it leaves: workers started then get nothing of it).
 */
export function shareMainLink(link: MainLink | undefined): void {
  setEnvironmentData(ENVIRONMENT_KEY, link === undefined ? undefined : threadLinkOf(link));
  setEnvironmentData(PARENT_KEY, link === undefined ? undefined : 0);
}

/**
 * The time every thread has to confirm a change: `HOOKWIRE_THREAD_TIMEOUT_MS` when it is a whole
 * number of milliseconds from 1 to 600000, else {@link THREAD_TIMEOUT_MS} (and `report` says why).
 */
export function threadTimeout(env: NodeJS.ProcessEnv, report: (line: string) => void = () => {}): number {
  const raw = env['HOOKWIRE_THREAD_TIMEOUT_MS'];
  if (raw === undefined || raw === '') return THREAD_TIMEOUT_MS;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= 1 && n <= 600_000) return n;
  report(`HOOKWIRE_THREAD_TIMEOUT_MS must be a whole number of milliseconds from 1 to 600000, got "${raw}"; using ${THREAD_TIMEOUT_MS}`);
  return THREAD_TIMEOUT_MS;
}
