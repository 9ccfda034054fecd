import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
// The error class alone (its own door of the core): starting the server loads no other core module,
// the registry is loaded with the routes at the first request (issue 8).
import { HookError } from '../core/errors.ts';
import type { Registry } from '../core/index.ts';
import type { Attachments } from './attachments.ts';
import { BODY_LIMIT } from './body.ts';
import type { Catalogue } from './catalogue.ts';
import { errorBody } from './errors.ts';
import { EventHub } from './events.ts';
import type { AgentInfo } from './protocol.ts';
import { answerClientError, endRaw } from './raw-answer.ts';
import type * as Routes from './routes.ts';
import type { RouteContext } from './routes.ts';
import { ensureRuntimeDir, socketPath, tcpInfoPath } from './runtime-dir.ts';
import { OwnIncomingMessage, OwnServerResponse, ownEmitter } from './own-emitter.ts';
import { builtin } from '../probe/host.ts';

// Built-ins through process.getBuiltinModule, not `import`: an ES import of node:http builds its
// ES module facade, which reads every export, lazy ones too (on Node 24 that loads undici: ~35 ms
// of start-up for nothing; issue 8).
// The file functions are the originals (probe/host.ts), as the agent may start the server after
// the program put probes on them (agent.ts).
const { chmodSync, lstatSync, renameSync, unlinkSync, writeFileSync } = builtin('node:fs') ?? process.getBuiltinModule('node:fs');
const { createServer } = process.getBuiltinModule('node:http');
const { connect } = process.getBuiltinModule('node:net');

/** How to start a control server. */
export interface ControlServerOptions {
  /** The exits clients may choose from; `hookwire/exits` unless given. */
  catalogue?: Catalogue;
  /** The registry to control; the default registry unless given. */
  registry?: Registry;
  /** The runtime directory; checked (0700, ours) and created if missing. */
  dir?: string;
  /** Unix socket path; default `<dir>/<pid>.sock`. Set `false` for no Unix socket. */
  path?: string | false;
  /** Also listen on TCP, on 127.0.0.1 only, with a bearer token (random unless given). */
  tcp?: { port?: number; token?: string } | false;
  /** Largest request body, in bytes (default 64 KiB). */
  bodyLimit?: number;
  /** Time for a client to send its request headers (default 5 s). */
  headersTimeoutMs?: number;
  /** Time for a client to send a whole request (default 10 s). */
  requestTimeoutMs?: number;
  /** An idle connection is closed after this (default 30 s; event streams excepted). */
  idleTimeoutMs?: number;
  /** Most simultaneous event streams (default 16). */
  maxSubscribers?: number;
  /** Let the process exit while the server listens (default true: it never keeps a program alive). */
  unref?: boolean;
  /** Extra facts for `GET /v1/agent`. */
  info?: () => Record<string, unknown>;
}

/**
 * What the agent made before its server and shares with it (its environment's attachments, its
 * trace stream). The attachments may be a loader, called at the first request: an agent started
 * with nothing to attach loads the catalogue of exits only when a client comes.
 */
export interface AgentParts {
  readonly attachments: Attachments | (() => Promise<Attachments>);
  readonly hub: EventHub;
}

/** What answering requests needs, loaded at the first one (routes.ts, and the exits behind it). */
interface Answering {
  readonly routes: typeof Routes;
  readonly ctx: RouteContext;
}

/** A running control server. */
export interface ControlServer {
  /** The Unix socket path, if listening on one. */
  readonly path: string | undefined;
  /** The TCP port on 127.0.0.1, if listening on one. */
  readonly port: number | undefined;
  /** The bearer token TCP clients must send. */
  readonly token: string | undefined;
  /** Stops listening, ends event streams and removes the socket file. */
  close(): Promise<void>;
}

const startedAt = Date.now();

/**
 * Starts the control endpoint: HTTP/1.1 + JSON on a Unix socket (mode 0600, in a 0700 runtime
 * directory) and, only when asked, on 127.0.0.1 TCP with a random bearer token. Slow, oversize
 * and malformed requests get a JSON error; nothing a client sends can reach the program.
 */
export function startControlServer(options: ControlServerOptions = {}): Promise<ControlServer> {
  return serveControl(options);
}

