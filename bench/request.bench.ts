/**
 * Case: a realistic site. A small request handler (split the URL, read a header, look a route up,
 * build data, serialise it, set headers) with 8 hook sites of mixed kinds: 5 notify hooks, 2 gates
 * (auth override, route override) and 1 waterfall (data transform). Measured all disarmed (against
 * the same handler without hooks), then with 2 sites armed (request start and end, each with one
 * small exit) against the handler with those 2 calls written in. Each library's handler is written
 * out once; the armed case arms the same handlers its setup reaches (V8 re-optimises them, as in a
 * live program). diagnostics_channel and hookable have no return values, so their gate and
 * waterfall sites publish a message object instead.
 */
import dc from 'node:diagnostics_channel';
import { do_not_optimize } from 'mitata';
import { createHooks } from 'hookable';
import { SyncBailHook, SyncHook, SyncWaterfallHook } from 'tapable';
import { gate, hook, waterfall, type Exit } from '../src/core/index.ts';
import type { Case } from './harness.ts';

interface Req {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
}
interface Res {
  status: number;
  body: string;
  headers: Record<string, string>;
}
interface Data {
  user: string;
  items: number[];
  path: string;
}
type Route = (user: string, query: string) => Data;

const routes = new Map<string, Route>([
  ['/users', (user, query) => ({ user, items: [1, 2, 3, query.length], path: '/users' })],
  ['/orders', (user, query) => ({ user, items: [4, 5, query.length], path: '/orders' })],
  ['/health', (user) => ({ user, items: [], path: '/health' })],
]);
const requests: Req[] = [
  { method: 'GET', url: '/users?page=2', headers: { 'x-user': 'ada' } },
  { method: 'GET', url: '/orders', headers: { 'x-user': 'grace' } },
  { method: 'GET', url: '/health', headers: {} },
  { method: 'POST', url: '/missing?x=1', headers: { 'x-user': 'linus' } },
  { method: 'GET', url: '/users', headers: {} },
  { method: 'GET', url: '/orders?sort=asc', headers: { 'x-user': 'barbara' } },
];
let next = 0;
function nextRequest(): Req {
  next = next === requests.length - 1 ? 0 : next + 1;
  return requests[next]!;
}

// The two exits the armed case uses: count requests, tally statuses.
const tally = { started: 0, ok: 0, failed: 0 };
function onStart(_req: Req): void {
  tally.started = (tally.started + 1) & 0x3fffffff;
}
function onEnd(_req: Req, res: Res): void {
  if (res.status < 400) tally.ok = (tally.ok + 1) & 0x3fffffff;
  else tally.failed = (tally.failed + 1) & 0x3fffffff;
}

function notFound(): Res {
  return { status: 404, body: 'not found', headers: { 'content-type': 'text/plain' } };
}

// ---- no hooks ---------------------------------------------------------------------------------
function handlePlain(req: Req): Res {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const query = q < 0 ? '' : req.url.slice(q + 1);
  const user = req.headers['x-user'] ?? 'anonymous';
  const route = routes.get(path);
  if (route === undefined) return notFound();
  const data = route(user, query);
  const body = JSON.stringify(data);
  const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
  return { status: 200, body, headers };
}

// ---- the 2 armed exits written in by hand ------------------------------------------------------
function handleHandWritten(req: Req): Res {
  onStart(req);
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const query = q < 0 ? '' : req.url.slice(q + 1);
  const user = req.headers['x-user'] ?? 'anonymous';
  const route = routes.get(path);
  if (route === undefined) {
    const res = notFound();
    onEnd(req, res);
    return res;
  }
  const data = route(user, query);
  const body = JSON.stringify(data);
  const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
  const res = { status: 200, body, headers };
  onEnd(req, res);
  return res;
}

// ---- hookwire --------------------------------------------------------------------------------
function declare(suffix: string, withArgs: boolean) {
  const o = (...names: string[]) => (withArgs ? { args: names } : {});
  return {
    start: hook<[req: Req]>(`http${suffix}:start`, o('req')),
    path: hook<[path: string, query: string]>(`http${suffix}:path`, o('path', 'query')),
    auth: gate<[req: Req], string>(`http${suffix}:auth`, o('req')),
    route: gate<[path: string], Route>(`http${suffix}:route`, o('path')),
    data: waterfall<[data: Data, req: Req]>(`http${suffix}:data`, o('data', 'req')),
    body: hook<[body: string]>(`http${suffix}:body`, o('body')),
    headers: hook<[headers: Record<string, string>]>(`http${suffix}:headers`, o('headers')),
    end: hook<[req: Req, res: Res]>(`http${suffix}:end`, o('req', 'res')),
  };
}
const hwA = declare('-args', true);
const hwR = declare('-rest', false);

