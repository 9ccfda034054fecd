/**
 * Prometheus metrics of the attachments: `GET /metrics` on the control socket, and the same on a
 * loopback TCP port (`hookwire run --metrics 127.0.0.1:PORT`) for a scraper. Per site and
 * attachment: hits, faults and missed as counters, and the durations of latency attachments as a
 * histogram in seconds. The text exposition format is prom-client's (its registry formats and
 * escapes); the values are read from the attachments at each scrape, so nothing is counted twice
 * and the fire path does no extra work.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { HookError } from '../core/index.ts';
import { describe } from '../core/internal.ts';
import { latencyHistograms } from '../exits/latency.ts';
import type { Attachments } from './attachments.ts';
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
 * (PORT 0 to 65535; 0 picks a free one). Anything that is not loopback is refused: the metrics
 * name the program's functions, and a scraper on this host is what they are for. Throws
 * ERR_INVALID_ARG.
 */
export function parseMetricsAddress(text: string): MetricsAddress {
  const m = /^(?:(127\.0\.0\.1|localhost)|\[(::1)\]):(\d{1,5})$/u.exec(text.trim());
  const port = Number(m?.[3]);
  if (m === null || port > 65535) {
    const host = /^\[?([^\]]*)\]?:\d+$/u.exec(text.trim())?.[1];
    const why = host !== undefined && host !== '' && m === null ? `${host} is not a loopback address` : 'expected 127.0.0.1:PORT or [::1]:PORT';
    throw new HookError('ERR_INVALID_ARG', `metrics address ${describe(text)}: ${why} (metrics are served on loopback only, port 0 to 65535)`);
  }
  return { host: m[2] === '::1' ? '::1' : '127.0.0.1', port };
}

/**
 * Serves `GET /metrics` (and nothing else) on a loopback address, as hookwire's own code (never
 * seen by the program's probes or channel sites) and without keeping the program alive.
 */
export function serveMetrics(address: MetricsAddress, attachments: Attachments): Promise<Server> {
  const server = createServer(
    { IncomingMessage: OwnIncomingMessage, ServerResponse: OwnServerResponse, headersTimeout: 5_000, requestTimeout: 10_000 },
    (req: IncomingMessage, res: ServerResponse) => void answerMetrics(req, res, attachments),
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
      resolve(server);
    });
  });
}

/** Answers a scrape: the metrics for GET (and HEAD) of /metrics, 404 or 405 otherwise, as plain text. */
export async function answerMetrics(req: IncomingMessage, res: ServerResponse, attachments: Attachments): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  let status = 200;
  let text: string;
  if (path !== METRICS_PATH) {
    status = 404;
    text = `no ${path ?? ''} here: metrics are at ${METRICS_PATH}\n`;
  } else if (req.method !== 'GET' && req.method !== 'HEAD') {
    status = 405;
    res.setHeader('allow', 'GET, HEAD');
    text = `${req.method ?? '?'} is not allowed on ${METRICS_PATH}\n`;
  } else {
    try {
      text = await renderMetrics(attachments);
    } catch (error) {
      status = 500;
      text = `cannot render the metrics: ${(error as Error).message}\n`;
    }
  }
  req.resume();
  res.statusCode = status;
  res.setHeader('content-type', status === 200 ? METRICS_CONTENT_TYPE : 'text/plain; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(req.method === 'HEAD' ? undefined : text);
}
