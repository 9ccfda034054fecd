/**
 * The main thread's side of the threads of its process: it writes the wanted state to shared
 * memory for every worker's agent (thread-agent.ts), tells them of each change, and waits until
 * every live thread confirmed it: the barrier. It keeps what each thread measured, so that a
 * listing adds up every thread's counts, those of ended threads included.
 */
import { HookError } from '../../core/errors.ts';
import type { TraceRecord } from '../../exits/index.ts';
import { openMainLink, STATE_BYTES, THREAD_TIMEOUT_MS, type MainLink } from './link.ts';
import type { Mailbox } from './mailbox.ts';
import {
  TO_MAIN,
  TO_THREADS,
  type FromThread,
  type ThreadRecord,
  type ThreadReport,
  type ThreadState,
  type ToThreads,
  type WantedAttachment,
  type WantedHookArming,
} from './messages.ts';
import { foldReport, type Part } from './reports.ts';
import type { SharedText } from './shared-text.ts';
import type { SharedTallies } from './tallies.ts';

// node:worker_threads through process.getBuiltinModule, not `import`: the ES import's module facade
// costs the agent's start ~25 ms on Node 20.
const { BroadcastChannel } = process.getBuiltinModule('node:worker_threads');

/** Longest the main thread waits at exit for the live workers' last counts. */
const EXIT_WAIT_MS = 1_000;
/** Hook armings kept for the threads (a worker that starts replays them; older ones are dropped). */
export const HOOK_ARMINGS_KEPT = 256;
/**
 * Ended threads kept apart, the most recently ended (live ones are all kept). A program that keeps
 * starting workers (a pool that recycles them, a worker per task) would otherwise grow the listing,
 * and this memory, without end. 16: the last ones to end are those a user asks about (one that
 * crashed, one that refused a change), and as many as a pool of a few workers per core recycles in
 * one go, while a listing of 16 lines is still read at a glance. Older ended threads' counts are
 * folded into one sum per attachment: the totals stay exact.
 */
export const ENDED_THREADS_KEPT = 16;
/** Forgotten threads remembered, so that a late message from one does not bring it back. */
const FORGOTTEN_REMEMBERED = 1024;

/** One thread as the main thread knows it. */
export interface ThreadEntry {
  thread: number;
  parent: number;
  /** Its agent started (false: a worker started without the preload, say with an `env` that drops NODE_OPTIONS). */
  reached: boolean;
  /** It runs (its preloads have run: if it is not reached by now, it never will be). */
  online: boolean;
  ended: boolean;
  /** The last state epoch it confirmed. */
  epoch: number;
  /** What it refused last, if it did. */
  refused?: { epoch: number; code: string; message: string };
  reports: Map<string, ThreadReport>;
  /** The last read it answered. */
  answered: number;
  /** The last synchronize request it confirmed. */
  synced: number;
}

/**
 * How a change went in the other threads. A failure names the threads that did not confirm in
 * time (`late`: none when a thread refused), so that the rollback need not wait for them again.
 */
export type BarrierOutcome = { ok: true; threads: number } | { ok: false; error: HookError; late: number[] };

export class ThreadFleet {
  readonly #state: SharedText;
  readonly #mailbox: Mailbox;
  readonly #tallies: SharedTallies;
  /** Per attachment uid: where each thread's count sites count. */
  readonly #tallySlots = new Map<string, { thread: number; site: string; slot: number }[]>();
  readonly #threads = new Map<number, ThreadEntry>();
  /** The ended threads still in {@link #threads}, in the order they ended. */
  #endedOrder: ThreadEntry[] = [];
  /** Per attachment uid: what the threads ended before those kept measured, added up. */
  readonly #folded = new Map<string, ThreadReport>();
  /** Ids of threads folded and forgotten (thread ids are never reused in a process). */
  readonly #forgotten = new Set<number>();
  readonly #changes = new BroadcastChannel(TO_THREADS);
  readonly #records = new BroadcastChannel(TO_MAIN);
  readonly timeoutMs: number;
  #epoch = 0;
  #reads = 0;
  #syncs = 0;
  #queue: Promise<unknown> = Promise.resolve();
  /** The attachments as last given (by `Attachments`). */
  #attachments: WantedAttachment[] = [];
  /**
   * Every arming of the program's hooks, over the socket and by the API, in one order: the
   * threads apply them in this order, so the last one made wins in every thread.
   */
  #armings: WantedHookArming[] = [];
  #armingSeq = 0;
  /** The socket's armings (the `Attachments`' own sequence numbers) by the sequence number here. */
  readonly #fromSocket = new Map<number, number>();
  #socketSeq = 0;

  #route: (name: string, record: TraceRecord) => void = () => {};

