import type { MetricsAddress } from './metrics.ts';
import type { ValidAttachRequest } from './protocol.ts';

/**
 * The checks of the variables that name an attachment, a metrics address or an OTLP endpoint,
 * owned by requests.ts, metrics.ts and otlp.ts. They are passed in so that an agent whose
 * environment sets none of those variables loads none of those modules (and the exits behind them)
 * at start: see {@link loadAgentEnv}.
 */
export interface EnvParsers {
  readonly attach: (value: unknown) => ValidAttachRequest;
  readonly metrics: (text: string) => MetricsAddress;
  readonly otlp: (text: string) => string;
}

/**
 * {@link readAgentEnvWith} with the checks loaded only for the variables that are set: what the
 * agent calls at start. The same answer as `readAgentEnv` (agent-env.ts).
 */
export async function loadAgentEnv(env: NodeJS.ProcessEnv): Promise<AgentConfig> {
  const unused = (): never => {
    throw new Error('unreachable: the variable is not set');
  };
  const set = (name: string): boolean => (env[name] ?? '').trim() !== '';
  const [protocol, metrics, otlp] = await Promise.all([
    set('HOOKWIRE_ATTACH') ? import('./requests.ts') : undefined,
    nonEmpty(env['HOOKWIRE_METRICS']) !== undefined ? import('./metrics.ts') : undefined,
    nonEmpty(env['HOOKWIRE_OTLP']) !== undefined || nonEmpty(env['OTEL_EXPORTER_OTLP_ENDPOINT']) !== undefined ? import('./otlp.ts') : undefined,
  ]);
  return readAgentEnvWith(env, {
    attach: protocol?.validateAttachRequest ?? unused,
    metrics: metrics?.parseMetricsAddress ?? unused,
    otlp: otlp?.parseOtlpUrl ?? unused,
  });
}

/**
 * The agent's configuration, read from `HOOKWIRE_*` environment variables:
 *
 * - `HOOKWIRE_ATTACH`: a JSON array of attach requests, `[{ "target": "./lib/db.js#query",
 *   "exit": { "type": "latency" } }, { "target": "app:request", "exit": "count" }]` (the same shape
 *   as `POST /v1/attach`). A hook not declared yet is attached as soon as the program declares it.
 * - `HOOKWIRE_TRACE_FILE`: append trace records to this file as JSON lines. Without it they go
 *   to stderr, as lines for people, or as JSON lines with `HOOKWIRE_TRACE_FORMAT=json`.
 *   `HOOKWIRE_TRACE_FORMAT=chrome` writes the file as a Chrome trace (Trace Event Format) instead.
 * - `HOOKWIRE_SUMMARY_DIR`: at exit, write the summary as `<dir>/<pid>.json`.
 * - `HOOKWIRE_CONTROL`: `unix` (default), `off`, or `tcp` / `tcp:<port>` (127.0.0.1, with a
 *   token, in addition to the Unix socket); `HOOKWIRE_TOKEN` sets the token (else random).
 * - `HOOKWIRE_RUNTIME_DIR`: the socket directory (default `$XDG_RUNTIME_DIR/hookwire` or
 *   `<tmpdir>/hookwire-<uid>`).
 * - `HOOKWIRE_CODEGEN=off`: build dispatchers without `new Function`.
 * - `HOOKWIRE_METRICS`: also serve Prometheus metrics on this loopback address
 *   (`127.0.0.1:PORT`, `[::1]:PORT`; what `hookwire run --metrics` sets).
 * - `HOOKWIRE_OTLP` (what `hookwire run --otlp` sets), else `OTEL_EXPORTER_OTLP_ENDPOINT`: the
 *   OTLP/HTTP endpoint of the SDK the `span` exit sets up at its first span if the program has
 *   registered none (`OTEL_SERVICE_NAME` names the service).
 * - `HOOKWIRE_ANNOUNCE=1`: print `hookwire: pid <pid>, control <socket>` on stderr at start
 *   (`hookwire run` sets it). Only the first process announces: the agent removes the variable.
 * - `HOOKWIRE_CHECK`: a JSON array of CommonJS probe specs (what `hookwire run` could not check
 *   without loading them) to check before the program's first line; the first refused ends the
 *   process with code 2, the reason written to `refused` in `HOOKWIRE_SUMMARY_DIR` (else
 *   to stderr). Only the first process checks: the agent removes the variable.
 */
export interface AgentConfig {
  /** `HOOKWIRE_ATTACH`, each request checked. */
  attach: ValidAttachRequest[];
  /** `HOOKWIRE_TRACE_FILE`. */
  traceFile: string | undefined;
  /** `HOOKWIRE_TRACE_FORMAT` (default text). */
  traceFormat: 'text' | 'json' | 'chrome';
  /** `HOOKWIRE_SUMMARY_DIR`. */
  summaryDir: string | undefined;
  /** `HOOKWIRE_CONTROL` and `HOOKWIRE_TOKEN`: the Unix socket, and TCP if asked for. */
  control: { unix: boolean; tcp: { port: number; token?: string } | false };
  /** `HOOKWIRE_RUNTIME_DIR`. */
  runtimeDir: string | undefined;
  /** false with `HOOKWIRE_CODEGEN=off`. */
  codegen: boolean;
  /** `HOOKWIRE_METRICS`, checked (loopback only). */
  metrics: MetricsAddress | undefined;
  /** `HOOKWIRE_OTLP` or `OTEL_EXPORTER_OTLP_ENDPOINT`, as the traces URL. */
  otlpUrl: string | undefined;
  /** `HOOKWIRE_ANNOUNCE=1`. */
  announce: boolean;
  /** `HOOKWIRE_CHECK`: probe specs to check before the program starts. */
  check: string[];
  /** What could not be understood, one line each; the agent reports them and goes on. */
  problems: string[];
}

