/**
 * The HTTP server of `hookwire ui`: on 127.0.0.1 only, it serves the page (built into dist/ui/ by
 * `npm run build`) and passes the page's requests on to the programs' control sockets. It knows
 * only the control protocol's operations (list, events, attach, arm, disarm, remove), checks each
 * body with the same functions as the agent and the CLI before passing it on, and never runs or
 * forwards anything else. Who may call is `ui-guard.ts`'s business.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HookError } from '../core/index.ts';
import { readJsonBody } from '../control/body.ts';
import type { ControlClient } from '../control/client.ts';
import { errorBody, httpStatus } from '../control/errors.ts';
import { answerClientError, endRaw } from '../control/raw-answer.ts';
import { requestUrl } from '../control/request-target.ts';
import { validateArmRequest, validateAttachRequest, validateRemoveRequest } from '../control/requests.ts';
import { EXIT_TYPES, NAMED_EXIT_TYPES } from '../exits/exit-types.ts';
import { UsageError } from './args.ts';
import { checkTarget } from './site-args.ts';
import type { AgentSet } from './ui-agents.ts';
import { peerUid, UiGuard } from './ui-guard.ts';
import { PageStream } from './ui-stream.ts';
import { ownFile } from '../probe/own-files.ts';

/** Largest request body (the agent's own limit). */
const BODY_LIMIT = 64 * 1024;
/** Most pages with an open event stream. */
const MAX_PAGES = 8;
/** Most open connections; more are answered 429 ERR_LIMIT. */
const MAX_CONNECTIONS = 64;

/** Where the built page is: dist/ui/ beside dist/cli/. */
export const ASSETS_DIR = ownFile('ui/');

/** A running `hookwire ui` server. */
export interface UiServer {
  readonly port: number;
  /** The URL to open, with its one-time token. */
  readonly url: string;
  close(): Promise<void>;
}

