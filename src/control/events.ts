import type { ServerResponse } from 'node:http';
import type { TraceRecord } from '../exits/index.ts';
import type { StatsFailure, StatsTick } from './protocol.ts';

/** Bytes a slow event subscriber may have queued before further events to it are dropped. */
const MAX_QUEUED = 1 << 20;

/**
 * The agent's live event stream: trace records and periodic stats, fanned out to server-sent
 * event subscribers. A subscriber that does not keep up loses events (counted in `dropped`)
 * rather than making the program buffer without bound.
 */
export class EventHub {
  readonly #subscribers = new Set<Subscriber>();
  /** Listeners inside the agent (the trace file writer); called synchronously. */
  readonly #listeners = new Set<(record: TraceRecord) => void>();

  get subscribers(): number {
    return this.#subscribers.size;
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
    if (this.#subscribers.size > 0) this.#send('trace', record);
  }

  /** Starts a server-sent event stream on `res`; `stats` is called every `intervalMs` (see `AgentEvent` in `protocol.ts`). */
  subscribe(res: ServerResponse, intervalMs: number, stats: () => Omit<StatsTick, 'dropped'>): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const sub: Subscriber = { res, dropped: 0, timer: undefined };
    const tick = (): void => {
      let data: StatsTick | StatsFailure;
      try {
        data = { ...stats(), dropped: sub.dropped };
      } catch (error) {
        data = { error: String(error), dropped: sub.dropped };
      }
      write(sub, 'stats', data);
    };
    sub.timer = setInterval(tick, intervalMs);
    sub.timer.unref();
    this.#subscribers.add(sub);
    res.write(': hookwire event stream\n\n');
    tick();
    const end = (): void => {
      clearInterval(sub.timer);
      this.#subscribers.delete(sub);
    };
    res.on('close', end);
    res.on('error', end);
  }

  /** Ends every stream (the agent is shutting down). */
  close(): void {
    for (const sub of this.#subscribers) {
      clearInterval(sub.timer);
      sub.res.end();
    }
    this.#subscribers.clear();
  }

  #send(event: 'trace', data: TraceRecord): void {
    for (const sub of this.#subscribers) write(sub, event, data);
  }
}

interface Subscriber {
  res: ServerResponse;
  dropped: number;
  timer: NodeJS.Timeout | undefined;
}

function write(sub: Subscriber, event: 'trace' | 'stats', data: TraceRecord | StatsTick | StatsFailure): void {
  if (sub.res.writableEnded || sub.res.destroyed) return;
  if (sub.res.writableLength > MAX_QUEUED) {
    sub.dropped++;
    return;
  }
  let text: string;
  try {
    text = JSON.stringify(data);
  } catch {
    sub.dropped++;
    return;
  }
  sub.res.write(`event: ${event}\ndata: ${text}\n\n`);
}
