/**
 * The OpenTelemetry SDK `hookwire run --otlp URL` sets up for the `span` exit when the program has
 * none: a tracer provider with a batching OTLP/HTTP exporter (the SDK's 2.x line, which runs on
 * every Node line hookwire supports). It is registered at the first span, not at start, so a
 * program that registers its own SDK while it starts keeps it (the API refuses a second one, and
 * ours is dropped): spans then join the program's traces. The SDK packages are optional peer
 * dependencies, taken from the program's install first.
 */
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { HookError } from '../core/index.ts';
import { describe } from '../core/internal.ts';
import { ERR_PEER_MISSING } from '../exits/index.ts';

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

type Req = (id: string) => unknown;

function requireFrom(ids: readonly string[]): Record<string, Record<string, unknown>> {
  const places = [`${process.cwd()}/`, import.meta.url].map((from) => createRequire(from) as Req);
  const out: Record<string, Record<string, unknown>> = {};
  for (const id of ids) {
    let found: unknown;
    for (const req of places) {
      try {
        found = req(id);
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

interface Provider {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Registers the OTLP SDK unless the program has a tracer provider already. Returns the provider
 * it registered (flushed when the event loop empties), or undefined when the program's own won.
 * Throws ERR_PEER_MISSING when an SDK package is not installed.
 */
export function registerOtlp(settings: OtlpSettings): Provider | undefined {
  const m = requireFrom(['@opentelemetry/api', '@opentelemetry/sdk-trace-base', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/resources']);
  type Ctor = new (options?: unknown) => unknown;
  const sdk = m['@opentelemetry/sdk-trace-base']!;
  const exporter = new (m['@opentelemetry/exporter-trace-otlp-http']!['OTLPTraceExporter'] as Ctor)({ url: settings.url });
  const resource = (m['@opentelemetry/resources']!['resourceFromAttributes'] as (a: Record<string, string>) => unknown)({
    'service.name': settings.serviceName,
  });
  const provider = new (sdk['BasicTracerProvider'] as Ctor)({
    resource,
    spanProcessors: [new (sdk['BatchSpanProcessor'] as Ctor)(exporter)],
  }) as Provider;
  const api = m['@opentelemetry/api']! as { trace: { setGlobalTracerProvider(p: unknown): boolean } };
  if (!api.trace.setGlobalTracerProvider(provider)) {
    void provider.shutdown();
    return undefined;
  }
  // Batched spans go out when the program has nothing left to do (a signal or process.exit()
  // cannot wait for the network: spans still in the batch then are lost).
  process.once('beforeExit', () => void provider.forceFlush().catch(() => undefined));
  return provider;
}
