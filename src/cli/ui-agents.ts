/**
 * The programs `hookwire ui` shows: the PIDs it was given, or every agent of this user in the
 * runtime directory (found the way `hookwire ls` finds them), followed as programs start and stop.
 */
import { existsSync } from 'node:fs';
import { HookError } from '../core/index.ts';
import { connectAgent, listAgents, type AgentEntry, type ControlClient } from '../control/client.ts';
import { checkRuntimeDir, socketPath, tcpInfoPath } from '../control/runtime-dir.ts';

/** How often the runtime directory (or the given PIDs) is looked at again. */
const POLL_MS = 1000;

/** A program the page shows. */
export interface UiAgent {
  readonly pid: number;
  readonly argv: string[];
  readonly node: string;
  readonly transport: AgentEntry['transport'];
  /** Epoch milliseconds when it started, from its uptime when first seen. */
  readonly startedAt: number;
  readonly client: ControlClient;
}

/** The set of programs, kept current by polling; listeners hear of every change. */
export class AgentSet {
  readonly #dir: string;
  readonly #pids: readonly number[] | undefined;
  readonly #agents = new Map<number, UiAgent>();
  readonly #listeners = new Set<(agents: UiAgent[]) => void>();
  #timer: NodeJS.Timeout | undefined;
  #polling = false;

  /** `pids`: only these programs (each must answer at start); none: every agent in `dir`. */
  constructor(dir: string, pids?: readonly number[]) {
    this.#dir = dir;
    this.#pids = pids;
  }

  /** Looks once (a given PID without an agent is ERR_AGENT_UNREACHABLE), then keeps looking. */
  async start(): Promise<void> {
    if (this.#pids !== undefined) {
      for (const pid of this.#pids) {
        const client = connectAgent(pid, { dir: this.#dir, timeoutMs: 2000 });
        const info = await client.info();
        this.#agents.set(pid, { pid, argv: info.argv, node: info.node, transport: info.transport, startedAt: Date.now() - info.uptimeMs, client });
      }
    } else {
      // A runtime directory that is not private is refused at once (ERR_INSECURE_DIR), as ls does.
      if (existsSync(this.#dir)) checkRuntimeDir(this.#dir);
      await this.#poll();
    }
    this.#timer = setInterval(() => void this.#poll(), POLL_MS);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  get(pid: number): UiAgent {
    const agent = this.#agents.get(pid);
    if (agent === undefined) throw new HookError('ERR_NOT_FOUND', `process ${pid} is not one hookwire ui shows (see GET /api/agents)`);
    return agent;
  }

  list(): UiAgent[] {
    return [...this.#agents.values()];
  }

  /** Calls `listener` with the whole set after every change; returns the function that stops it. */
  onChange(listener: (agents: UiAgent[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const seen = this.#pids === undefined ? await this.#discover() : this.#stillThere();
      let changed = false;
      for (const pid of this.#agents.keys()) {
        if (!seen.has(pid)) {
          this.#agents.delete(pid);
          changed = true;
        }
      }
      for (const [pid, agent] of seen) {
        if (!this.#agents.has(pid)) {
          this.#agents.set(pid, agent);
          changed = true;
        }
      }
      if (changed) for (const listener of this.#listeners) listener(this.list());
    } finally {
      this.#polling = false;
    }
  }

  async #discover(): Promise<Map<number, UiAgent>> {
    let entries: AgentEntry[];
    try {
      entries = await listAgents({ dir: this.#dir, timeoutMs: 1000 });
    } catch {
      // An insecure or vanished directory shows as no programs; the next poll looks again.
      return new Map();
    }
    const found = new Map<number, UiAgent>();
    // A known program that did not answer this time (a busy machine: listAgents waits 1 s) stays
    // while its process and socket are there; it leaves when it exits.
    for (const agent of this.#agents.values()) {
      if (alive(agent.pid) && existsSync(socketPath(agent.pid, this.#dir))) found.set(agent.pid, agent);
    }
    for (const e of entries) {
      const known = this.#agents.get(e.pid);
      found.set(
        e.pid,
        known ?? {
          pid: e.pid,
          argv: e.argv,
          node: e.node,
          transport: e.transport,
          startedAt: Date.now() - e.uptimeMs,
          client: connectAgent(e.pid, { dir: this.#dir }),
        },
      );
    }
    return found;
  }

  /** The given programs whose process and socket (or TCP address file) are still there. */
  #stillThere(): Map<number, UiAgent> {
    const found = new Map<number, UiAgent>();
    for (const agent of this.#agents.values()) {
      if (alive(agent.pid) && (existsSync(socketPath(agent.pid, this.#dir)) || existsSync(tcpInfoPath(agent.pid, this.#dir)))) found.set(agent.pid, agent);
    }
    return found;
  }
}

/** Whether process `pid` exists (EPERM: it does, as another user's). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
