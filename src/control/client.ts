import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { HookError } from '../core/errors.ts';
import {
  checkAgentInfo,
  checkArmAnswer,
  checkAttachAnswer,
  checkDisarmAnswer,
  checkEvent,
  checkListing,
  checkRemoveAnswer,
  errorFromAnswer,
  ROUTES,
  type AgentEvent,
  type AgentInfo,
  type ArmAnswer,
  type ArmRequest,
  type AttachAnswer,
  type AttachRequest,
  type DisarmAnswer,
  type Listing,
  type RemoveAnswer,
  type RemoveRequest,
} from './protocol.ts';
import { checkRuntimeDir, runtimeDir, socketPath, tcpInfoPath } from './runtime-dir.ts';

// Built-ins through process.getBuiltinModule: an ES import builds each one's module facade at start
// (node:fs's takes fs/promises and readline with it), and node:http loads only at the first request
// (`hookwire ls` with no agent running makes none).
const { existsSync, lstatSync, readdirSync, readFileSync, unlinkSync } = process.getBuiltinModule('node:fs');
const httpRequest = (options: RequestOptions, onResponse: (res: IncomingMessage) => void): ClientRequest =>
  process.getBuiltinModule('node:http').request(options, onResponse);

/** Where an agent listens: a Unix socket path, or 127.0.0.1 TCP with its token. */
export type AgentAddress = { path: string } | { host: string; port: number; token: string };

/** An agent found in the runtime directory. */
export interface AgentEntry {
  pid: number;
  /** Its Unix socket. */
  path: string;
  argv: string[];
  /** Its Node version. */
  node: string;
  uptimeMs: number;
  transport: AgentInfo['transport'];
  ppid: number;
  /** The `hookwire run` it belongs to, and the pid of that run's first process. */
  run?: string;
  runFirst?: number;
}

/**
 * Talks to one agent over its control socket. Every method resolves to the agent's JSON answer,
 * checked against the protocol (`protocol.ts`), or rejects with a HookError: the agent's error
 * code, ERR_AGENT_UNREACHABLE when no one answers, ERR_INTERNAL when the answer is not what the
 * protocol says.
 */
export class ControlClient {
  /** Where the agent listens. */
  readonly address: AgentAddress;
  /** How long a request may wait for its answer (default 5 s); event streams have no limit. */
  readonly timeoutMs: number;

  constructor(address: AgentAddress, options: { timeoutMs?: number } = {}) {
    this.address = address;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  /** `GET /v1/agent`: pid, argv, node version, uptime. */
  async info(): Promise<AgentInfo> {
    return checkAgentInfo(await this.request('GET', ROUTES.agent));
  }

  /** `GET /v1/hooks`: the registry snapshot and the attachments with their reports. */
  async list(): Promise<Listing> {
    return checkListing(await this.request('GET', ROUTES.hooks));
  }

  /** `POST /v1/attach`: attaches a catalogue exit to a hook or a probe spec. */
  async attach(body: AttachRequest): Promise<AttachAnswer> {
    return checkAttachAnswer(await this.request('POST', ROUTES.attach, body));
  }

  /** `POST /v1/arm`: an attachment, or a hook's exits (all or none, or the one named `exit`). */
  async arm(body: ArmRequest): Promise<ArmAnswer> {
    return checkArmAnswer(await this.request('POST', ROUTES.arm, body));
  }

  /** `POST /v1/disarm`: an attachment, or a hook's exits. */
  async disarm(body: ArmRequest): Promise<DisarmAnswer> {
    return checkDisarmAnswer(await this.request('POST', ROUTES.disarm, body));
  }

  /** `POST /v1/remove`: an attachment. */
  async remove(body: RemoveRequest): Promise<RemoveAnswer> {
    return checkRemoveAnswer(await this.request('POST', ROUTES.remove, body));
  }

  /**
   * Sends one request (the body, if any, as JSON) and resolves to the parsed answer, unchecked:
   * the methods above check it against the protocol.
   */
  request(method: string, path: string, body?: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = httpRequest({ ...this.#target(), method, path, headers: this.#headers(payload) }, (res) => {
        collect(res).then(
          (text) => {
            let parsed: unknown;
            try {
              parsed = text === '' ? {} : JSON.parse(text);
            } catch {
              reject(new HookError('ERR_INTERNAL', `the agent answered ${res.statusCode} with something that is not JSON`));
              return;
            }
            if ((res.statusCode ?? 500) >= 400) reject(errorFromAnswer(parsed, res.statusCode ?? 500));
            else resolve(parsed);
          },
          (error: Error) => reject(unreachable(this.address, error)),
        );
      });
      // A change the agent may have read is not "unreachable": it may still be made.
      let sent = false;
      req.on('finish', () => (sent = method !== 'GET'));
      req.setTimeout(this.timeoutMs, () => {
        if (sent) reject(noAnswer(this.address, method, path, this.timeoutMs));
        req.destroy(new Error(`no answer within ${this.timeoutMs} ms`));
      });
      req.on('error', (error) => reject(unreachable(this.address, error)));
      req.end(payload);
    });
  }

  /**
   * Opens the event stream (`GET /v1/events`) and calls `onEvent` for each trace record and stats
   * tick. `done` resolves when the stream ends (the program exited) or `close()` ends it, even
   * before it opened; it rejects when the agent cannot be reached (ERR_AGENT_UNREACHABLE) or an
   * event does not follow the protocol (which ends the stream; ERR_INTERNAL). With `lease`, the
   * stream holds that lease while open: attachments made with it go when it closes.
   */
  events(onEvent: (event: AgentEvent) => void, options: { intervalMs?: number; lease?: string } = {}): { close(): void; done: Promise<void> } {
    let req: ClientRequest | undefined;
    // Closed by its caller: whatever the request meets after that is the close, not an error.
    let closed = false;
    const done = new Promise<void>((resolve, reject) => {
      const lease = options.lease === undefined ? '' : `&lease=${encodeURIComponent(options.lease)}`;
      const path = `${ROUTES.events}?interval=${options.intervalMs ?? 1000}${lease}`;
      req = httpRequest({ ...this.#target(), method: 'GET', path, headers: this.#headers(undefined) }, (res) => {
        if ((res.statusCode ?? 500) >= 400) {
          collect(res).then((text) => {
            let parsed: unknown = {};
            try {
              parsed = JSON.parse(text);
            } catch {
              // Reported by status below.
            }
            reject(errorFromAnswer(parsed, res.statusCode ?? 500));
          }, reject);
          return;
        }
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const raw = parseEvent(block);
            if (raw === null) continue;
            let event: AgentEvent | null;
            try {
              event = checkEvent(raw.event, raw.data);
            } catch (error) {
              // Not the protocol: end the stream rather than hand on what would fail later.
              reject(error instanceof Error ? error : new Error(String(error)));
              res.destroy();
              return;
            }
            if (event !== null) onEvent(event);
          }
        });
        res.on('end', () => resolve());
        res.on('error', () => resolve());
        res.on('close', () => resolve());
      });
      req.on('error', (error) => (closed ? resolve() : reject(unreachable(this.address, error))));
      req.end();
    });
    return {
      close: () => {
        closed = true;
        req?.destroy();
      },
      done,
    };
  }

  #target(): { socketPath: string } | { host: string; port: number } {
    return 'path' in this.address ? { socketPath: this.address.path } : { host: this.address.host, port: this.address.port };
  }

  #headers(payload: string | undefined): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    if ('token' in this.address) headers['authorization'] = `Bearer ${this.address.token}`;
    return headers;
  }
}

