/**
 * Who may talk to `hookwire ui`: the checks every request passes before anything else runs.
 *
 * - Host must be this server's own loopback address and port (a rebound DNS name is refused).
 * - Origin, when sent (always on POST), must be this server's origin; Sec-Fetch-Site must say
 *   same-origin or none (a typed or opened URL): no other site can make the browser act here.
 * - The printed URL's token is good for one exchange: the first load trades it for a session
 *   cookie (HttpOnly, SameSite=Strict, named for the port: cookies do not separate ports). Every
 *   later request, the event stream included, carries that cookie.
 * - On Linux, a connection from a socket that another user owns is closed before it is read
 *   (`/proc/net/tcp` names the owner of the client's end).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { HookError } from '../core/index.ts';

/** Most sessions kept at a time: a token is exchanged once, so more would mean something is wrong. */
const MAX_SESSIONS = 16;

/** The outcome of a request's checks: its session, or a refusal to answer with. */
export type GuardResult = { ok: true } | { ok: false; error: HookError };

/** Checks of one `hookwire ui` server, bound to its port. */
export class UiGuard {
  /** The one-time token of the printed URL; null once exchanged. */
  #token: string | null = secret();
  readonly #sessions = new Set<string>();
  readonly #hosts: ReadonlySet<string>;
  readonly #origins: ReadonlySet<string>;
  readonly cookieName: string;

  constructor(port: number) {
    this.#hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    this.#origins = new Set([...this.#hosts].map((h) => `http://${h}`));
    this.cookieName = `hookwire_ui_${port}`;
  }

  /** The token to print in the URL (before it is exchanged). */
  get token(): string {
    return this.#token ?? '';
  }

  /** Host, Origin and Sec-Fetch-Site: where the request comes from and which name it used. */
  checkSource(req: IncomingMessage): GuardResult {
    const host = req.headers.host;
    if (host === undefined || !this.#hosts.has(host.toLowerCase())) {
      return refuse('ERR_HOST_REFUSED', `Host ${JSON.stringify(host ?? '')} is not this server (use the printed 127.0.0.1 URL)`);
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.#origins.has(origin.toLowerCase())) {
      return refuse('ERR_ORIGIN_REFUSED', `requests from ${JSON.stringify(origin)} are refused: only the page itself may call`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && origin === undefined) {
      return refuse('ERR_ORIGIN_REFUSED', `${req.method ?? '?'} needs an Origin header: only the page itself may change things`);
    }
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return refuse('ERR_ORIGIN_REFUSED', `a ${site} request is refused: only the page itself may call`);
    }
    return { ok: true };
  }

  /** Whether the request carries a live session cookie. */
  checkSession(req: IncomingMessage): GuardResult {
    const sid = cookie(req.headers.cookie, this.cookieName);
    if (sid !== undefined && [...this.#sessions].some((s) => same(s, sid))) return { ok: true };
    return refuse('ERR_UNAUTHORIZED', 'no session: open the URL hookwire ui printed (its token works once)');
  }

  /**
   * Trades the URL's one-time token for a new session; returns the Set-Cookie value, or a refusal
   * (a wrong token, or one already used).
   */
  exchange(token: string): { ok: true; setCookie: string } | { ok: false; error: HookError } {
    if (this.#token === null || !same(this.#token, token)) {
      return refuse('ERR_UNAUTHORIZED', 'wrong or used token: a token works once (restart hookwire ui for a new URL)');
    }
    if (this.#sessions.size >= MAX_SESSIONS) return refuse('ERR_LIMIT', `at most ${MAX_SESSIONS} sessions`);
    this.#token = null;
    const sid = secret();
    this.#sessions.add(sid);
    return { ok: true, setCookie: `${this.cookieName}=${sid}; HttpOnly; SameSite=Strict; Path=/` };
  }
}

/**
 * The uid owning the client end of a loopback TCP connection, from `/proc/net/tcp` (Linux), or
 * undefined where that cannot be read.
 */
export function peerUid(socket: Socket, procNetTcp = '/proc/net/tcp'): number | undefined {
  let text: string;
  try {
    text = readFileSync(procNetTcp, 'utf8');
  } catch {
    return undefined;
  }
  if (socket.remotePort === undefined || socket.localPort === undefined) return undefined;
  return uidOfEnd(text, socket.remotePort, socket.localPort);
}

/**
 * In a `/proc/net/tcp` table, the uid of the socket whose local end is 127.0.0.1:`clientPort` and
 * whose remote end is 127.0.0.1:`serverPort`.
 */
export function uidOfEnd(table: string, clientPort: number, serverPort: number): number | undefined {
  const local = `0100007F:${hex4(clientPort)}`;
  const remote = `0100007F:${hex4(serverPort)}`;
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/u);
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid ...
    if (f[1] === local && f[2] === remote && f[7] !== undefined) return Number(f[7]);
  }
  return undefined;
}

/** The error a refusal carries, with the stable code the page and tests read. */
function refuse(code: string, message: string): { ok: false; error: HookError } {
  return { ok: false, error: new HookError(code, message) };
}

function secret(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time string comparison. */
function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function hex4(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, '0');
}
