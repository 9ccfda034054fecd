/**
 * Prometheus metrics of the attachments: `GET /metrics` on the control socket, and the same on a
 * loopback TCP port (`hookwire run --metrics 127.0.0.1:PORT`) for a scraper. Per site and
 * attachment: hits, faults and missed as counters, and the durations of latency attachments as a
 * histogram in seconds. The text exposition format is prom-client's (its registry formats and
 * escapes); the values are read from the attachments at each scrape, so nothing is counted twice
 * and the fire path does no extra work.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HookError } from '../core/index.ts';
import { describe } from '../core/internal.ts';
import { latencyHistograms } from '../exits/latency.ts';
import type { Attachments } from './attachments.ts';
import { isOwnHost, ownHosts } from './loopback-host.ts';
import { OwnIncomingMessage, OwnServerResponse, ownEmitter } from './own-emitter.ts';

/** The path a scraper asks for, on the control socket and on `--metrics`' port. */
export const METRICS_PATH = '/metrics';

/** The content type of the text exposition format (version 0.0.4; prom-client's `Registry.PROMETHEUS_CONTENT_TYPE`). */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Upper bounds of the latency histogram's buckets, in seconds (100 µs to 10 s). */
export const LATENCY_BUCKETS: readonly number[] = Object.freeze([
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

interface Sample {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

/** A metric prom-client formats: what its registry asks of one (`get()` answers at each scrape). */
interface Collected {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: string; aggregator: 'sum'; values: Sample[] }>;
}

/** The metrics text of `attachments` now, in the Prometheus text exposition format. */
export async function renderMetrics(attachments: Attachments): Promise<string> {
  // Loaded at the first scrape, not with the agent: a program that is never scraped pays nothing.
  const { Registry } = await import('prom-client');
  const registry = new Registry();
  const list = attachments.list();
  const counter = (name: string, help: string, read: (s: { hits: number; faults: number; missed: number }) => number): Collected => {
    const values = list.map((a) => ({ value: read(a.stats), labels: { site: siteOf(a.kind, a.target), exit: a.type, attachment: a.name } }));
    return metric(name, help, 'counter', values);
  };
  registry.registerMetric(counter('hookwire_hits_total', 'Hits seen at the site by this attachment.', (s) => s.hits) as never);
  registry.registerMetric(
    counter('hookwire_faults_total', "Faults this attachment's exit contained (never the program's own errors).", (s) => s.faults) as never,
  );
  registry.registerMetric(counter('hookwire_missed_total', 'Calls that ran unprobed because a probe handler was running.', (s) => s.missed) as never);
  const latency: Sample[] = [];
  for (const a of list) {
    const sites = a.type === 'latency' ? latencyHistograms(attachments.observerOf(a.name) ?? {}) : undefined;
    if (sites === undefined) continue;
    for (const [site, { histogram }] of sites) {
      const labels = { site, attachment: a.name };
      const counts = histogram.cumulative(LATENCY_BUCKETS.map((s) => s * 1000));
      LATENCY_BUCKETS.forEach((le, i) =>
        latency.push({ metricName: 'hookwire_latency_seconds_bucket', labels: { ...labels, le }, value: counts[i] ?? 0 }),
      );
      latency.push({ metricName: 'hookwire_latency_seconds_bucket', labels: { ...labels, le: '+Inf' }, value: histogram.count });
      latency.push({ metricName: 'hookwire_latency_seconds_sum', labels, value: histogram.sum / 1000 });
      latency.push({ metricName: 'hookwire_latency_seconds_count', labels, value: histogram.count });
    }
  }
  registry.registerMetric(metric('hookwire_latency_seconds', 'Durations timed by latency attachments, in seconds.', 'histogram', latency) as never);
  return registry.metrics();
}

function metric(name: string, help: string, type: Collected['type'], values: Sample[]): Collected {
  return { name, help, type, aggregator: 'sum', get: () => Promise.resolve({ name, help, type, aggregator: 'sum', values }) };
}

/** The site an attachment reports under (a probe's hook name, else the target as given). */
function siteOf(kind: 'hook' | 'probe', target: string): string {
  return kind === 'probe' ? `probe:${target.replace(/^probe:/u, '')}` : target;
}

/** A loopback address to serve metrics on. */
export interface MetricsAddress {
  readonly host: '127.0.0.1' | '::1';
  readonly port: number;
}

/**
 * Reads `--metrics` / `HOOKWIRE_METRICS`: `127.0.0.1:PORT`, `localhost:PORT` or `[::1]:PORT`
 * (PORT 0 to 65535; 0 picks a free one). Anything else is refused, with what to write instead:
 * the metrics name the program's functions, and a scraper on this host is what they are for.
 * Other addresses of 127.0.0.0/8 are loopback too, but not served on (the Host check names the
 * address it listens on). Throws ERR_INVALID_ARG.
 */
export function parseMetricsAddress(text: string): MetricsAddress {
  const given = text.trim();
  const m = /^(?:(127\.0\.0\.1|localhost)|\[(::1)\]):(\d{1,5})$/iu.exec(given);
  const port = Number(m?.[3]);
  if (m !== null && port <= 65535) return { host: m[2] === '::1' ? '::1' : '127.0.0.1', port };
  throw new HookError('ERR_INVALID_ARG', `metrics address ${describe(text)}: ${whyNot(given)}`);
}

/** What is wrong with a metrics address the parser refused, and what to write instead. */
function whyNot(text: string): string {
  const only = 'metrics are served on 127.0.0.1:PORT, localhost:PORT or [::1]:PORT only, port 0 to 65535';
  const scheme = /^[a-z][\w+.-]*:\/\/([^/]*)/iu.exec(text);
  if (scheme !== null) return `give the address without a scheme or path, as ${scheme[1] === '' ? '127.0.0.1:PORT' : scheme[1]} (${only})`;
  // An IPv6 address and a port without brackets: `::1:9464`.
  const bare = /^([\da-f]*:[\da-f:]*):(\d{1,5})$/iu.exec(text);
  if (bare !== null && (bare[1] ?? '').includes(':')) return `write an IPv6 address in brackets, as [${bare[1]}]:${bare[2]} (${only})`;
  const parts = /^\[?([^\]]*)\]?:(\d+)$/u.exec(text);
  const host = parts?.[1] ?? '';
  if (parts === null || host === '') return `expected HOST:PORT (${only})`;
  if (Number(parts[2]) > 65535) return `port ${parts[2]} is out of range (${only})`;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/u.test(host)) return `${host} is loopback, but not one metrics are served on (${only})`;
  return `${host} is not a loopback address (${only})`;
}