  /** `link`: the agent's, opened at its start (span.ts); a new one by default. */
  constructor(timeoutMs = THREAD_TIMEOUT_MS, link: MainLink = openMainLink()) {
    this.timeoutMs = timeoutMs;
    this.#state = link.state;
    this.#mailbox = link.mailbox;
    this.#tallies = link.tallies;
    this.#changes.unref();
    this.#records.unref();
    this.#records.onmessage = (event: { data: unknown }): void => {
      const { thread, name, record } = event.data as ThreadRecord;
      // The record says which thread it comes from (trace lines show it as [w<thread>]).
      const tagged: TraceRecord & { thread: number } = { ...record, thread };
      this.#route(name, tagged);
    };
  }

  /** The agent's attachments, once made: they reach the threads, and the threads' trace records go to them. */
  adopt(attachments: { spanThreads(fleet: ThreadFleet): void; routeThreadRecord(name: string, record: TraceRecord): void }): void {
    this.#route = (name, record) => attachments.routeThreadRecord(name, record);
    attachments.spanThreads(this);
  }

  /** Writes the wanted state for the workers that start from now on, without waiting for the live ones. */
  write(state: ThreadState): void {
    this.#state.write(++this.#epoch, JSON.stringify(this.#absorb(state)));
  }

  /**
   * Adds armings made by the in-process API (`armEverywhere`) to the wanted state (published by
   * the next {@link publishCurrent}); returns what takes them out again. Call inside {@link serialize}.
   */
  addArmings(armings: readonly Omit<WantedHookArming, 'seq'>[]): () => void {
    const before = this.#armings;
    const next = [...before];
    for (const a of armings) next.push({ ...a, seq: ++this.#armingSeq });
    this.#armings = next.slice(-HOOK_ARMINGS_KEPT);
    return () => {
      this.#armings = before;
    };
  }

  /** {@link publish} of the wanted state as it is (after {@link addArmings}, or its undo). */
  publishCurrent(timeoutMs = this.timeoutMs, notWaitingFor: readonly number[] = []): Promise<BarrierOutcome> {
    return this.#publish({ attachments: this.#attachments, hookArmings: this.#armings }, timeoutMs, notWaitingFor);
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
   * the change back and publishes the old state again: see {@link publish}). The threads in
   * `notWaitingFor` are told but not waited for: a rollback's threads that did not confirm the
   * change in time (they read the state as it is when they next run, the rolled-back one).
   */
  publish(state: ThreadState, notWaitingFor: readonly number[] = []): Promise<BarrierOutcome> {
    return this.#publish(this.#absorb(state), this.timeoutMs, notWaitingFor);
  }

  /**
   * Asks every live thread to run its registry's `synchronize()` and waits until each confirmed
   * (its async dispatches begun before it heard of this have ended) or ended. A thread that does
   * not confirm within `timeoutMs` (busy in synchronous code, blocked, or a dispatch that does not
   * settle) makes it an `ERR_TIMEOUT` naming the threads.
   */
  async synchronize(timeoutMs = this.timeoutMs): Promise<BarrierOutcome> {
    const id = ++this.#syncs;
    this.#drain();
    const asked = [...this.#threads.values()].filter((t) => t.reached && !t.ended);
    if (asked.length === 0) return { ok: true, threads: 0 };
    this.#changes.postMessage({ t: 'sync', id } satisfies ToThreads);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seq = this.#mailbox.seq;
      this.#drain();
      const waiting = asked.filter((t) => !t.ended && t.synced < id);
      if (waiting.length === 0) return { ok: true, threads: asked.filter((t) => !t.ended).length };
      const left = deadline - Date.now();
      if (left <= 0) return { ok: false, error: notConfirmed(waiting, timeoutMs, 'dispatches still running?'), late: waiting.map((t) => t.thread) };
      await this.#mailbox.wait(seq, left);
    }
  }

  /**
   * Whether every live worker has a thread agent, after waiting (at most `timeoutMs`) for the
   * workers that were starting when it was called to run: a worker that runs has run its
   * preloads, so one without a `hello` by then will never have an agent (the program was not
   * started with the thread preload in NODE_OPTIONS, or the worker was given an `env` without it),
   * and a change could not reach it: `ERR_THREAD_UNREACHED`. One of those that does not run in
   * time is an `ERR_TIMEOUT`; one that ends meanwhile is not waited for. Workers born during the
   * wait are not waited for either: a program that keeps starting workers would otherwise keep the
   * wait going until the timeout. They read the wanted state as they start, so one with an agent
   * gets the change; one without is refused by the next change.
   */
  async everyWorkerReached(timeoutMs = this.timeoutMs): Promise<{ ok: true } | { ok: false; error: HookError }> {
    const deadline = Date.now() + timeoutMs;
    this.#drain();
    const starting = [...this.#threads.values()].filter((t) => !t.ended && !t.online && !t.reached);
    for (;;) {
      const seq = this.#mailbox.seq;
      this.#drain();
      const waiting = starting.filter((t) => !t.ended && !t.online && !t.reached);
      if (waiting.length === 0) {
        // Known to run without an agent: online (its preloads ran) and no hello.
        const ids = [...this.#threads.values()].filter((t) => !t.ended && t.online && !t.reached).map((t) => t.thread);
        if (ids.length === 0) return { ok: true };
        const one = ids.length === 1;
        return {
          ok: false,
          error: new HookError(
            'ERR_THREAD_UNREACHED',
            `worker thread${one ? '' : 's'} ${ids.join(', ')} run${one ? 's' : ''} without hookwire's thread agent (start the program with hookwire run, or with the thread preload in NODE_OPTIONS)`,
          ),
        };
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        const ids = waiting.map((t) => t.thread).join(', ');
        return { ok: false, error: new HookError('ERR_TIMEOUT', `thread${waiting.length === 1 ? '' : 's'} ${ids} did not start within ${timeoutMs} ms`) };
      }
      await this.#mailbox.wait(seq, left);
    }
  }

  /** Brings the socket's hook armings (`state.hookArmings`, numbered by `Attachments`) into the one order. */
  #absorb(state: ThreadState): ThreadState {
    this.#attachments = state.attachments;
    // What the threads measured of removed attachments is listed no more.
    const uids = new Set(state.attachments.map((a) => a.uid));
    for (const uid of this.#folded.keys()) if (!uids.has(uid)) this.#folded.delete(uid);
    for (const uid of this.#tallySlots.keys()) if (!uids.has(uid)) this.#tallySlots.delete(uid);
    const last = state.hookArmings.reduce((n, a) => Math.max(n, a.seq), 0);
    const added = state.hookArmings.filter((a) => a.seq > this.#socketSeq);
    let next = this.#armings;
    // The socket's list only shrinks at its end when a change is rolled back: take those out too.
    if (last < this.#socketSeq) next = next.filter((a) => (this.#fromSocket.get(a.seq) ?? 0) <= last);
    if (added.length > 0) {
      next = [...next];
      for (const a of added) {
        const seq = ++this.#armingSeq;
        this.#fromSocket.set(seq, a.seq);
        next.push({ hook: a.hook, ...(a.exit !== undefined && { exit: a.exit }), armed: a.armed, seq });
      }
      next = next.slice(-HOOK_ARMINGS_KEPT);
    }
    this.#socketSeq = last;
    if (next !== this.#armings) {
      this.#armings = next;
      const oldest = next[0]?.seq ?? this.#armingSeq + 1;
      for (const seq of this.#fromSocket.keys()) if (seq < oldest) this.#fromSocket.delete(seq);
    }
    return { attachments: state.attachments, hookArmings: this.#armings };
  }

  async #publish(state: ThreadState, timeoutMs: number, notWaitingFor: readonly number[]): Promise<BarrierOutcome> {
    const epoch = ++this.#epoch;
    if (!this.#state.write(epoch, JSON.stringify(state))) {
      return {
        ok: false,
        error: new HookError('ERR_LIMIT', `the attachments do not fit in the ${STATE_BYTES} bytes shared with worker threads`),
        late: [],
      };
    }
    const skip = new Set(notWaitingFor);
    this.#changes.postMessage({ t: 'change', epoch } satisfies ToThreads);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seq = this.#mailbox.seq;
      this.#drain();
      const refused = [...this.#threads.values()].find((t) => !t.ended && t.refused?.epoch === epoch);
      if (refused?.refused !== undefined) {
        return { ok: false, error: new HookError(refused.refused.code, `thread ${refused.thread} refused: ${refused.refused.message}`), late: [] };
      }
      const waiting = [...this.#threads.values()].filter((t) => t.reached && !t.ended && t.epoch < epoch && !skip.has(t.thread));
      if (waiting.length === 0) return { ok: true, threads: this.live };
      const left = deadline - Date.now();
      if (left <= 0) return { ok: false, error: notConfirmed(waiting, timeoutMs, 'busy in synchronous code?'), late: waiting.map((t) => t.thread) };
      await this.#mailbox.wait(seq, left);
    }
  }

  /** Asks every live thread for its counts now and waits for the answers (at most the timeout). */
  async read(): Promise<void> {
    const id = ++this.#reads;
    const asked = [...this.#threads.values()].filter((t) => t.reached && !t.ended);
    if (asked.length === 0) return;
    this.#changes.postMessage({ t: 'read', id } satisfies ToThreads);
    const deadline = Date.now() + this.timeoutMs;
    // Answers are kept on each thread's entry: a change's wait may be the one that takes them.
    while (asked.some((t) => t.answered < id && !t.ended) && Date.now() < deadline) {
      const seq = this.#mailbox.seq;
      this.#drain();
      if (asked.every((t) => t.answered >= id || t.ended)) break;
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
  partsOf(uid: string): Part[] {
    this.#drain();
    const out: Part[] = [];
    for (const t of this.#threads.values()) {
      const report = this.#partOf(t, uid);
      if (report !== undefined) out.push({ thread: t.thread, report, ended: t.ended });
    }
    const folded = this.#folded.get(uid);
    if (folded !== undefined) out.push({ thread: -1, report: folded, ended: true, folded: true });
    return out;
  }

  /** What thread `t` measured of attachment `uid`, its count exits read from shared memory. */
  #partOf(t: ThreadEntry, uid: string): ThreadReport | undefined {
    let report = t.reports.get(uid);
    const mine = (this.#tallySlots.get(uid) ?? []).filter((s) => s.thread === t.thread);
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
    return report;
  }

  /** Every live worker thread known, and the last {@link ENDED_THREADS_KEPT} ended. */
  threads(): ThreadEntry[] {
    this.#drain();
    return [...this.#threads.values()];
  }

  #entry(thread: number, parent = 0): ThreadEntry {
    let entry = this.#threads.get(thread);
    if (entry === undefined) {
      entry = { thread, parent, reached: false, online: false, ended: false, epoch: 0, reports: new Map(), answered: 0, synced: 0 };
      this.#threads.set(thread, entry);
    }
    return entry;
  }

  /** A thread has ended, and with it the workers it started (Node ends them with it). */
  #ended(entry: ThreadEntry): void {
    this.#markEnded(entry);
    for (const t of this.#threads.values()) if (t.parent === entry.thread && !t.ended) this.#ended(t);
  }

  #markEnded(entry: ThreadEntry): void {
    if (entry.ended) return;
    entry.ended = true;
    this.#endedOrder.push(entry);
  }

  /**
   * Forgets the threads that ended before the last {@link ENDED_THREADS_KEPT}: their counts (an
   * ended thread's are final) are added to {@link #folded}, and their entries and count slots go.
   */
  #forgetOldEnded(): void {
    const excess = this.#endedOrder.length - ENDED_THREADS_KEPT;
    if (excess <= 0) return;
    for (const t of this.#endedOrder.splice(0, excess)) {
      const uids = new Set(t.reports.keys());
      for (const [uid, slots] of this.#tallySlots) if (slots.some((s) => s.thread === t.thread)) uids.add(uid);
      for (const uid of uids) {
        const part = this.#partOf(t, uid);
        if (part !== undefined) this.#folded.set(uid, foldReport(this.#folded.get(uid), part));
      }
      for (const [uid, slots] of this.#tallySlots) {
        const left = slots.filter((s) => s.thread !== t.thread);
        if (left.length === 0) this.#tallySlots.delete(uid);
        else if (left.length < slots.length) this.#tallySlots.set(uid, left);
      }
      this.#threads.delete(t.thread);
      this.#forgotten.add(t.thread);
      if (this.#forgotten.size > FORGOTTEN_REMEMBERED) this.#forgotten.delete(this.#forgotten.values().next().value!);
    }
  }

  #drain(): void {
    for (const raw of this.#mailbox.take()) {
      const m = raw as FromThread;
      if (this.#forgotten.has(m.thread)) continue;
      const entry = this.#entry(m.thread, 'parent' in m ? m.parent : 0);
      switch (m.t) {
        case 'born':
          entry.parent = m.parent;
          break;
        case 'hello':
          entry.reached = true;
          entry.parent = m.parent;
          break;
        case 'online':
          entry.online = true;
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
          if (m.id === -1) this.#markEnded(entry);
          entry.answered = Math.max(entry.answered, m.id);
          break;
        case 'synced':
          entry.synced = Math.max(entry.synced, m.id);
          break;
      }
    }
    this.#forgetOldEnded();
  }
}

/** `ERR_TIMEOUT` naming the threads that did not confirm. */
function notConfirmed(waiting: readonly ThreadEntry[], timeoutMs: number, why: string): HookError {
  const ids = waiting.map((t) => t.thread).join(', ');
  return new HookError('ERR_TIMEOUT', `thread${waiting.length === 1 ? '' : 's'} ${ids} did not confirm within ${timeoutMs} ms (${why})`);
}

function keep(entry: ThreadEntry, reports: ThreadReport[]): void {
  entry.reports = new Map(reports.map((r) => [r.uid, r]));
}
