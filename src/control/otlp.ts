/**
 * The OpenTelemetry SDK `hookwire run --otlp URL` sets up for the `span` exit when the program has
 * none: a tracer provider with a batching OTLP/HTTP exporter (the SDK's 2.x line, which runs on
 * every Node line hookwire supports). It is registered at the first span, not at start, so a
 * program that registers its own SDK while it starts keeps it (the API refuses a second one, and
 * ours is dropped): spans then join the program's traces. The SDK packages are optional peer
 * dependencies, taken from the program's install first.
 *
 * Spans still waiting in the batch when the program ends are sent before it ends: when the event
 * loop empties (`beforeExit`), at `process.exit()` and at the end of any exit (`exit`, where
 * nothing asynchronous runs, so they go out by a short-lived child process that hookwire waits
 * for), and at SIGINT, SIGTERM and SIGHUP, without changing what the signal does (see
 * {@link flushAtEnd}). A collector that is down or hangs holds the end for at most
 * {@link EXIT_FLUSH_MS}.
 */
import { HookError } from '../core/index.ts';
import { describe } from '../core/internal.ts';
import { ERR_PEER_MISSING } from '../exits/span.ts';
import { asHookwire } from '../probe/engine.ts';
import { ownContextManager } from './otlp-context.ts';

// Built-ins through process.getBuiltinModule: an ES import builds each one's module facade at
// start, and the CLI loads this file for parseOtlpUrl.
const { spawnSync } = process.getBuiltinModule('node:child_process');
const { createRequire } = process.getBuiltinModule('node:module');
const { basename } = process.getBuiltinModule('node:path');

/** The longest a flush at exit (or at a signal) may hold the end of the program: 2 seconds. */
export const EXIT_FLUSH_MS = 2000;

/**
 * Reads `--otlp` / `HOOKWIRE_OTLP` (or `OTEL_EXPORTER_OTLP_ENDPOINT`): an http or https URL. A
 * base URL gets the traces path (`/v1/traces`), as the OTLP exporters' endpoint variable does.
 * Throws ERR_INVALID_ARG.
 */