/**
 * A client for the agent in process `pid`: its Unix socket in the runtime directory, or the TCP
 * address it left there. The directory must be private (ERR_INSECURE_DIR otherwise); no agent
 * there is ERR_AGENT_UNREACHABLE.
 */
export function connectAgent(pid: number, options: { dir?: string; timeoutMs?: number } = {}): ControlClient {
  if (!Number.isInteger(pid) || pid <= 0) throw new HookError('ERR_INVALID_ARG', `a process id must be a positive integer, got ${String(pid)}`);
  const dir = options.dir ?? runtimeDir();
  if (!existsSync(dir)) throw new HookError('ERR_AGENT_UNREACHABLE', `no agent runs for this user (no ${dir})`);
  checkRuntimeDir(dir);
  const path = socketPath(pid, dir);
  if (existsSync(path)) return new ControlClient({ path }, options);
  const tcp = tcpInfoPath(pid, dir);
  if (existsSync(tcp)) {
    const info = JSON.parse(readFileSync(tcp, 'utf8')) as { host: string; port: number; token: string };
    return new ControlClient({ host: info.host, port: info.port, token: info.token }, options);
  }
  throw new HookError(
    'ERR_AGENT_UNREACHABLE',
    `no agent runs in process ${pid} (no ${path}; was it started with hookwire run or --import hookwire/agent?)`,
  );
}

/**
 * The agents of this user: every `<pid>.sock` in the runtime directory that answers. Sockets left
 * by processes that are gone are removed; ones that do not answer are skipped.
 */
export async function listAgents(options: { dir?: string; timeoutMs?: number } = {}): Promise<AgentEntry[]> {
  const dir = options.dir ?? runtimeDir();
  if (!existsSync(dir)) return [];
  checkRuntimeDir(dir);
  const pids = readdirSync(dir)
    .map((name) => /^(\d+)\.sock$/u.exec(name)?.[1])
    .filter((pid): pid is string => pid !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const found = await Promise.all(
    pids.map(async (pid): Promise<AgentEntry | null> => {
      const path = socketPath(pid, dir);
      if (!alive(pid)) {
        removeStale(path);
        return null;
      }
      try {
        const info = await new ControlClient({ path }, { timeoutMs: options.timeoutMs ?? 1_000 }).info();
        return {
          pid,
          path,
          argv: info.argv,
          node: info.node,
          uptimeMs: info.uptimeMs,
          transport: info.transport,
          ppid: info.ppid,
          ...(info.run !== undefined && { run: info.run }),
          ...(info.runFirst !== undefined && { runFirst: info.runFirst }),
        };
      } catch {
        return null;
      }
    }),
  );
  return found.filter((a): a is AgentEntry => a !== null);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeStale(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // Gone already, or not ours to remove.
  }
}

function collect(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

function parseEvent(block: string): { event: string; data: unknown } | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  if (data.length === 0) return null;
  try {
    return { event, data: JSON.parse(data.join('\n')) };
  } catch {
    return { event, data: data.join('\n') };
  }
}

function noAnswer(address: AgentAddress, method: string, path: string, timeoutMs: number): HookError {
  const where = 'path' in address ? address.path : `${address.host}:${address.port}`;
  return new HookError(
    'ERR_NO_ANSWER',
    `no answer to ${method} ${path} from the agent at ${where} within ${timeoutMs} ms: the program may still make the change ` +
      'when it gets to it (a stopped or busy program); list its attachments before trying again',
  );
}

function unreachable(address: AgentAddress, error: Error): HookError {
  const where = 'path' in address ? address.path : `${address.host}:${address.port}`;
  return new HookError('ERR_AGENT_UNREACHABLE', `no agent answers at ${where}: ${error.message}`, { cause: error });
}
