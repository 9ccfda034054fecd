/**
 * Who may talk to `hookwire ui`: the checks every request passes before anything else runs.
 *
 * - Host must be this server's own loopback address and port (a rebound DNS name is refused), by
 *   the rule of `control/loopback-host.ts`, which `run --metrics` shares.
 * - Origin, when sent (always on POST), must be this server's origin; Sec-Fetch-Site must say
 *   same-origin or none (a typed or opened URL): no other site can make the browser act here.
 * - The printed URL's token is good for one exchange: the first load trades it for a session
 *   cookie (HttpOnly, SameSite=Strict, named for the port: cookies do not separate ports). Every
 *   later request, the event stream included, carries that cookie.
 * - On Linux, a connection from a socket that another user owns, or whose owner cannot be found,
 *   is refused before it is read (`/proc/net/tcp` names the owner of the client's end).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6, type Socket } from 'node:net';
import { endianness } from 'node:os';
import type { IncomingMessage } from 'node:http';
import { isOwnHost, ownHosts } from '../control/loopback-host.ts';
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
    this.#hosts = ownHosts('127.0.0.1', port);
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
    if (!isOwnHost(this.#hosts, host)) {
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
 * The uid owning the client end of a loopback TCP connection, read from the kernel's table of TCP
 * sockets (`/proc/net/tcp`, or `tcp6` for an IPv6 connection: `procNet` is the folder). The client
 * end is found by its own address and port and the server's, whatever loopback address the client
 * bound (all of 127.0.0.0/8, `::1`, IPv4-mapped). `null`: the table was read and holds no such
 * socket, so the owner is unknown (the caller refuses); `undefined`: there is no table to read
 * (not Linux), so there is nothing to check with.
 */
export function peerUid(socket: Socket, procNet = '/proc/net'): number | null | undefined {
  const { remoteAddress, remotePort, localAddress, localPort } = socket;
  if (remoteAddress === undefined || remotePort === undefined || localAddress === undefined || localPort === undefined) return null;
  let text: string;
  try {
    text = readFileSync(`${procNet}/${isIPv6(remoteAddress) ? 'tcp6' : 'tcp'}`, 'utf8');
  } catch {
    return undefined;
  }
  return uidOfEnd(text, { address: remoteAddress, port: remotePort }, { address: localAddress, port: localPort }) ?? null;
}

/** One end of a TCP connection, as Node names it (`127.0.0.2`, `::1`, `::ffff:127.0.0.1`). */
export interface End {
  readonly address: string;
  readonly port: number;
}

/**
 * In a `/proc/net/tcp` or `tcp6` table, the uid of the socket whose local end is `client` and whose
 * remote end is `server`; undefined when there is none (or an address cannot be read).
 */
export function uidOfEnd(table: string, client: End, server: End, littleEndian = endianness() === 'LE'): number | undefined {
  const local = procEnd(client, littleEndian);
  const remote = procEnd(server, littleEndian);
  if (local === undefined || remote === undefined) return undefined;
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/u);
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid ...
    if (f[1]?.toUpperCase() === local && f[2]?.toUpperCase() === remote && f[7] !== undefined) return Number(f[7]);
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

/**
 * An end as the kernel prints it: the address as 32-bit words, each in the machine's byte order
 * (`%08X`), then `:` and the port in 4 hex digits. IPv4 takes one word, IPv6 four.
 */
function procEnd(end: End, littleEndian: boolean): string | undefined {
  const bytes = isIPv4(end.address) ? end.address.split('.').map(Number) : ipv6Bytes(end.address);
  if (bytes === undefined) return undefined;
  let hex = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const word = bytes.slice(i, i + 4);
    for (const b of littleEndian ? word.reverse() : word) hex += b.toString(16).toUpperCase().padStart(2, '0');
  }
  return `${hex}:${end.port.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The 16 bytes of an IPv6 address (`::1`, `::ffff:127.0.0.1`, a full form), or undefined. */
function ipv6Bytes(address: string): number[] | undefined {
  if (!isIPv6(address)) return undefined;
  let text = address.replace(/%.*$/u, '');
  // An IPv4 tail (`::ffff:127.0.0.1`) becomes two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/u.exec(text);
  if (v4 !== null) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}
