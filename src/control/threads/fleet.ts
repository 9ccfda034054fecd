/**
 * The main thread's side of the threads of its process: it writes the wanted state to shared
 * memory for every worker's agent (thread-agent.ts), tells them of each change, and waits until
 * every live thread confirmed it: the barrier. It keeps what each thread measured, so that a
 * listing adds up every thread's counts, those of ended threads included.
 */
import { HookError } from '../../core/index.ts';
import type { TraceRecord } from '../../exits/index.ts';
import { Mailbox } from './mailbox.ts';
import {
  ENVIRONMENT_KEY,
  PARENT_KEY,
  TO_MAIN,
  TO_THREADS,
  type FromThread,
  type ThreadLink,
  type ThreadRecord,
  type ThreadReport,
  type ThreadState,
  type ToThreads,
} from './messages.ts';
import { SharedText } from './shared-text.ts';
import { SharedTallies } from './tallies.ts';
import { beyondCounts, watchWorkers } from './watch-workers.ts';

// node:worker_threads through process.getBuiltinModule, not `import`: the ES import's module facade
// costs the agent's start ~25 ms on Node 20.
const { BroadcastChannel, setEnvironmentData } = process.getBuiltinModule('node:worker_threads');

/** Room for the wanted state (256 attachments of a few hundred bytes each fit many times over). */
const STATE_BYTES = 1 << 20;
/** Room for the threads' answers between two reads. */
const MAILBOX_BYTES = 4 << 20;
/** Count sites over all worker threads (a pair of float64 each: 1 MiB). */
const TALLY_PAIRS = 65_536;
/** Default time every thread has to confirm a change (`HOOKWIRE_THREAD_TIMEOUT_MS`). */
export const THREAD_TIMEOUT_MS = 2_000;
/** Longest the main thread waits at exit for the live workers' last counts. */
const EXIT_WAIT_MS = 1_000;

/** One thread as the main thread knows it. */
export interface ThreadEntry {
  thread: number;
  parent: number;
  /** Its agent started (false: a worker started without the preload, say with an `env` that drops NODE_OPTIONS). */
  reached: boolean;
  ended: boolean;
  /** The last state epoch it confirmed. */
  epoch: number;
  /** What it refused last, if it did. */
  refused?: { epoch: number; code: string; message: string };
  reports: Map<string, ThreadReport>;
}

/** How a change went in the other threads. */
export type BarrierOutcome = { ok: true; threads: number } | { ok: false; error: HookError };

export class ThreadFleet {
  readonly #state = SharedText.create(STATE_BYTES);
  readonly #mailbox = Mailbox.create(MAILBOX_BYTES);
  readonly #tallies = SharedTallies.create(TALLY_PAIRS);
  /** Per attachment uid: where each thread's count sites count. */
  readonly #tallySlots = new Map<string, { thread: number; site: string; slot: number }[]>();
  readonly #threads = new Map<number, ThreadEntry>();
  readonly #changes = new BroadcastChannel(TO_THREADS);
  readonly #records = new BroadcastChannel(TO_MAIN);
  readonly timeoutMs: number;
  #epoch = 0;
  #reads = 0;
  #queue: Promise<unknown> = Promise.resolve();

  #route: (name: string, record: TraceRecord) => void = () => {};

