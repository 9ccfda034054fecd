import type { AttachRequest } from '../control/protocol.ts';
import { commonOptions, parse, traceFileFormat, UsageError } from './args.ts';
import { parseHookOption, parseProbeOption } from './site-args.ts';
import { NAMED_EXIT_TYPES } from '../exits/exit-types.ts';
import type { Command } from './io.ts';
import { portInUse } from './port-free.ts';
import { runUnderAgent } from './runner.ts';

const options = {
  ...commonOptions,
  probe: { type: 'string', multiple: true },
  hook: { type: 'string', multiple: true },
  out: { type: 'string' },
  control: { type: 'string' },
  strict: { type: 'boolean' },
  metrics: { type: 'string' },
  format: { type: 'string' },
  otlp: { type: 'string' },
  spawn: { type: 'boolean' },
} as const;

/** `hookwire run`: runs a Node program with the agent preloaded and prints a summary at exit. */
export const run: Command = {
  name: 'run',
  summary: 'run a Node program with probes and exits attached; summary at exit',
  help: `Usage: hookwire run [--probe SPEC[=EXIT]]... [--hook NAME[=EXIT]]... [--out FILE [--format chrome]] [--metrics ADDR] [--otlp URL] [--json] [--strict] [--spawn] -- CMD [ARGS...]

Runs CMD (a Node program; "app.js" alone means "node app.js") with the hookwire agent
preloaded, attaches the exits, and prints a summary table when it exits. A Node script for the
same Node runs in hookwire's own process (one Node start, its pid the one you started); another
command, Node options before the script, or --spawn run it in a child process.

  --probe SPEC[=EXIT]  probe a function: SPEC is MODULE#PATH (./lib/db.js#Client.prototype.query,
                       node:fs#readFileSync); EXIT defaults to latency
  --hook NAME[=EXIT]   attach to a hook the program declares (area:point); EXIT defaults to count
  --out FILE           write trace records to FILE as JSON lines instead of showing them
  --format chrome      with --out: write FILE as a Chrome trace (Trace Event Format) that
                       Perfetto and chrome://tracing open; valid JSON even if the program is killed
  --json               print the summary as one JSON line on stdout (trace records as JSON lines)
  --control MODE       the control socket: unix (default), tcp, tcp:PORT or off
  --metrics ADDR       serve Prometheus metrics at http://ADDR/metrics while it runs; ADDR is
                       127.0.0.1:PORT or [::1]:PORT (loopback only; PORT 0 picks a free one)
  --otlp URL           send the spans of span exits to this OTLP/HTTP endpoint (http://127.0.0.1:4318)
                       unless the program registers an OpenTelemetry SDK of its own; without it,
                       OTEL_EXPORTER_OTLP_ENDPOINT is used the same way (OTEL_SERVICE_NAME names it)
  --strict             exit with code 2 when a site never attached (hook never declared,
                       module never loaded, or the agent refused it)
  --spawn              run the program in a child process even when it is a Node script
  -h, --help           show this help

EXIT is ${NAMED_EXIT_TYPES.join(', ')}, a list (trace,latency), or a JSON spec: '{"type":"trace","every":10}'.
While it runs, the program answers "hookwire ls/top/attach/arm/disarm/remove <pid>".
Everything that can be checked before the program starts is: a probe spec's module is resolved
from the working directory and loaded to find the function before the program's first line (by
the program's agent for a CommonJS module, in a separate process for an ES module).
Exit code: 0 when the program succeeded, 1 when it failed, 2 on a usage error.`,
  async run(argv, io) {
    const { values, rest } = parse(argv, options, { command: true });
    if (values.help) {
      io.stdout.write(`${this.help}\n`);
      return 0;
    }
    const requests: AttachRequest[] = [...(values.probe ?? []).flatMap(parseProbeOption), ...(values.hook ?? []).flatMap(parseHookOption)];
    if (rest.length === 0) throw new UsageError('no program to run: give the program after --, like: hookwire run [options] -- node app.js');
    if (values.metrics !== undefined) await checkMetricsAddress(values.metrics);
    if (values.control !== undefined) await checkControlPort(values.control);
    const format = traceFileFormat(values.format, values.out);
    if (values.otlp !== undefined) await checkOtlpUrl(values.otlp);
    return runUnderAgent(
      requests,
      rest,
      {
        out: values.out,
        json: values.json,
        control: values.control,
        strict: values.strict,
        metrics: values.metrics,
        format,
        otlp: values.otlp,
        spawn: values.spawn,
      },
      io,
    );
  },
};

// metrics.ts and otlp.ts are loaded only when their option is given: they bring node:http and the
// span exit, which `hookwire run` otherwise never needs before the program starts (issue 8).

/** `--metrics ADDR`: a loopback address, by the rule the agent reads `HOOKWIRE_METRICS` with. */
async function checkMetricsAddress(text: string): Promise<void> {
  const { parseMetricsAddress } = await import('../control/metrics.ts');
  let address;
  try {
    address = parseMetricsAddress(text);
  } catch (error) {
    throw new UsageError(`--metrics: ${(error as Error).message}`);
  }
  const busy = await portInUse(address.host, address.port);
  if (busy !== undefined) throw new UsageError(`--metrics ${text}: cannot listen there (${busy}; port 0 picks a free one)`);
}

/** `--control tcp:PORT`: the port must be free (a malformed mode is refused with the rest, preflight.ts). */
async function checkControlPort(text: string): Promise<void> {
  const { parseControlMode } = await import('../control/agent-config.ts');
  const mode = parseControlMode(text);
  if (typeof mode === 'string' || mode.tcp === false) return;
  const { port } = mode.tcp;
  const busy = await portInUse('127.0.0.1', port);
  if (busy !== undefined) throw new UsageError(`--control ${text}: cannot listen on 127.0.0.1:${port} (${busy}; tcp alone picks a free port)`);
}

/** `--otlp URL`: an http(s) URL, by the rule the agent reads `HOOKWIRE_OTLP` with. */
async function checkOtlpUrl(text: string): Promise<void> {
  const { parseOtlpUrl } = await import('../control/otlp.ts');
  try {
    parseOtlpUrl(text);
  } catch (error) {
    throw new UsageError(`--otlp: ${(error as Error).message}`);
  }
}
