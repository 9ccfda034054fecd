/**
 * `span`: an OpenTelemetry span per hit, through `@opentelemetry/api` (an optional peer
 * dependency, taken from the program's own install first). Named after the site, with the
 * summarised arguments as attributes, an error status and exception event when the call threw
 * or its promise rejected, the active context's span as parent, and its end at the call's end
 * (async functions and returned thenables: at settlement, settle.ts). When the program has an
 * SDK registered the spans join its traces; without one they cost a no-op tracer, unless a
 * fallback SDK is set (`hookwire run --otlp URL`, see {@link setTracerFallback}).
 *
 * A probed call's span is the active span while the original runs, so what it calls (a nested
 * probed call, the program's own spans, instrumented libraries) gets it as parent. A probe runs
 * beside the call, not around it, so the span is made active imperatively (the context manager's
 * `attach`, or its AsyncLocalStorage's `enterWith`) in the probe's call scope (probe/scope.ts):
 * right before the original runs, and the caller's context is given back right after it returned,
 * for every kind of function. An async function runs with its span active up to its first
 * `await`, and what it runs after each `await` keeps it (AsyncLocalStorage carries the context
 * into the continuation); its caller has its own context back at the synchronous return. A
 * generator's body runs with its span (in the context of its creation) at each resumption.
 * Channel sites and breakpoint probes have no call scope: their spans are never made active.
 */
import type * as OtelApi from '@opentelemetry/api';
import type { AnyHook } from '../core/index.ts';
import { validateOptions } from '../core/internal.ts';
import { builtin, hostProcess } from '../probe/host.ts';
import { CALL_SCOPE, type ScopeExit, type ScopeProvider } from '../probe/scope.ts';
import { named, scratch, setScratch, SiteTable, type Observer, type ProbeCallContext, type ProbeHandlers, type SiteReport } from './observer.ts';
import { whenSettled } from './settle.ts';
import { errorInfo, resolveLimits, summarizeArgs, type SummaryLimits } from './summarize.ts';
import { HookError } from '../core/index.ts';

/** The code of the error thrown when an optional peer dependency (here `@opentelemetry/api`) is not installed. */
export const ERR_PEER_MISSING = 'ERR_PEER_MISSING';

/** Options of {@link span}. */
export interface SpanOptions {
  /** Limits of the argument summaries that become attributes. */
  limits?: SummaryLimits;
  /** The tracer's name (default `hookwire`). */
  tracer?: string;
}

/** `span`: per site, the spans started and ended. */
export interface SpanSiteReport extends SiteReport {
  /** Calls that threw or whose promise rejected (their spans have an error status). */
  errors: number;
  /** Spans ended. */
  spans: number;
}

/** What `span().report()` returns. */
export interface SpanReport {
  type: 'span';
  faults: number;
  sites: Record<string, SpanSiteReport>;
}

type Api = typeof OtelApi;
let api: Api | undefined;

/**
 * `@opentelemetry/api` as the program resolves it (its working directory), else as hookwire
 * does. Both share the one global registration (the API keeps it on `globalThis`). Throws
 * ERR_PEER_MISSING when neither finds it.
 */
export function otelApi(): Api {
  if (api !== undefined) return api;
  const createRequire = builtin('node:module')?.createRequire;
  const cwd = hostProcess()?.cwd?.();
  for (const from of [cwd === undefined ? undefined : `${cwd}/`, import.meta.url]) {
    if (from === undefined || createRequire === undefined) continue;
    try {
      api = createRequire(from)('@opentelemetry/api') as Api;
      return api;
    } catch {
      // Not installed there: try the next place.
    }
  }
  throw new HookError(
    ERR_PEER_MISSING,
    'the span exit needs @opentelemetry/api, an optional peer dependency of hookwire: npm install @opentelemetry/api (and an SDK, or hookwire run --otlp URL)',
  );
}

let fallback: (() => void) | undefined;

/**
 * Sets what to call at the first span of the process: the agent's `--otlp` SDK, which registers
 * itself only if the program has not registered one by then (the API refuses a second one).
 */
export function setTracerFallback(fn: (() => void) | undefined): void {
  fallback = fn;
}

function runFallback(): void {
  const fn = fallback;
  fallback = undefined;
  try {
    fn?.();
  } catch {
    // The fallback reports its own problems; spans go on through whatever is registered.
  }
}

type SpanSite = SpanSiteReport;

/** What makes a context active for a while: `dispose()` gives the previous one back. */
type Activation = ScopeExit;