/**
 * Serves `GET /metrics` (and nothing else) on a loopback address, as hookwire's own code (never
 * seen by the program's probes or channel sites) and without keeping the program alive.
 */
export function serveMetrics(address: MetricsAddress, attachments: Attachments): Promise<Server> {
  // Named once listening (port 0 is a free one): a Host that is not this address or localhost
  // with its port is refused, so a page whose DNS name was rebound to loopback reads nothing.
  let hosts: ReadonlySet<string> = new Set();
  const server = createServer(
    {
      IncomingMessage: OwnIncomingMessage,
      ServerResponse: OwnServerResponse,
      headersTimeout: 5_000,
      requestTimeout: 10_000,
      // Node checks both timeouts only this often (30 s unless set).
      connectionsCheckingInterval: 1_000,
      // A request without Host is refused below (403 ERR_HOST_REFUSED), not by Node's bare 400.
      requireHostHeader: false,
    },
    (req: IncomingMessage, res: ServerResponse) => {
      if (isOwnHost(hosts, req.headers.host)) {
        void answerMetrics(req, res, attachments);
        return;
      }
      const host = JSON.stringify(req.headers.host ?? '');
      refuseText(req, res, 403, `Host ${host} is not this server: scrape ${[...hosts][0] ?? ''} (ERR_HOST_REFUSED)`);
    },
  );
  ownEmitter(server);
  server.maxConnections = 16;
  server.on('connection', (socket: Socket) => {
    socket.unref();
    socket.on('error', () => {});
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      server.on('error', () => {});
      server.unref();
      hosts = ownHosts(address.host, (server.address() as AddressInfo).port);
      resolve(server);
    });
  });
}

/**
 * Answers a scrape: the metrics for GET (and HEAD) of /metrics; otherwise 404 ERR_NOT_FOUND or 405
 * ERR_METHOD_NOT_ALLOWED, as one plain-text line ending with its code.
 */
export async function answerMetrics(req: IncomingMessage, res: ServerResponse, attachments: Attachments): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '';
  if (path !== METRICS_PATH) return refuseText(req, res, 404, `no ${path} here: metrics are at ${METRICS_PATH} (ERR_NOT_FOUND)`);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return refuseText(req, res, 405, `${req.method ?? '?'} is not allowed on ${METRICS_PATH} (ERR_METHOD_NOT_ALLOWED)`);
  }
  let text: string;
  try {
    text = await renderMetrics(attachments);
  } catch (error) {
    return refuseText(req, res, 500, `cannot render the metrics: ${(error as Error).message} (ERR_INTERNAL)`);
  }
  req.resume();
  res.statusCode = 200;
  res.setHeader('content-type', METRICS_CONTENT_TYPE);
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(req.method === 'HEAD' ? undefined : text);
}

/** A refusal of the metrics endpoint: one plain-text line (a scraper shows it as is). */
function refuseText(req: IncomingMessage, res: ServerResponse, status: number, line: string): void {
  const text = `${line}\n`;
  req.resume();
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(req.method === 'HEAD' ? undefined : text);
}