function handleHookwireArgs(req: Req): Res {
  hwA.start.fire(req);
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const query = q < 0 ? '' : req.url.slice(q + 1);
  hwA.path.fire(path, query);
  const user = hwA.auth.fire(req) ?? req.headers['x-user'] ?? 'anonymous';
  const route = hwA.route.fire(path) ?? routes.get(path);
  if (route === undefined) {
    const res = notFound();
    hwA.end.fire(req, res);
    return res;
  }
  const data = hwA.data.fire(route(user, query), req);
  const body = JSON.stringify(data);
  hwA.body.fire(body);
  const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
  hwA.headers.fire(headers);
  const res = { status: 200, body, headers };
  hwA.end.fire(req, res);
  return res;
}

function handleHookwireRest(req: Req): Res {
  hwR.start.fire(req);
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const query = q < 0 ? '' : req.url.slice(q + 1);
  hwR.path.fire(path, query);
  const user = hwR.auth.fire(req) ?? req.headers['x-user'] ?? 'anonymous';
  const route = hwR.route.fire(path) ?? routes.get(path);
  if (route === undefined) {
    const res = notFound();
    hwR.end.fire(req, res);
    return res;
  }
  const data = hwR.data.fire(route(user, query), req);
  const body = JSON.stringify(data);
  hwR.body.fire(body);
  const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
  hwR.headers.fire(headers);
  const res = { status: 200, body, headers };
  hwR.end.fire(req, res);
  return res;
}

// ---- tapable ---------------------------------------------------------------------------------
const tp = {
  start: new SyncHook<[Req]>(['req']),
  path: new SyncHook<[string, string]>(['path', 'query']),
  auth: new SyncBailHook<[Req], string | undefined>(['req']),
  route: new SyncBailHook<[string], Route | undefined>(['path']),
  data: new SyncWaterfallHook<[Data, Req]>(['data', 'req']),
  body: new SyncHook<[string]>(['body']),
  headers: new SyncHook<[Record<string, string>]>(['headers']),
  end: new SyncHook<[Req, Res]>(['req', 'res']),
};

function handleTapable(req: Req): Res {
  tp.start.call(req);
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const query = q < 0 ? '' : req.url.slice(q + 1);
  tp.path.call(path, query);
  const user = tp.auth.call(req) ?? req.headers['x-user'] ?? 'anonymous';
  const route = tp.route.call(path) ?? routes.get(path);
  if (route === undefined) {
    const res = notFound();
    tp.end.call(req, res);
    return res;
  }
  const data = tp.data.call(route(user, query), req);
  const body = JSON.stringify(data);
  tp.body.call(body);
  const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
  tp.headers.call(headers);
  const res = { status: 200, body, headers };
  tp.end.call(req, res);
  return res;
}

// ---- diagnostics_channel ---------------------------------------------------------------------
const ch = {
  start: dc.channel('http:start'),
  path: dc.channel('http:path'),
  auth: dc.channel('http:auth'),
  route: dc.channel('http:route'),
  data: dc.channel('http:data'),
  body: dc.channel('http:body'),
  headers: dc.channel('http:headers'),
  end: dc.channel('http:end'),
};
function dcStart(m: unknown): void {
  onStart((m as { req: Req }).req);
}
function dcEnd(m: unknown): void {
  const msg = m as { req: Req; res: Res };
  onEnd(msg.req, msg.res);
}

function handleChannel(req: Req): Res {
  if (ch.start.hasSubscribers) ch.start.publish({ req });
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const query = q < 0 ? '' : req.url.slice(q + 1);
  if (ch.path.hasSubscribers) ch.path.publish({ path, query });
  const auth = { req, user: undefined as string | undefined };
  if (ch.auth.hasSubscribers) ch.auth.publish(auth);
  const user = auth.user ?? req.headers['x-user'] ?? 'anonymous';
  const lookup = { path, route: undefined as Route | undefined };
  if (ch.route.hasSubscribers) ch.route.publish(lookup);
  const route = lookup.route ?? routes.get(path);
  if (route === undefined) {
    const res = notFound();
    if (ch.end.hasSubscribers) ch.end.publish({ req, res });
    return res;
  }
  const transform = { data: route(user, query), req };
  if (ch.data.hasSubscribers) ch.data.publish(transform);
  const body = JSON.stringify(transform.data);
  if (ch.body.hasSubscribers) ch.body.publish({ body });
  const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
  if (ch.headers.hasSubscribers) ch.headers.publish({ headers });
  const res = { status: 200, body, headers };
  if (ch.end.hasSubscribers) ch.end.publish({ req, res });
  return res;
}