/**
 * Reads the agent's configuration with the given checks. Never throws: what cannot be used is
 * listed in `problems`.
 */
export function readAgentEnvWith(env: NodeJS.ProcessEnv, parse: EnvParsers): AgentConfig {
  const problems: string[] = [];
  const attach: ValidAttachRequest[] = [];
  const raw = env['HOOKWIRE_ATTACH'];
  if (raw !== undefined && raw.trim() !== '') {
    let list: unknown;
    try {
      list = JSON.parse(raw);
    } catch (error) {
      problems.push(`HOOKWIRE_ATTACH is not JSON: ${(error as Error).message}`);
    }
    if (list !== undefined && !Array.isArray(list)) problems.push('HOOKWIRE_ATTACH must be a JSON array of { target, exit, name? }');
    else if (Array.isArray(list)) {
      for (const [i, item] of list.entries()) {
        try {
          attach.push(parse.attach(item));
        } catch (error) {
          problems.push(`HOOKWIRE_ATTACH[${i}]: ${(error as Error).message}`);
        }
      }
    }
  }
  const check: string[] = [];
  const checkText = nonEmpty(env['HOOKWIRE_CHECK']);
  if (checkText !== undefined) {
    let list: unknown;
    try {
      list = JSON.parse(checkText);
    } catch {
      // Reported below as not an array of strings.
    }
    if (Array.isArray(list) && list.every((spec) => typeof spec === 'string')) check.push(...list);
    else problems.push('HOOKWIRE_CHECK must be a JSON array of probe specs');
  }
  let control: AgentConfig['control'] = { unix: true, tcp: false };
  const mode = parseControlMode(env['HOOKWIRE_CONTROL'] ?? 'unix');
  if (typeof mode === 'string') problems.push(`HOOKWIRE_CONTROL ${mode}`);
  else {
    control = mode;
    const token = env['HOOKWIRE_TOKEN'];
    if (control.tcp !== false && token !== undefined && token !== '') control.tcp.token = token;
  }
  const format = env['HOOKWIRE_TRACE_FORMAT'];
  if (format !== undefined && format !== '' && format !== 'text' && format !== 'json' && format !== 'chrome') {
    problems.push(`HOOKWIRE_TRACE_FORMAT must be text, json or chrome, got "${format}"`);
  }
  const chrome = format === 'chrome' && nonEmpty(env['HOOKWIRE_TRACE_FILE']) !== undefined;
  if (format === 'chrome' && !chrome) problems.push('HOOKWIRE_TRACE_FORMAT=chrome needs HOOKWIRE_TRACE_FILE (a Chrome trace is a file)');
  let metrics: MetricsAddress | undefined;
  const metricsText = nonEmpty(env['HOOKWIRE_METRICS']);
  if (metricsText !== undefined) {
    try {
      metrics = parse.metrics(metricsText);
    } catch (error) {
      problems.push(`HOOKWIRE_METRICS: ${(error as Error).message}`);
    }
  }
  let otlpUrl: string | undefined;
  const otlpVar = nonEmpty(env['HOOKWIRE_OTLP']) !== undefined ? 'HOOKWIRE_OTLP' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  const otlpText = nonEmpty(env[otlpVar]);
  if (otlpText !== undefined) {
    try {
      otlpUrl = parse.otlp(otlpText);
    } catch (error) {
      problems.push(`${otlpVar}: ${(error as Error).message}`);
    }
  }
  return {
    attach,
    metrics,
    otlpUrl,
    traceFile: nonEmpty(env['HOOKWIRE_TRACE_FILE']),
    traceFormat: chrome ? 'chrome' : env['HOOKWIRE_TRACE_FORMAT'] === 'json' ? 'json' : 'text',
    summaryDir: nonEmpty(env['HOOKWIRE_SUMMARY_DIR']),
    control,
    runtimeDir: nonEmpty(env['HOOKWIRE_RUNTIME_DIR']),
    codegen: env['HOOKWIRE_CODEGEN'] !== 'off',
    announce: env['HOOKWIRE_ANNOUNCE'] === '1',
    check,
    problems,
  };
}

/**
 * Where `hookwire run`, when it runs the program in its own process, leaves the function that
 * prints the run's summary: the agent calls it once its own summary is written, at exit or on a
 * signal that ends the program. On the global object, since that CLI may be another copy of
 * hookwire than this agent (its source under a TypeScript loader).
 */
export const AFTER_SUMMARY = Symbol.for('hookwire.run.after-summary');

/**
 * The file in `HOOKWIRE_SUMMARY_DIR` where the agent writes why it refused a `HOOKWIRE_CHECK` spec
 * (`{ "spec": …, "error": … }`), for `hookwire run` to report as its own usage error.
 */
export const REFUSAL_FILE = 'refused';

/**
 * Reads a control mode, the one rule for `HOOKWIRE_CONTROL` and `hookwire run --control`: `unix`
 * (or empty), `off`, `tcp` or `tcp:<port>`. Returns the transports, or what is wrong as the end
 * of a sentence that starts with the setting's name (`must be unix, off, …`).
 */
export function parseControlMode(text: string): AgentConfig['control'] | string {
  const mode = text.trim();
  if (mode === 'unix' || mode === '') return { unix: true, tcp: false };
  if (mode === 'off') return { unix: false, tcp: false };
  const tcp = /^tcp(?::(\d{1,5}))?$/u.exec(mode);
  if (tcp === null) return `must be unix, off, tcp or tcp:<port>, got "${mode}"`;
  const port = Number(tcp[1] ?? 0);
  if (port > 65535) return `port ${port} is out of range (tcp:<port> takes 0 to 65535)`;
  return { unix: true, tcp: { port } };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