/** {@link startControlServer}, acting on the agent's own attachments and event hub when given. */
export async function serveControl(options: ControlServerOptions, parts?: AgentParts): Promise<ControlServer> {
  const hub = parts?.hub ?? new EventHub();
  const extra = options.info ?? (() => ({}));
  let transport: AgentInfo['transport'] = 'unix';
  // The routes, the attachments and the catalogue of exits behind them are loaded at the first
  // request, not at start: a program nobody connects to never loads them.
  let answering: Promise<Answering> | undefined;
  const answer = (): Promise<Answering> =>
    (answering ??= (async () => {
      const [routes, { Leases }, { PROTOCOL }, attachments] = await Promise.all([
        import('./routes.ts'),
        import('./leases.ts'),
        import('./protocol.ts'),
        attachmentsOf(options.registry, options.catalogue, parts, hub),
      ]);
      const ctx: RouteContext = {
        attachments,
        hub,
        leases: new Leases((name) => attachments.removeEverywhere({ name })),
        bodyLimit: options.bodyLimit ?? BODY_LIMIT,
        maxSubscribers: options.maxSubscribers ?? 16,
        info: () => ({
          pid: process.pid,
          ppid: process.ppid,
          argv: process.argv,
          cwd: safeCwd(),
          node: process.version,
          startedAt,
          uptimeMs: Date.now() - startedAt,
          transport,
          protocol: PROTOCOL,
          ...extra(),
        }),
      };
      return { routes, ctx };
    })().catch((error: unknown) => {
      // A failed load is not kept: the next request tries again.
      answering = undefined;
      throw error;
    }));
  const servers: Server[] = [];
  let path: string | undefined;
  let port: number | undefined;
  let token: string | undefined;
  let tcpFile: string | undefined;

  if (options.path !== false) {
    const dir = ensureRuntimeDir(options.dir);
    path = options.path ?? socketPath(process.pid, dir);
    // Only a file left at the path makes this wait: without one, the server is made and listens
    // in the caller's synchronous run (the agent runs it as hookwire's own code: agent.ts).
    if (lstatOrUndefined(path) !== undefined) await removeStaleSocket(path);
    const server = makeServer(options, answer, null);
    // Bound under another name and renamed once it listens: binding makes the file before
    // listening starts, and a client that saw the file then (ls, a test waiting for it) was
    // refused. Clients look only for `*.sock`; a leftover `.sock.new` of a dead process with
    // this pid is replaced.
    const bound = `${path}.new`;
    removeQuietly(bound);
    await listen(server, { path: bound });
    chmodSync(bound, 0o600);
    renameSync(bound, path);
    servers.push(server);
  }
  if (options.tcp) {
    const { randomBytes, timingSafeEqual } = await import('node:crypto');
    token = options.tcp.token ?? randomBytes(24).toString('base64url');
    if (token.length < 16) throw new HookError('ERR_INVALID_ARG', 'a TCP token must be at least 16 characters');
    const server = makeServer(options, answer, { token, timingSafeEqual });
    await listen(server, { host: '127.0.0.1', port: options.tcp.port ?? 0 });
    const address = server.address();
    port = typeof address === 'object' && address !== null ? address.port : undefined;
    servers.push(server);
    transport = path === undefined ? 'tcp' : 'unix+tcp';
    if (options.path !== false) {
      tcpFile = tcpInfoPath(process.pid, ensureRuntimeDir(options.dir));
      writeFileSync(tcpFile, JSON.stringify({ pid: process.pid, host: '127.0.0.1', port, token }), { mode: 0o600 });
    }
  }
  let closed: Promise<void> | undefined;
  return {
    path,
    port,
    token,
    close() {
      closed ??= (async () => {
        hub.close();
        await Promise.all(
          servers.map(
            (s) =>
              new Promise<void>((resolve) => {
                s.close(() => resolve());
                s.closeAllConnections();
              }),
          ),
        );
        for (const file of [path, tcpFile]) if (file !== undefined) removeQuietly(file);
      })();
      return closed;
    },
  };
}

/** Removes the socket file synchronously (for `process.on('exit')`, where nothing async runs). */
export function removeSocketFiles(server: ControlServer): void {
  if (server.path !== undefined) removeQuietly(server.path);
  removeQuietly(tcpInfoPath(process.pid, server.path === undefined ? undefined : dirOf(server.path)));
}

/** The attachments the routes act on: the agent's (loaded now if it passed a loader), else new ones. */
async function attachmentsOf(
  given: Registry | undefined,
  catalogue: Catalogue | undefined,
  parts: AgentParts | undefined,
  hub: EventHub,
): Promise<Attachments> {
  const own = parts?.attachments;
  if (typeof own === 'function') return own();
  if (own !== undefined) return own;
  const [{ Attachments }, { exitCatalogue }, core] = await Promise.all([import('./attachments.ts'), import('./catalogue.ts'), import('../core/index.ts')]);
  const reg = given ?? core.registry;
  return new Attachments(reg, catalogue ?? exitCatalogue(reg), (r) => hub.trace(r));
}