// ---- hookable --------------------------------------------------------------------------------
const hb = createHooks<{
  'http:start': (req: Req) => void;
  'http:path': (path: string, query: string) => void;
  'http:auth': (auth: { req: Req; user: string | undefined }) => void;
  'http:route': (lookup: { path: string; route: Route | undefined }) => void;
  'http:data': (transform: { data: Data; req: Req }) => void;
  'http:body': (body: string) => void;
  'http:headers': (headers: Record<string, string>) => void;
  'http:end': (req: Req, res: Res) => void;
}>();

function handleHookable(req: Req): Res {
  void hb.callHook('http:start', req);
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const query = q < 0 ? '' : req.url.slice(q + 1);
  void hb.callHook('http:path', path, query);
  const auth = { req, user: undefined as string | undefined };
  void hb.callHook('http:auth', auth);
  const user = auth.user ?? req.headers['x-user'] ?? 'anonymous';
  const lookup = { path, route: undefined as Route | undefined };
  void hb.callHook('http:route', lookup);
  const route = lookup.route ?? routes.get(path);
  if (route === undefined) {
    const res = notFound();
    void hb.callHook('http:end', req, res);
    return res;
  }
  const transform = { data: route(user, query), req };
  void hb.callHook('http:data', transform);
  const body = JSON.stringify(transform.data);
  void hb.callHook('http:body', body);
  const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
  void hb.callHook('http:headers', headers);
  const res = { status: 200, body, headers };
  void hb.callHook('http:end', req, res);
  return res;
}

// ---- arming the 2 sites in every library ------------------------------------------------------
let disarm: (() => void) | null = null;
function armTwo(): void {
  const exits: Exit[] = [
    hwA.start.register(onStart, { armed: true }),
    hwA.end.register(onEnd, { armed: true }),
    hwR.start.register(onStart, { armed: true }),
    hwR.end.register(onEnd, { armed: true }),
  ];
  tp.start.tap('onStart', onStart);
  tp.end.tap('onEnd', onEnd);
  ch.start.subscribe(dcStart);
  ch.end.subscribe(dcEnd);
  const undo = [hb.hook('http:start', onStart), hb.hook('http:end', onEnd)];
  disarm = () => {
    for (const e of exits) e.deregister();
    ch.start.unsubscribe(dcStart);
    ch.end.unsubscribe(dcEnd);
    for (const u of undo) u();
    // tapable cannot remove taps: its hooks stay armed for the rest of the process.
  };
}
function disarmTwo(): void {
  disarm?.();
  disarm = null;
}

export const cases: Case[] = [
  {
    id: 'request-disarmed',
    kind: 'time',
    title: 'Request handler, 8 sites, all disarmed',
    measures:
      'One call of a small request handler (URL split, header read, route lookup, JSON.stringify of a small object) with 8 hook sites of mixed kinds, none armed. ' +
      'Baseline: the same handler with no hooks.',
    baseline: 'no hooks',
    benches: [
      { name: 'no hooks', role: 'baseline', fn: () => do_not_optimize(handlePlain(nextRequest())) },
      { name: 'hookwire (args)', role: 'hookwire', fn: () => do_not_optimize(handleHookwireArgs(nextRequest())) },
      { name: 'hookwire (rest)', role: 'hookwire', fn: () => do_not_optimize(handleHookwireRest(nextRequest())) },
      { name: 'tapable', role: 'peer', fn: () => do_not_optimize(handleTapable(nextRequest())) },
      { name: 'diagnostics_channel', role: 'peer', fn: () => do_not_optimize(handleChannel(nextRequest())) },
      { name: 'hookable', role: 'peer', fn: () => do_not_optimize(handleHookable(nextRequest())) },
    ],
  },
  {
    id: 'request-armed-2',
    kind: 'time',
    title: 'Request handler, 8 sites, 2 armed',
    measures:
      'The same handlers with the start and end sites armed (one small exit each: a request counter and a status tally). ' +
      'Baseline: the no-hook handler with those two calls written in.',
    baseline: 'hand-written 2 calls',
    setup: armTwo,
    teardown: disarmTwo,
    benches: [
      { name: 'hand-written 2 calls', role: 'baseline', fn: () => do_not_optimize(handleHandWritten(nextRequest())) },
      { name: 'hookwire (args)', role: 'hookwire', fn: () => do_not_optimize(handleHookwireArgs(nextRequest())) },
      { name: 'hookwire (rest)', role: 'hookwire', fn: () => do_not_optimize(handleHookwireRest(nextRequest())) },
      { name: 'tapable', role: 'peer', fn: () => do_not_optimize(handleTapable(nextRequest())) },
      { name: 'diagnostics_channel', role: 'peer', fn: () => do_not_optimize(handleChannel(nextRequest())) },
      { name: 'hookable', role: 'peer', fn: () => do_not_optimize(handleHookable(nextRequest())) },
    ],
  },
];