  constructor(timeoutMs = THREAD_TIMEOUT_MS) {
    this.timeoutMs = timeoutMs;
    this.#changes.unref();
    this.#records.unref();
    this.#records.onmessage = (event: { data: unknown }): void => {
      const { thread, name, record } = event.data as ThreadRecord;
      // The record says which thread it comes from (trace lines show it as [w<thread>]).
      const tagged: TraceRecord & { thread: number } = { ...record, thread };
      this.#route(name, tagged);
    };
    const link: ThreadLink = { state: this.#state.buffer, mailbox: this.#mailbox.buffer, tallies: this.#tallies.buffer };
    setEnvironmentData(ENVIRONMENT_KEY, link);
    setEnvironmentData(PARENT_KEY, 0);
    watchWorkers(this.#mailbox, () => beyondCounts(this.#state.read().text));
  }

  /** The agent's attachments, once made: they reach the threads, and the threads' trace records go to them. */
  adopt(attachments: { spanThreads(fleet: ThreadFleet): void; routeThreadRecord(name: string, record: TraceRecord): void }): void {
    this.#route = (name, record) => attachments.routeThreadRecord(name, record);
    attachments.spanThreads(this);
  }

  /** Writes the wanted state for the workers that start from now on, without waiting for the live ones. */
  write(state: ThreadState): void {
    this.#state.write(++this.#epoch, JSON.stringify(state));
  }

  /** Runs changes one at a time: a barrier is for one state. */
  serialize<T>(change: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(change, change);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Whether any worker's agent is live (when none is, a change needs no barrier). */
  get live(): number {
    this.#drain();
    let n = 0;
    for (const t of this.#threads.values()) if (t.reached && !t.ended) n++;
    return n;
  }

  /**
   * Publishes `state` and waits until every live thread applied it. A thread that refuses, or
   * does not confirm within the timeout, makes the outcome a failure naming it (the caller rolls
   * the change back and publishes the old state again: see {@link publish}).
   */
  async publish(state: ThreadState): Promise<BarrierOutcome> {
    const epoch = ++this.#epoch;
    if (!this.#state.write(epoch, JSON.stringify(state))) {
      return { ok: false, error: new HookError('ERR_LIMIT', `the attachments do not fit in the ${STATE_BYTES} bytes shared with worker threads`) };
    }
    this.#changes.postMessage({ t: 'change', epoch } satisfies ToThreads);
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const seq = this.#mailbox.seq;
      this.#drain();
      const refused = [...this.#threads.values()].find((t) => !t.ended && t.refused?.epoch === epoch);
      if (refused?.refused !== undefined) {
        return { ok: false, error: new HookError(refused.refused.code, `thread ${refused.thread} refused: ${refused.refused.message}`) };
      }
      const waiting = [...this.#threads.values()].filter((t) => t.reached && !t.ended && t.epoch < epoch);
      if (waiting.length === 0) return { ok: true, threads: this.live };
      const left = deadline - Date.now();
      if (left <= 0) {
        const ids = waiting.map((t) => t.thread).join(', ');
        return {
          ok: false,
          error: new HookError(
            'ERR_TIMEOUT',
            `thread${waiting.length === 1 ? '' : 's'} ${ids} did not confirm within ${this.timeoutMs} ms (busy in synchronous code?)`,
          ),
        };
      }
      await this.#mailbox.wait(seq, left);
    }
  }

  /** Asks every live thread for its counts now and waits for the answers (at most the timeout). */
  async read(): Promise<void> {
    const id = ++this.#reads;
    const asked = [...this.#threads.values()].filter((t) => t.reached && !t.ended).map((t) => t.thread);
    if (asked.length === 0) return;
    const answered = new Set<number>();
    const onReport = (thread: number, reportId: number): void => {
      if (reportId === id) answered.add(thread);
    };
    this.#changes.postMessage({ t: 'read', id } satisfies ToThreads);
    const deadline = Date.now() + this.timeoutMs;
    while (asked.some((t) => !answered.has(t) && !this.#threads.get(t)!.ended) && Date.now() < deadline) {
      const seq = this.#mailbox.seq;
      this.#drain(onReport);
      if (asked.every((t) => answered.has(t) || this.#threads.get(t)!.ended)) break;
      await this.#mailbox.wait(seq, deadline - Date.now());
    }
  }

  /** At exit: every live thread leaves its last counts (waiting, synchronously, at most a second). */
  finish(): void {
    this.#drain();
    const live = [...this.#threads.values()].filter((t) => t.reached && !t.ended);
    if (live.length === 0) return;
    this.#changes.postMessage({ t: 'read', id: -1 } satisfies ToThreads);
    const deadline = Date.now() + EXIT_WAIT_MS;
    while (live.some((t) => !t.ended) && Date.now() < deadline) {
      const seq = this.#mailbox.seq;
      this.#drain();
      if (live.every((t) => t.ended)) break;
      this.#mailbox.waitSync(seq, deadline - Date.now());
    }
  }

  /**
   * What every other thread measured of the attachment `uid` (ended threads included). Count
   * exits' counts are read from shared memory: exact at this moment, whatever the thread does.
   */
  partsOf(uid: string): { thread: number; report: ThreadReport; ended: boolean }[] {
    this.#drain();
    const out: { thread: number; report: ThreadReport; ended: boolean }[] = [];
    const shared = this.#tallySlots.get(uid) ?? [];
    for (const t of this.#threads.values()) {
      let report = t.reports.get(uid);
      const mine = shared.filter((s) => s.thread === t.thread);
      if (mine.length > 0) {
        const base: ThreadReport = report ?? { uid, status: 'attached', armed: true, stats: { hits: 0, faults: 0, missed: 0 }, report: null };
        const old = base.report?.type === 'count' ? base.report : { type: 'count' as const, faults: 0, sites: {} };
        const sites = { ...old.sites };
        let hits = 0;
        for (const s of mine) {
          const counts = this.#tallies.read(s.slot);
          sites[s.site] = { hits: counts.hits, errors: counts.errors, faults: sites[s.site]?.faults ?? 0 };
          hits += counts.hits;
        }
        report = { ...base, status: 'attached', stats: { ...base.stats, hits: Math.max(hits, base.stats.hits) }, report: { ...old, sites } };
      }
      if (report !== undefined) out.push({ thread: t.thread, report, ended: t.ended });
    }
    return out;
  }

  /** Every worker thread known, live or ended. */
  threads(): ThreadEntry[] {
    this.#drain();
    return [...this.#threads.values()];
  }

  #entry(thread: number, parent = 0): ThreadEntry {
    let entry = this.#threads.get(thread);
    if (entry === undefined) {
      entry = { thread, parent, reached: false, ended: false, epoch: 0, reports: new Map() };
      this.#threads.set(thread, entry);
    }
    return entry;
  }

  /** A thread has ended, and with it the workers it started (Node ends them with it). */
  #ended(entry: ThreadEntry): void {
    entry.ended = true;
    for (const t of this.#threads.values()) if (t.parent === entry.thread && !t.ended) this.#ended(t);
  }

  #drain(onReport?: (thread: number, id: number) => void): void {
    for (const raw of this.#mailbox.take()) {
      const m = raw as FromThread;
      const entry = this.#entry(m.thread, 'parent' in m ? m.parent : 0);
      switch (m.t) {
        case 'born':
          entry.parent = m.parent;
          break;
        case 'hello':
          entry.reached = true;
          entry.parent = m.parent;
          break;
        case 'gone':
          this.#ended(entry);
          break;
        case 'ack':
          if (m.error === undefined) {
            entry.epoch = Math.max(entry.epoch, m.epoch);
            delete entry.refused;
          } else entry.refused = { epoch: m.epoch, ...m.error };
          keep(entry, m.reports);
          break;
        case 'tally': {
          const list = this.#tallySlots.get(m.uid) ?? [];
          list.push({ thread: m.thread, site: m.site, slot: m.slot });
          this.#tallySlots.set(m.uid, list);
          break;
        }
        case 'report':
          keep(entry, m.reports);
          // Last words: the thread ends (by itself, or terminated once it gave them).
          if (m.id === -1) entry.ended = true;
          onReport?.(m.thread, m.id);
          break;
      }
    }
  }
}

function keep(entry: ThreadEntry, reports: ThreadReport[]): void {
  entry.reports = new Map(reports.map((r) => [r.uid, r]));
}
