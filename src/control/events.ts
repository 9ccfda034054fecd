import type { ServerResponse } from 'node:http';
import type { TraceRecord } from '../exits/index.ts';
import type { StatsFailure, StatsTick } from './protocol.ts';

/** Bytes a slow event subscriber may have queued before further events to it are dropped. */
const MAX_QUEUED = 1 << 20;

/**
 * Stats taken less than this long ago are reused (the shortest interval a client may ask for):
 * however many subscribers, and whatever their intervals, the program pays for at most one
 * stats computation per this many milliseconds.
 */
const STATS_FRESH_MS = 100;

/** The stats of one moment, serialised once for every subscriber (without its `dropped`). */
interface StatsText {
  readonly at: number;
  /** The JSON of the tick or failure with its closing brace cut off: each subscriber adds `"dropped":n}`. */
  readonly open: string;
}

/**
 * The agent's live event stream: trace records and periodic stats, fanned out to server-sent
 * event subscribers. Its cost to the program does not grow with the number of subscribers:
 * subscribers with the same interval share one timer, stats are computed and serialised once per
 * tick for all of them (and reused for {@link STATS_FRESH_MS}), and a trace record is serialised
 * once. A subscriber that does not keep up loses events (counted in `dropped`), and costs
 * nothing while it is behind, rather than making the program buffer without bound.
 */
export class EventHub {
  readonly #subscribers = new Set<Subscriber>();
  /** One timer per interval in use, ticking for every subscriber with that interval. */
  readonly #groups = new Map<number, { timer: NodeJS.Timeout; subs: Set<Subscriber> }>();
  /** Listeners inside the agent (the trace file writer); called synchronously. */
  readonly #listeners = new Set<(record: TraceRecord) => void>();
  #stats: StatsText | undefined;
  #statsSource: (() => Omit<StatsTick, 'dropped'>) | undefined;
  #statsComputed = 0;

  get subscribers(): number {
    return this.#subscribers.size;
  }

  /** How many times stats were computed so far (it does not grow with the number of subscribers). */
  get statsComputed(): number {
    return this.#statsComputed;
  }

  /** Adds an in-process listener of trace records; returns the function that removes it. */
  onTrace(listener: (record: TraceRecord) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Publishes one trace record to every listener and subscriber. Never throws. */
  trace(record: TraceRecord): void {
    for (const listener of this.#listeners) {
      try {
        listener(record);
      } catch {
        // A failing sink must not reach the traced code.
      }
    }
    if (this.#subscribers.size > 0) this.#sendTrace(record);
  }

  /**
   * Starts a server-sent event stream on `res`; `stats` is called at most once per tick of
   * `intervalMs` for every subscriber of this hub (see `AgentEvent` in `protocol.ts`). Every
   * subscriber of one hub describes the same agent: the latest `stats` given is the one used.
   */
  subscribe(res: ServerResponse, intervalMs: number, stats: () => Omit<StatsTick, 'dropped'>): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    this.#statsSource = stats;
    const sub: Subscriber = { res, dropped: 0, intervalMs };
    let group = this.#groups.get(intervalMs);
    if (group === undefined) {
      const subs = new Set<Subscriber>();
      const timer = setInterval(() => this.#tick(subs), intervalMs);
      timer.unref();
      group = { timer, subs };
      this.#groups.set(intervalMs, group);
    }
    group.subs.add(sub);
    this.#subscribers.add(sub);
    res.write(': hookwire event stream\n\n');
    this.#tick([sub]);
    const end = (): void => this.#remove(sub);
    res.on('close', end);
    res.on('error', end);
  }

  /** Ends every stream (the agent is shutting down). */
  close(): void {
    for (const { timer } of this.#groups.values()) clearInterval(timer);
    this.#groups.clear();
    for (const sub of this.#subscribers) sub.res.end();
    this.#subscribers.clear();
  }

  #remove(sub: Subscriber): void {
    this.#subscribers.delete(sub);
    const group = this.#groups.get(sub.intervalMs);
    if (group === undefined) return;
    group.subs.delete(sub);
    if (group.subs.size === 0) {
      clearInterval(group.timer);
      this.#groups.delete(sub.intervalMs);
    }
  }

  /** Sends one stats event to `subs`, computing the stats only for those that can take it, and once. */
  #tick(subs: Iterable<Subscriber>): void {
    let text: StatsText | undefined;
    for (const sub of subs) {
      if (!writable(sub)) continue;
      text ??= this.#currentStats();
      send(sub, 'stats', `${text.open}${text.open.endsWith('{') ? '' : ','}"dropped":${sub.dropped}}`);
    }
  }

  #currentStats(): StatsText {
    const now = Date.now();
    const cached = this.#stats;
    if (cached !== undefined && now - cached.at < STATS_FRESH_MS && now >= cached.at) return cached;
    let json: string;
    this.#statsComputed++;
    try {
      json = JSON.stringify(this.#statsSource?.() ?? {});
    } catch (error) {
      json = JSON.stringify({ error: String(error) } satisfies Omit<StatsFailure, 'dropped'>);
    }
    const fresh = { at: now, open: json.slice(0, -1) };
    this.#stats = fresh;
    return fresh;
  }

  #sendTrace(record: TraceRecord): void {
    let text: string | undefined;
    let failed = false;
    for (const sub of this.#subscribers) {
      if (!writable(sub)) continue;
      if (text === undefined && !failed) {
        try {
          text = JSON.stringify(record);
        } catch {
          failed = true;
        }
      }
      if (text === undefined) sub.dropped++;
      else send(sub, 'trace', text);
    }
  }
}

interface Subscriber {
  readonly res: ServerResponse;
  dropped: number;
  readonly intervalMs: number;
}

/** Whether `sub` can take another event now; one that is behind has it counted as dropped instead. */
function writable(sub: Subscriber): boolean {
  if (sub.res.writableEnded || sub.res.destroyed) return false;
  if (sub.res.writableLength > MAX_QUEUED) {
    sub.dropped++;
    return false;
  }
  return true;
}

function send(sub: Subscriber, event: 'trace' | 'stats', json: string): void {
  sub.res.write(`event: ${event}\ndata: ${json}\n\n`);
}