export function parseOtlpUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new HookError('ERR_INVALID_ARG', `an OTLP endpoint must be an http or https URL like http://127.0.0.1:4318, got ${describe(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HookError('ERR_INVALID_ARG', `an OTLP endpoint must be an http or https URL (OTLP over HTTP), got ${describe(text)}`);
  }
  if (!url.pathname.endsWith('/v1/traces')) url.pathname = `${url.pathname.replace(/\/+$/u, '')}/v1/traces`;
  return url.href;
}

/** What the fallback SDK needs: where to send, and the service's name. */
export interface OtlpSettings {
  readonly url: string;
  readonly serviceName: string;
}

/** `OTEL_SERVICE_NAME`, else the program's file name. */
export function serviceNameOf(env: NodeJS.ProcessEnv, argv: readonly string[]): string {
  const named = env['OTEL_SERVICE_NAME']?.trim();
  if (named !== undefined && named !== '') return named;
  const main = argv[1];
  return main === undefined ? 'node' : basename(main).replace(/\.[cm]?[jt]s$/u, '');
}

type Req = ((id: string) => unknown) & { resolve(id: string): string };

function requireFrom(ids: readonly string[]): Record<string, Record<string, unknown>> {
  const places = [`${process.cwd()}/`, import.meta.url].map((from) => createRequire(from) as Req);
  const out: Record<string, Record<string, unknown>> = {};
  for (const id of ids) {
    let found: unknown;
    for (const req of places) {
      try {
        found = req(id);
        // What the exporter itself uses (the JSON serializer) is resolved from where it was found.
        if (id === EXPORTER) out[SERIALIZER] = (createRequire(req.resolve(id)) as Req)('@opentelemetry/otlp-transformer') as Record<string, unknown>;
        break;
      } catch {
        // Not installed there.
      }
    }
    if (found === undefined) {
      throw new HookError(ERR_PEER_MISSING, `--otlp needs ${id}, an optional peer dependency of hookwire: npm install ${ids.join(' ')}`);
    }
    out[id] = found as Record<string, unknown>;
  }
  return out;
}

const EXPORTER = '@opentelemetry/exporter-trace-otlp-http';
const SERIALIZER = '@opentelemetry/otlp-transformer';

interface Provider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** A finished span as the SDK hands it to processors and exporters (only identity matters here). */
type SpanData = object;
interface ExportResult {
  code: number;
}
interface SpanExporter {
  export(spans: SpanData[], done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}
interface SpanProcessor {
  onStart(span: unknown, context: unknown): void;
  onEnd(span: SpanData): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Registers the OTLP SDK unless the program has a tracer provider already. Returns the provider
 * it registered (flushed when the program ends, see {@link flushAtEnd}), or undefined when the
 * program's own won. Also sets hookwire's context manager when the program has none (so a span
 * has the active span as parent). Throws ERR_PEER_MISSING when an SDK package is not installed.
 */
export function registerOtlp(settings: OtlpSettings): Provider | undefined {
  const m = requireFrom(['@opentelemetry/api', '@opentelemetry/sdk-trace-base', EXPORTER, '@opentelemetry/resources']);
  type Ctor = new (...options: unknown[]) => unknown;
  const sdk = m['@opentelemetry/sdk-trace-base']!;
  const exporter = new (m[EXPORTER]!['OTLPTraceExporter'] as Ctor)({ url: settings.url }) as SpanExporter;
  const resource = (m['@opentelemetry/resources']!['resourceFromAttributes'] as (a: Record<string, string>) => unknown)({
    'service.name': settings.serviceName,
  });
  // Every span ended and not yet accepted by the collector, for the flush at the end.
  const unsent = new Set<SpanData>();
  const tracking: SpanExporter = {
    export(spans, done) {
      exporter.export(spans, (result) => {
        if (result.code === 0) for (const s of spans) unsent.delete(s);
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
  const batch = new (sdk['BatchSpanProcessor'] as Ctor)(tracking) as SpanProcessor;
  const processor: SpanProcessor = {
    onStart: (span, context) => batch.onStart(span, context),
    onEnd(span) {
      unsent.add(span);
      batch.onEnd(span);
    },
    forceFlush: () => batch.forceFlush(),
    shutdown: () => batch.shutdown(),
  };
  const provider = new (sdk['BasicTracerProvider'] as Ctor)({ resource, spanProcessors: [processor] }) as Provider;
  const api = m['@opentelemetry/api']! as {
    trace: { setGlobalTracerProvider(p: unknown): boolean };
    context: { setGlobalContextManager(c: unknown): boolean };
    ROOT_CONTEXT: unknown;
  };
  if (!api.trace.setGlobalTracerProvider(provider)) {
    void provider.shutdown();
    return undefined;
  }
  // Refused (and nothing changed) when the program has a context manager of its own.
  api.context.setGlobalContextManager(ownContextManager(api.ROOT_CONTEXT));
  const serializer = m[SERIALIZER]!['JsonTraceSerializer'] as { serializeRequest(spans: SpanData[]): Uint8Array | undefined };
  flushAtEnd(provider, () => {
    if (unsent.size === 0) return;
    const spans = [...unsent];
    unsent.clear();
    const body = serializer.serializeRequest(spans);
    if (body !== undefined) postNow(settings.url, body);
  });
  return provider;
}

/** The signals a user sends to end a program (the agent ends the program by them the same way). */
const END_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Sends what is left when the program ends, without changing how it ends:
 * - `beforeExit` (the event loop is empty): the batch is flushed as usual, asynchronously;
 * - `exit` (after `process.exit()`, or any end that emits it): `sendNow`, synchronously;
 * - SIGINT, SIGTERM, SIGHUP: `sendNow`, from a listener put first, which takes itself off before
 *   the other listeners run, so the program's handler and the agent see the listeners they would
 *   see without it. When nobody else listens, the process is then ended by the same signal, as
 *   Node's default would; when someone does (the program, or the agent, which ends the process by
 *   the signal when the program has no handler), the signal is theirs, and the listener is put
 *   back for the next one.
 */
export function flushAtEnd(provider: Provider, sendNow: () => void): void {
  const now = (): void => {
    try {
      asHookwire(sendNow);
    } catch {
      // A flush must never change how the program ends.
    }
  };
  process.once('beforeExit', () => void provider.forceFlush().catch(() => undefined));
  process.on('exit', now);
  for (const signal of END_SIGNALS) {
    const listener = (): void => {
      process.off(signal, listener);
      now();
      if (process.listenerCount(signal) === 0) {
        process.kill(process.pid, signal);
        return;
      }
      setImmediate(() => process.prependListener(signal, listener)).unref();
    };
    process.prependListener(signal, listener);
  }
}

/**
 * POSTs an OTLP/JSON body to `url` and waits for the answer, at most {@link EXIT_FLUSH_MS}: a
 * child process does the request (nothing asynchronous runs at `exit`), started with none of the
 * program's Node options (so no agent) and the OTLP headers of the environment.
 */
function postNow(url: string, body: Uint8Array): void {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (key !== 'NODE_OPTIONS' && !key.startsWith('HOOKWIRE_')) env[key] = value;
  const headers = otlpHeaders(process.env);
  spawnSync(process.execPath, ['-e', POST, url, JSON.stringify(headers)], {
    input: body,
    env,
    timeout: EXIT_FLUSH_MS,
    killSignal: 'SIGKILL',
    stdio: ['pipe', 'ignore', 'ignore'],
    windowsHide: true,
  });
}

/** The child's program: read the body from stdin, POST it, exit 0 on a 2xx answer. */
const POST = [
  'const u = new URL(process.argv[1]), h = JSON.parse(process.argv[2]), parts = [];',
  "process.stdin.on('data', (d) => parts.push(d)).on('end', () => {",
  '  const body = Buffer.concat(parts);',
  "  const req = require(u.protocol === 'https:' ? 'node:https' : 'node:http').request(u, { method: 'POST', headers: { ...h, 'content-type': 'application/json', 'content-length': body.length } }, (res) => {",
  "    res.resume().on('end', () => process.exit(res.statusCode >= 200 && res.statusCode < 300 ? 0 : 1));",
  '  });',
  "  req.on('error', () => process.exit(1));",
  '  req.end(body);',
  '});',
].join('\n');

/** `OTEL_EXPORTER_OTLP_TRACES_HEADERS`, else `OTEL_EXPORTER_OTLP_HEADERS`: `key=value,…`, URL-encoded. */
export function otlpHeaders(env: NodeJS.ProcessEnv): Record<string, string> {
  const text = env['OTEL_EXPORTER_OTLP_TRACES_HEADERS'] ?? env['OTEL_EXPORTER_OTLP_HEADERS'] ?? '';
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    try {
      out[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      // A malformed pair is skipped, as the exporter skips it.
    }
  }
  return out;
}
