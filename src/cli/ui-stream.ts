/**
 * The page's event stream: one upstream event stream per program (opened only while some page
 * listens), fanned out to every open page as server-sent events.
 *
 * Nothing here can slow the programs: each program computes its stats once per tick for all of
 * its readers (control/events.ts), and this server is one reader however many pages are open.
 * Trace records are batched and sent every {@link FLUSH_MS}, at most {@link MAX_BATCH} a batch
 * (the rest counted as dropped); a page that has more than {@link MAX_QUEUED} bytes unread loses
 * what it cannot take (counted too) instead of this server buffering for it.
 */
import type { ServerResponse } from 'node:http';
import type { AgentEvent, StatsFailure, StatsTick } from '../control/protocol.ts';
import type { TraceRecord } from '../exits/index.ts';
import type { AgentSet, UiAgent } from './ui-agents.ts';

/** Stats interval asked of each program, in milliseconds. */
export const STATS_INTERVAL_MS = 1000;
/** How often batched trace records go out. */
const FLUSH_MS = 250;
/** Most trace records in one batch; more within one flush period are dropped. */
const MAX_BATCH = 200;
/** Bytes a page may leave unread before events to it are dropped. */
const MAX_QUEUED = 256 * 1024;

/** What the page receives (see ui/page/types.ts for its side). */
export type PageEvent =
  | { event: 'agents'; data: { agents: AgentView[] } }
  | { event: 'stats'; data: { pid: number; tick: StatsTick | StatsFailure } }
  | { event: 'trace'; data: { records: (TraceRecord & { pid: number })[]; dropped: number } }
  | { event: 'ended'; data: { pid: number; reason: string } }
  /** How many events this page lost so far, sent when it changes. */
  | { event: 'dropped'; data: number };

/** A program as the page lists it. */
export interface AgentView {
  pid: number;
  argv: string[];
  node: string;
  transport: string;
  startedAt: number;
}

interface Page {
  readonly res: ServerResponse;
  /** Events this page lost because it did not keep up. */
  dropped: number;
  /** The `dropped` it was last told. */
  told: number;
}

/** Fans the programs' events out to the open pages. */
export class PageStream {
  readonly #agents: AgentSet;
  readonly #pages = new Set<Page>();
  readonly #upstreams = new Map<number, { close(): void }>();
  #batch: (TraceRecord & { pid: number })[] = [];
  #batchDropped = 0;
  #flushTimer: NodeJS.Timeout | undefined;
  #unlisten: (() => void) | undefined;

  constructor(agents: AgentSet) {
    this.#agents = agents;
  }

  get pages(): number {
    return this.#pages.size;
  }

  /** Starts a server-sent event stream on `res` for one page. */
  add(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const page: Page = { res, dropped: 0, told: 0 };
    this.#pages.add(page);
    res.write(': hookwire ui\n\n');
    write(page, 'agents', JSON.stringify({ agents: this.#agents.list().map(view) }));
    const end = (): void => this.#remove(page);
    res.on('close', end);
    res.on('error', end);
    if (this.#pages.size === 1) this.#open();
  }

  /** Ends every page's stream and every upstream. */
  close(): void {
    for (const page of this.#pages) page.res.end();
    this.#pages.clear();
    this.#shut();
  }

  #remove(page: Page): void {
    this.#pages.delete(page);
    if (this.#pages.size === 0) this.#shut();
  }

  /** The first page came: follow every program, and the set of programs. */
  #open(): void {
    this.#unlisten = this.#agents.onChange((agents) => {
      this.#broadcast('agents', JSON.stringify({ agents: agents.map(view) }));
      this.#sync(agents);
    });
    this.#sync(this.#agents.list());
    this.#flushTimer = setInterval(() => this.#flush(), FLUSH_MS);
  }

  /** The last page left: this server reads nothing from the programs any more. */
  #shut(): void {
    this.#unlisten?.();
    this.#unlisten = undefined;
    clearInterval(this.#flushTimer);
    for (const up of this.#upstreams.values()) up.close();
    this.#upstreams.clear();
    this.#batch = [];
    this.#batchDropped = 0;
  }

  /** One upstream per program that is there; none for those that left. */
  #sync(agents: UiAgent[]): void {
    const pids = new Set(agents.map((a) => a.pid));
    for (const [pid, up] of this.#upstreams) {
      if (!pids.has(pid)) {
        up.close();
        this.#upstreams.delete(pid);
      }
    }
    for (const agent of agents) if (!this.#upstreams.has(agent.pid)) this.#follow(agent);
  }

  #follow(agent: UiAgent): void {
    const { pid } = agent;
    const stream = agent.client.events((e) => this.#onEvent(pid, e), { intervalMs: STATS_INTERVAL_MS });
    this.#upstreams.set(pid, stream);
    const ended = (reason: string): void => {
      // Only if this stream is still the one for pid (not closed and replaced meanwhile).
      if (this.#upstreams.get(pid) !== stream) return;
      this.#upstreams.delete(pid);
      this.#broadcast('ended', JSON.stringify({ pid, reason }));
      // Still listed (a hiccup, not an exit)? Follow it again a moment later.
      setTimeout(() => {
        if (this.#pages.size > 0 && !this.#upstreams.has(pid) && this.#agents.list().some((a) => a.pid === pid)) this.#follow(agent);
      }, STATS_INTERVAL_MS).unref();
    };
    stream.done.then(
      () => ended('the event stream ended'),
      (error: unknown) => ended(error instanceof Error ? error.message : String(error)),
    );
  }

  #onEvent(pid: number, e: AgentEvent): void {
    if (e.event === 'stats') {
      this.#broadcast('stats', JSON.stringify({ pid, tick: e.data }));
      return;
    }
    if (this.#batch.length >= MAX_BATCH) this.#batchDropped++;
    else this.#batch.push({ ...e.data, pid });
  }

  #flush(): void {
    if (this.#batch.length === 0 && this.#batchDropped === 0) return;
    const text = JSON.stringify({ records: this.#batch, dropped: this.#batchDropped });
    this.#batch = [];
    this.#batchDropped = 0;
    this.#broadcast('trace', text);
  }

  /** Sends one event, serialised once, to every page that can take it. */
  #broadcast(event: PageEvent['event'], json: string): void {
    for (const page of this.#pages) {
      if (page.res.writableEnded || page.res.destroyed) continue;
      if (page.res.writableLength > MAX_QUEUED) {
        page.dropped++;
        continue;
      }
      write(page, event, json);
    }
  }
}

function write(page: Page, event: string, json: string): void {
  page.res.write(`event: ${event}\ndata: ${json}\n\n`);
  if (page.dropped !== page.told) {
    page.told = page.dropped;
    page.res.write(`event: dropped\ndata: ${page.dropped}\n\n`);
  }
}

function view(agent: UiAgent): AgentView {
  return { pid: agent.pid, argv: agent.argv, node: agent.node, transport: agent.transport, startedAt: agent.startedAt };
}
