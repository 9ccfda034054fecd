import type { AttachmentInfo, ExitSpec } from '../protocol.ts';
import type { TraceRecord } from '../../exits/index.ts';

/**
 * What the threads of one process say to each other. The main thread's agent writes the wanted
 * state ({@link ThreadState}) to shared memory and tells the workers on {@link TO_THREADS}; the
 * workers answer through the shared mailbox ({@link FromThread}); trace records come on
 * {@link TO_MAIN}. BroadcastChannel names are per process: no other process hears them.
 */
export const TO_THREADS = 'hookwire:threads:change';
export const TO_MAIN = 'hookwire:threads:records';
/** A worker that gave its last counts says so here (to the thread that is terminating it). */
export const FINAL = 'hookwire:threads:final';

/**
 * Where a worker reached by a brought-in agent (started before it, so without the link in its
 * environment data) asks for the link, and the main thread's guest agent answers (guest-reach.ts).
 */
export const LINK = 'hookwire:threads:link';

/** A worker's request for the link, and the answer (to every worker waiting). */
export type LinkMessage = { t: 'need'; thread: number } | { t: 'link'; link: ThreadLink };

/** The key of `worker_threads` environment data under which each thread finds the shared buffers. */
export const ENVIRONMENT_KEY = 'hookwire:threads';
/** The key of environment data that tells a worker which thread started it. */
export const PARENT_KEY = 'hookwire:threads:parent';

/** What environment data carries to every worker (nested ones too: each copies its parent's). */
export interface ThreadLink {
  state: SharedArrayBuffer;
  mailbox: SharedArrayBuffer;
  /** The `count` exits' counters (tallies.ts). */
  tallies: SharedArrayBuffer;
}

/** One attachment as every thread should have it. `uid` tells a re-made attachment from the old one of the same name. */
export interface WantedAttachment {
  uid: string;
  name: string;
  target: string;
  exit: ExitSpec;
  armed: boolean;
  /** The attachment came from the environment: its exit spec may name files. */
  files: boolean;
}

/**
 * An arm or disarm of a program's own hook's exits (all, or the one named), in the order they were
 * made (over the socket or by `armEverywhere`; `seq` is the main thread's, one order for both). A
 * thread that applied an arming no longer listed after it (rolled back: another thread refused
 * it) undoes it.
 */
export interface WantedHookArming {
  seq: number;
  hook: string;
  exit?: string;
  armed: boolean;
}

/** The state every thread is brought to, as JSON in shared memory. */
export interface ThreadState {
  attachments: WantedAttachment[];
  hookArmings: WantedHookArming[];
}

/** What one thread measured for one attachment. */
export interface ThreadReport {
  uid: string;
  status: AttachmentInfo['status'];
  armed: boolean;
  stats: AttachmentInfo['stats'];
  report: AttachmentInfo['report'];
  /** Per latency site, the cumulative counts at {@link ThreadReport.bounds}: the distribution to merge. */
  cumulative?: Record<string, { bounds: number[]; counts: number[] }>;
}

/** Messages from a thread to the main thread's agent (through the mailbox). */
export type FromThread =
  /** A worker's agent started (before it read the state). */
  | { t: 'hello'; thread: number; parent: number }
  /** A thread started a worker (whether or not that worker's agent will ever say hello). */
  | { t: 'born'; thread: number; parent: number }
  /**
   * A worker this thread started runs (Node's `online`: its preloads, the thread agent's among
   * them, have run; so a worker online without a `hello` has no agent).
   */
  | { t: 'online'; thread: number }
  /** A worker this thread started has exited. */
  | { t: 'gone'; thread: number }
  /** The thread has brought itself to `epoch` (or refused it: `error`), with its reports. */
  | { t: 'ack'; thread: number; epoch: number; error?: { code: string; message: string }; reports: ThreadReport[] }
  /** The counter of a `count` exit's site in this thread is the shared pair at `slot`. */
  | { t: 'tally'; thread: number; uid: string; site: string; slot: number }
  /** An answer to a read (`id`), or the last words of a thread that ends (`id` -1). */
  | { t: 'report'; thread: number; id: number; reports: ThreadReport[] }
  /** The thread's registry synchronized for request `id`: its async dispatches begun before it heard of `id` have ended. */
  | { t: 'synced'; thread: number; id: number };

/** Messages from the main thread's agent to every worker. */
export type ToThreads = { t: 'change'; epoch: number } | { t: 'read'; id: number; threads?: number[] } | { t: 'sync'; id: number };

/** A trace record from a worker, with the attachment it belongs to. */
export interface ThreadRecord {
  thread: number;
  name: string;
  record: TraceRecord;
}