/** Statuses of the codes this server adds to the control protocol's. */
const STATUS: Record<string, number> = {
  ERR_UNAUTHORIZED: 401,
  ERR_HOST_REFUSED: 403,
  ERR_ORIGIN_REFUSED: 403,
  ERR_AGENT_UNREACHABLE: 502,
  ERR_NO_ANSWER: 504,
};

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hookwire ui</title>
<link rel="stylesheet" href="/assets/page.css">
<script type="module" src="/assets/page.js"></script>
</head>
<body><div id="app"></div></body>
</html>
`;

/**
 * Starts the server on 127.0.0.1:`port` (0: a free one). The page's files must be built
 * (ERR_NOT_FOUND otherwise, naming `npm run build`).
 */
export async function startUiServer(agents: AgentSet, options: { port?: number; assetsDir?: URL } = {}): Promise<UiServer> {
  const assets = loadAssets(options.assetsDir ?? ASSETS_DIR);
  const stream = new PageStream(agents);
  let guard: UiGuard | undefined;
  const server: Server = createServer(
    {
      maxHeaderSize: 16 * 1024,
      requestTimeout: 10_000,
      headersTimeout: 5_000,
      keepAliveTimeout: 5_000,
      // Node checks the two timeouts above only this often (30 s unless set): 1 s keeps them.
      connectionsCheckingInterval: 1_000,
    },
    (req, res) => {
      if (guard === undefined || refused.has(req.socket)) {
        res.destroy();
        return;
      }
      void handle(req, res, { guard, agents, stream, assets });
    },
  );
  // Node's own refusals (slow, oversize or malformed requests) are JSON with a code too.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket));
  // A connection from another user, or from a socket whose owner cannot be found, is refused
  // before a byte of it is read: one JSON line written, and no request on it is ever answered.
  const me = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const refused = new WeakSet<Socket>();
  // Over MAX_CONNECTIONS, a connection is answered 429 ERR_LIMIT (net's maxConnections would
  // close it without a word).
  let open = 0;
  server.on('connection', (socket: Socket) => {
    const uid = me === undefined ? undefined : peerUid(socket);
    if (uid === undefined || uid === me) {
      if (open >= MAX_CONNECTIONS) {
        refused.add(socket);
        endRaw(socket, 429, new HookError('ERR_LIMIT', `at most ${MAX_CONNECTIONS} connections at a time: close one and try again`));
        return;
      }
      open++;
      socket.once('close', () => open--);
      return;
    }
    refused.add(socket);
    endRaw(
      socket,
      403,
      new HookError(
        'ERR_PEER_REFUSED',
        uid === null
          ? 'the owner of this connection cannot be found in /proc/net: refused (hookwire ui serves only its own user)'
          : `this connection belongs to uid ${uid}: hookwire ui serves only its own user (uid ${me})`,
      ),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new HookError('ERR_INVALID_ARG', `port ${options.port ?? 0} on 127.0.0.1 is in use: give another with --port, or none for a free one`)
          : error,
      ),
    );
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  guard = new UiGuard(port);
  const url = `http://127.0.0.1:${port}/?token=${guard.token}`;
  return {
    port,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        stream.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Context {
  readonly guard: UiGuard;
  readonly agents: AgentSet;
  readonly stream: PageStream;
  readonly assets: Assets;
}

interface Assets {
  readonly 'page.js': Buffer;
  readonly 'page.css': Buffer;
}

const ASSET_TYPES = { 'page.js': 'text/javascript; charset=utf-8', 'page.css': 'text/css; charset=utf-8' } as const;

const OPERATIONS = ['attach', 'arm', 'disarm', 'remove'] as const;
type Operation = (typeof OPERATIONS)[number];

/** Answers one request; never throws (failures are JSON errors with a stable code). */
async function handle(req: IncomingMessage, res: ServerResponse, ctx: Context): Promise<void> {
  setCommonHeaders(res);
  try {
    const source = ctx.guard.checkSource(req);
    if (!source.ok) throw source.error;
    const url = requestUrl(req.url);
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? '');

    if (url.pathname === '/') {
      allow(method, ['GET']);
      const token = url.searchParams.get('token');
      if (token !== null) {
        const exchanged = ctx.guard.exchange(token);
        if (!exchanged.ok) throw exchanged.error;
        // The token leaves the address bar and the history: the page lives at / with its cookie.
        res.writeHead(303, { 'set-cookie': exchanged.setCookie, location: '/' }).end();
        return;
      }
      authorized(req, ctx);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP }).end(PAGE);
      return;
    }

    authorized(req, ctx);
    const asset = /^\/assets\/(page\.js|page\.css)$/u.exec(url.pathname)?.[1] as keyof Assets | undefined;
    if (asset !== undefined) {
      allow(method, ['GET']);
      res.writeHead(200, { 'content-type': ASSET_TYPES[asset] }).end(ctx.assets[asset]);
      return;
    }
    if (url.pathname === '/api/agents') {
      allow(method, ['GET']);
      return json(res, 200, { agents: ctx.agents.list().map(({ client: _c, ...a }) => a) });
    }
    if (url.pathname === '/api/catalogue') {
      allow(method, ['GET']);
      return json(res, 200, { exitTypes: EXIT_TYPES, namedExitTypes: NAMED_EXIT_TYPES });
    }
    if (url.pathname === '/api/events') {
      allow(method, ['GET']);
      // HEAD learns that the stream is there, without opening one.
      if (req.method === 'HEAD') return json(res, 200, {});
      if (ctx.stream.pages >= MAX_PAGES) throw new HookError('ERR_LIMIT', `at most ${MAX_PAGES} pages at a time`);
      req.socket.setTimeout(0);
      ctx.stream.add(res);
      return;
    }
    const agentRoute = /^\/api\/agents\/(\d{1,10})\/([a-z]+)$/u.exec(url.pathname);
    if (agentRoute !== null) {
      const agent = ctx.agents.get(Number(agentRoute[1]));
      const action = agentRoute[2] ?? '';
      if (action === 'hooks') {
        allow(method, ['GET']);
        return json(res, 200, await agent.client.list());
      }
      if ((OPERATIONS as readonly string[]).includes(action)) {
        allow(method, ['POST']);
        if (!/^application\/json\b/iu.test(req.headers['content-type'] ?? '')) {
          throw new HookError('ERR_INVALID_ARG', 'a request body must be sent as application/json');
        }
        return json(res, action === 'attach' ? 201 : 200, await operate(agent.client, action as Operation, await readJsonBody(req, BODY_LIMIT)));
      }
    }
    throw new HookError('ERR_NOT_FOUND', `no endpoint ${url.pathname}`);
  } catch (error) {
    const body = errorBody(error);
    if (body.error.code !== 'ERR_BODY_TOO_LARGE') req.resume();
    const status = (error as { status?: unknown }).status;
    json(
      res,
      typeof status === 'number' ? status : (STATUS[body.error.code] ?? httpStatus(body.error.code)),
      body,
      body.error.code === 'ERR_BODY_TOO_LARGE',
    );
  }
}

/** One control operation: the body checked as the agent and the CLI check it, then sent on. */
async function operate(client: ControlClient, action: Operation, body: unknown): Promise<unknown> {
  switch (action) {
    case 'attach': {
      const request = validateAttachRequest(body);
      try {
        checkTarget(request.target, `target ${JSON.stringify(request.target)}`);
      } catch (error) {
        if (error instanceof UsageError) throw new HookError('ERR_INVALID_ARG', error.message);
        throw error;
      }
      return client.attach(request);
    }
    case 'arm':
      return client.arm(validateArmRequest(body));
    case 'disarm':
      return client.disarm(validateArmRequest(body));
    case 'remove':
      return client.remove(validateRemoveRequest(body));
  }
}

function authorized(req: IncomingMessage, ctx: Context): void {
  const session = ctx.guard.checkSession(req);
  if (!session.ok) throw session.error;
}

function allow(method: string, methods: string[]): void {
  if (!methods.includes(method)) {
    throw Object.assign(new HookError('ERR_METHOD_NOT_ALLOWED', `${method} is not allowed here (${methods.join(', ')})`), { status: 405 });
  }
}

function setCommonHeaders(res: ServerResponse): void {
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
}

function json(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = `${JSON.stringify(body)}\n`;
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  if (close) res.setHeader('connection', 'close');
  res.end(text);
}

function loadAssets(dir: URL): Assets {
  try {
    return { 'page.js': readFileSync(new URL('page.js', dir)), 'page.css': readFileSync(new URL('page.css', dir)) };
  } catch (error) {
    throw new HookError('ERR_NOT_FOUND', `the page is not built (${(error as Error).message}): run npm run build`);
  }
}