/** Makes a span observer. Throws ERR_PEER_MISSING without `@opentelemetry/api`, ERR_INVALID_ARG for bad options. */
export function span(options?: SpanOptions): Observer<SpanReport> {
  const opts = validateOptions(options, ['limits', 'tracer'], 'span option') as SpanOptions;
  if (opts.tracer !== undefined && (typeof opts.tracer !== 'string' || opts.tracer === '')) {
    throw new HookError('ERR_INVALID_ARG', 'span option "tracer" must be a non-empty string');
  }
  const limits = resolveLimits(opts.limits, 'span option "limits"');
  const otel = otelApi();
  const tracerName = opts.tracer ?? 'hookwire';
  const table = new SiteTable<SpanSite>(() => ({ hits: 0, errors: 0, spans: 0, faults: 0 }));
  const SPAN = Symbol('hookwire.span');
  // The context the call runs in: the one of its entry with its span set (made once per call, so
  // every resumption of a generator runs in the context of its creation).
  const CONTEXT = Symbol('hookwire.span.context');

  const start = (site: string, args: readonly unknown[], names?: readonly string[] | null): OtelApi.Span => {
    if (fallback !== undefined) runFallback();
    const attributes: OtelApi.Attributes = { 'hookwire.site': site };
    const summary = summarizeArgs(args, limits, names);
    const entries = Array.isArray(summary) ? summary.map((v, i) => [String(i), v] as const) : Object.entries(summary as Record<string, unknown>);
    for (const [key, value] of entries) attributes[`hookwire.args.${key}`] = attribute(value);
    return otel.trace.getTracer(tracerName).startSpan(site, { kind: otel.SpanKind.INTERNAL, attributes }, otel.context.active());
  };

  const fail = (s: OtelApi.Span, error: unknown): void => {
    const info = errorInfo(error, limits);
    s.recordException({ name: info.name, message: info.message });
    s.setStatus({ code: otel.SpanStatusCode.ERROR, message: `${info.name}: ${info.message}` });
  };

  const finish = (ctx: ProbeCallContext, failed: boolean, value: unknown): void => {
    let site: SpanSite | undefined;
    try {
      site = table.siteOf(ctx);
      if (site === undefined) return table.fault(undefined);
      const s = scratch<OtelApi.Span>(ctx, SPAN);
      if (s === undefined) return;
      setScratch(ctx, SPAN, undefined);
      setScratch(ctx, CONTEXT, undefined);
      const counted = site;
      // A non-async function that returned a thenable: the span ends when it settles.
      if (!failed && ctx.settled !== true) {
        const waiting = whenSettled(value, (rejected, outcome) => {
          try {
            if (rejected) {
              counted.errors++;
              fail(s, outcome);
            }
            s.end();
            counted.spans++;
          } catch {
            table.fault(counted);
          }
        });
        if (waiting) return;
      }
      if (failed) {
        site.errors++;
        fail(s, value);
      }
      s.end();
      site.spans++;
    } catch {
      table.fault(site);
    }
  };

  return {
    type: 'span',
    forHook(hook: AnyHook) {
      const site = table.site(hook.name);
      const name = hook.name;
      const names = hook.args;
      return named((...args: unknown[]): void => {
        try {
          site.hits++;
          start(name, args, names).end();
          site.spans++;
        } catch {
          table.fault(site);
        }
      }, 'span');
    },
    forProbe(): ProbeHandlers {
      const handlers: ProbeHandlers & ScopeProvider = {
        onEnter(ctx) {
          let site: SpanSite | undefined;
          try {
            site = table.siteOf(ctx);
            if (site === undefined) return table.fault(undefined);
            site.hits++;
            setScratch(ctx, SPAN, start(ctx.hook, ctx.args));
          } catch {
            table.fault(site);
          }
        },
        // Right before the original runs (and each resumption of a generator): the span becomes
        // the active context until the wrapper disposes of the activation, right after the run.
        [CALL_SCOPE](ctx): Activation | undefined {
          try {
            const s = scratch<OtelApi.Span>(ctx, SPAN);
            if (s === undefined) return undefined;
            let running = scratch<OtelApi.Context>(ctx, CONTEXT);
            if (running === undefined) {
              running = otel.trace.setSpan(otel.context.active(), s);
              setScratch(ctx, CONTEXT, running);
            }
            return activate(otel, running);
          } catch {
            table.fault(table.siteOf(ctx));
            return undefined;
          }
        },
        onLeave(ctx, result) {
          finish(ctx, false, result);
          return undefined;
        },
        onError(ctx, error) {
          finish(ctx, true, error);
          return undefined;
        },
      };
      return handlers;
    },
    report(): SpanReport {
      return { type: 'span', ...table.report(({ hits, errors, spans, faults }) => ({ hits, errors, spans, faults })) };
    },
    close() {},
  };
}

/**
 * Makes `context` the active one until `dispose()`: through the global context manager's
 * `attach` (the SDK's AsyncLocalStorageContextManager has it, experimental, and so has the one
 * `--otlp` sets), else its AsyncLocalStorage's `enterWith`. Undefined when the manager offers
 * neither (the no-op manager of a program with no SDK; a browser's zone manager).
 */
function activate(otel: Api, context: OtelApi.Context): Activation | undefined {
  const manager = (otel.context as unknown as { _getContextManager?(): unknown })._getContextManager?.() as
    { attach?(context: OtelApi.Context): Activation; _asyncLocalStorage?: { getStore(): unknown; enterWith(store: unknown): void } } | undefined;
  if (typeof manager?.attach === 'function') return manager.attach(context);
  const storage = manager?._asyncLocalStorage;
  if (typeof storage?.enterWith !== 'function' || typeof storage.getStore !== 'function') return undefined;
  const previous = storage.getStore();
  storage.enterWith(context);
  return { dispose: () => storage.enterWith(previous) };
}

/** An attribute value: primitives as they are, anything else as the JSON of its summary. */
function attribute(value: unknown): OtelApi.AttributeValue {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value) ?? String(value);
}