/** A TCP listener's bearer token, and the constant-time comparison it is checked with. */
interface TokenCheck {
  readonly token: string;
  readonly timingSafeEqual: (a: Uint8Array, b: Uint8Array) => boolean;
}

function makeServer(options: ControlServerOptions, answer: () => Promise<Answering>, auth: TokenCheck | null): Server {
  const server = createServer(
    {
      headersTimeout: options.headersTimeoutMs ?? 5_000,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: Math.min(1_000, options.headersTimeoutMs ?? 1_000),
      maxHeaderSize: 16 * 1024,
      // Checked below instead, so that the answer is JSON like every other.
      requireHostHeader: false,
      // Requests and responses emit as hookwire from the start (own-emitter.ts).
      IncomingMessage: OwnIncomingMessage,
      ServerResponse: OwnServerResponse,
    },
    (req: IncomingMessage, res: ServerResponse) => {
      answer().then(
        ({ routes, ctx }) => {
          if (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1 && req.headers.host === undefined) {
            routes.send(res, 400, errorBody(new HookError('ERR_INVALID_ARG', 'an HTTP/1.1 request needs a Host header (any name will do)')), true);
            req.resume();
            return;
          }
          if (auth !== null && !authorized(req, auth)) {
            res.setHeader('www-authenticate', 'Bearer');
            routes.send(res, 401, errorBody(new HookError('ERR_UNAUTHORIZED', 'this agent needs "Authorization: Bearer <token>"')), true);
            req.resume();
            return;
          }
          void routes.handle(req, res, ctx);
        },
        (error: unknown) => {
          // hookwire's own modules could not be loaded: the client hears why, the program nothing.
          const body = JSON.stringify(errorBody(new HookError('ERR_INTERNAL', `the agent cannot answer: ${(error as Error).message}`)));
          req.resume();
          res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', connection: 'close' }).end(`${body}\n`);
        },
      );
    },
  );
  // The server, its sockets, requests and responses emit as hookwire: never seen by the program's probes.
  ownEmitter(server);
  server.maxConnections = 64;
  server.setTimeout(options.idleTimeoutMs ?? 30_000, (socket: Socket) => socket.destroy());
  server.on('connection', (socket: Socket) => {
    // A connected client (say, `hookwire top`) must not keep the program alive either.
    if (options.unref !== false) socket.unref();
    socket.on('error', () => {});
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket));
  // CONNECT (a tunnel) is not something an agent offers; without this, Node drops the connection unanswered.
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    endRaw(socket, 405, new HookError('ERR_METHOD_NOT_ALLOWED', `${req.method ?? 'CONNECT'} is not allowed (no tunnels)`));
  });
  server.on('error', () => {});
  if (options.unref !== false) server.unref();
  return server;
}

function authorized(req: IncomingMessage, { token, timingSafeEqual }: TokenCheck): boolean {
  // The auth scheme is case-insensitive (RFC 9110 11.1): "bearer", "BEARER" and "Bearer" alike.
  const match = /^bearer[ \t]+(\S+)[ \t]*$/iu.exec(req.headers.authorization ?? '');
  if (match === null) return false;
  const given = Buffer.from(match[1]!);
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function listen(server: Server, where: { path: string } | { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(new HookError('ERR_INTERNAL', `the control server cannot listen: ${error.message}`));
    server.once('error', onError);
    server.listen(where, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * A leftover socket (of a dead process that had our pid) is removed; a socket that still accepts
 * connections belongs to a live server and is never taken over (ERR_SOCKET_IN_USE); anything
 * else at the path is refused.
 */
async function removeStaleSocket(path: string): Promise<void> {
  const stat = lstatOrUndefined(path);
  if (stat === undefined) return;
  if (!stat.isSocket()) throw new HookError('ERR_INSECURE_DIR', `${path} exists and is not a socket: refusing to replace it`);
  if (await socketAnswers(path)) {
    throw new HookError('ERR_SOCKET_IN_USE', `${path} is a live socket (another server listens on it): refusing to take it over`);
  }
  unlinkSync(path);
}

/** Whether something accepts connections on the Unix socket at `path`; only a refusal means dead. */
function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = (live: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(live);
    };
    // A listener too busy to accept within a second is still alive: keep its socket.
    const timer = setTimeout(() => done(true), 1_000);
    socket.once('connect', () => done(true));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code !== 'ECONNREFUSED' && error.code !== 'ENOENT'));
  });
}

function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function safeCwd(): string {
  try {
    return process.cwd();
  } catch {
    return '';
  }
}
