import type { IncomingMessage, ServerResponse } from 'node:http';
import { HookError } from '../core/index.ts';
import type { Attachments } from './attachments.ts';
import { readJsonBody } from './body.ts';
import { errorBody, httpStatus } from './errors.ts';
import type { EventHub } from './events.ts';
import type { Leases } from './leases.ts';
import { answerMetrics, METRICS_PATH } from './metrics.ts';
import {
  ROUTES,
  type AgentInfo,
  type ArmAnswer,
  type AttachAnswer,
  type DisarmAnswer,
  type Listing,
  type RemoveAnswer,
  type StatsTick,
} from './protocol.ts';
import { requestUrl } from './request-target.ts';
import { validateArmRequest, validateAttachRequest, validateEventsInterval, validateEventsLease, validateRemoveRequest } from './requests.ts';

/** What the routes act on. */
export interface RouteContext {
  readonly attachments: Attachments;
  readonly hub: EventHub;
  /** Attachments tied to their client's event stream. */
  readonly leases: Leases;
  readonly bodyLimit: number;
  readonly maxSubscribers: number;
  /** Facts about the process, for `GET /v1/agent`. */
  info(): AgentInfo;
}

const STREAMING = Symbol('streaming');

type Handler = (req: IncomingMessage, res: ServerResponse, ctx: RouteContext, url: URL) => unknown;

/**
 * The endpoints, by path and method (the shapes are `protocol.ts`'s). Every one answers JSON (the
 * event stream excepted); no endpoint runs code sent by the client: exits are chosen from the
 * catalogue by a JSON spec.
 */
const routes: Record<string, Partial<Record<'GET' | 'POST', Handler>>> = {
  [ROUTES.agent]: { GET: (_req, _res, ctx): AgentInfo => ctx.info() },
  [ROUTES.hooks]: { GET: (_req, _res, ctx): Promise<Listing> => listing(ctx) },
  [ROUTES.attach]: {
    POST: async (req, res, ctx): Promise<AttachAnswer> => {
      const request = validateAttachRequest(await readJsonBody(req, ctx.bodyLimit));
      const { lease } = request;
      if (lease !== undefined && !ctx.leases.holds(lease)) {
        throw new HookError('ERR_INVALID_ARG', `no open event stream holds lease "${lease}" (open GET /v1/events?lease=${lease} first)`);
      }
      const attached = await ctx.attachments.attachEverywhere(request);
      // The stream closed while attaching: the attachment goes with its lease, now.
      if (lease !== undefined && !ctx.leases.add(lease, attached.name)) {
        await ctx.attachments.removeEverywhere({ name: attached.name });
        throw new HookError('ERR_INVALID_ARG', `the event stream holding lease "${lease}" closed while attaching: nothing attached`);
      }
      res.statusCode = 201;
      return { attached };
    },
  },
  [ROUTES.arm]: {
    POST: async (req, _res, ctx): Promise<ArmAnswer> => ({
      armed: await ctx.attachments.setArmedEverywhere(validateArmRequest(await readJsonBody(req, ctx.bodyLimit)), true),
    }),
  },
  [ROUTES.disarm]: {
    POST: async (req, _res, ctx): Promise<DisarmAnswer> => ({
      disarmed: await ctx.attachments.setArmedEverywhere(validateArmRequest(await readJsonBody(req, ctx.bodyLimit)), false),
    }),
  },
  [ROUTES.remove]: {
    POST: async (req, _res, ctx): Promise<RemoveAnswer> => {
      const request = validateRemoveRequest(await readJsonBody(req, ctx.bodyLimit));
      const removed = await ctx.attachments.removeEverywhere(request);
      ctx.leases.forget(request.name);
      return { removed };
    },
  },
  [ROUTES.events]: {
    GET: (req, res, ctx, url) => {
      // HEAD learns that the stream is there, without opening one.
      if (req.method === 'HEAD') return {};
      const interval = validateEventsInterval(url.searchParams);
      const lease = validateEventsLease(url.searchParams);
      if (ctx.hub.subscribers >= ctx.maxSubscribers) {
        throw new HookError('ERR_LIMIT', `at most ${ctx.maxSubscribers} event streams at a time`);
      }
      // An event stream is meant to stay open: no idle timeout for it.
      req.socket.setTimeout(0);
      ctx.hub.subscribe(res, interval, () => stats(ctx));
      if (lease !== undefined) ctx.leases.hold(lease, res);
      return STREAMING;
    },
  },
};

/** The list endpoint's answer: the registry snapshot and the attachments with their reports (every thread's counts of this moment). */
async function listing(ctx: RouteContext): Promise<Listing> {
  const attachments = await ctx.attachments.listEverywhere();
  const threads = ctx.attachments.threadList();
  return {
    pid: process.pid,
    time: Date.now(),
    registry: ctx.attachments.registry.snapshot(),
    attachments,
    ...(threads.length > 0 && { threads }),
  };
}

/** One stats tick (the hub adds what the subscriber dropped). */
function stats(ctx: RouteContext): Omit<StatsTick, 'dropped'> {
  const snap = ctx.attachments.registry.snapshot();
  return {
    time: Date.now(),
    hooks: snap.hooks.map((h) => ({ name: h.name, enabled: h.enabled, exits: h.exits })),
    attachments: ctx.attachments.list(),
  };
}

/** Answers one request. Never throws: failures become a JSON error with a 4xx or 5xx status. */
export async function handle(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> {
  try {
    const url = requestUrl(req.url);
    // Prometheus metrics answer in their own text format (metrics.ts), not JSON.
    if (url.pathname === METRICS_PATH) return await answerMetrics(req, res, ctx.attachments);
    const route = routes[url.pathname];
    if (route === undefined) throw new HookError('ERR_NOT_FOUND', `no endpoint ${url.pathname} (see GET /v1/agent, /v1/hooks, /v1/events)`);
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const handler = method === 'GET' || method === 'POST' ? route[method] : undefined;
    if (handler === undefined) {
      res.setHeader('allow', Object.keys(route).join(', '));
      throw new HookError('ERR_METHOD_NOT_ALLOWED', `${req.method ?? '?'} is not allowed on ${url.pathname}`);
    }
    const result = await handler(req, res, ctx, url);
    if (result !== STREAMING) send(res, res.statusCode === 201 ? 201 : 200, result);
  } catch (error) {
    const body = errorBody(error);
    // Read away what the client still sends (bounded by the request timeout), so it gets the
    // answer instead of a reset; an oversize body is not read: that connection is closed.
    const oversize = body.error.code === 'ERR_BODY_TOO_LARGE';
    if (!oversize) req.resume();
    send(res, httpStatus(body.error.code), body, oversize);
  }
}

/** Writes a JSON response (closing the connection after an error, so no half-read body lingers). */
export function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  let text: string;
  try {
    text = `${JSON.stringify(body)}\n`;
  } catch (error) {
    status = 500;
    text = `${JSON.stringify(errorBody(new HookError('ERR_INTERNAL', `cannot encode the answer: ${(error as Error).message}`)))}\n`;
  }
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-length', Buffer.byteLength(text));
  if (close) res.setHeader('connection', 'close');
  res.end(text);
}
