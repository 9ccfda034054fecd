/**
 * The hookwire agent: `node --import hookwire/agent app.js` (what `hookwire run` does). It loads
 * the module hooks that make probes by spec work, applies the attachments given in `HOOKWIRE_*`
 * environment variables (see `agent-env.ts`), serves the control socket, and at exit removes the
 * socket and writes its summary. It never keeps the program alive and never lets its own
 * problems reach the program: they are reported on stderr, one line each, and in the summary.
 *
 * A signal a user sends (SIGINT, SIGTERM, SIGHUP) to a program that has no handler for it still
 * ends the program by that signal, but first the agent flushes trace files, writes the summary and
 * removes the socket. A program with its own handler keeps it: the agent then does nothing until
 * the program exits.
 *
 * In worker threads (which share the process id, and so the socket and summary names) it only
 * installs the module hooks.
 */
import '../probe/register.ts';
import * as liveFs from 'node:fs';
import * as livePath from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { asHookwire } from '../probe/engine.ts';
import { builtin } from '../probe/host.ts';
import { setCodeGeneration, registry } from '../core/index.ts';
import { Attachments } from './attachments.ts';
import { readAgentEnv } from './agent-env.ts';
import { exitCatalogue } from './catalogue.ts';
import { EventHub } from './events.ts';
import { colorEnabled } from '../exits/color.ts';
import { flushFileSinks, openOwnFile } from '../exits/sinks.ts';
import { ChromeTraceFile } from '../exits/chrome-format.ts';
import { formatTrace, traceColors } from '../exits/trace-line.ts';
import type { TraceRecord } from '../exits/index.ts';
import { removeSocketFiles, serveControl, type ControlServer } from './server.ts';
import { serveMetrics } from './metrics.ts';
import { registerOtlp, serviceNameOf } from './otlp.ts';
import { setTracerFallback } from '../exits/span.ts';
import type { Server } from 'node:http';
import type { AgentSummary } from './summary.ts';

// The built-ins' original functions (probe/host.ts): the agent's own file work never shows up in
// the program's probes.
const { mkdirSync, writeFileSync, writeSync } = builtin('node:fs') ?? liveFs;
const { join } = builtin('node:path') ?? livePath;

/** The signals a user sends to end a program (Ctrl-C, kill, a closed terminal). */
const USER_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

if (isMainThread) await startAgent();

async function startAgent(): Promise<void> {
  const config = readAgentEnv(process.env);
  // The program's own child processes inherit the environment: only this one announces itself.
  delete process.env['HOOKWIRE_ANNOUNCE'];
  if (!config.codegen) setCodeGeneration(false);

  const startedAt = Date.now();
  const problems: string[] = [];
  const report = (line: string): void => {
    problems.push(line);
    try {
      process.stderr.write(`hookwire: ${line}\n`);
    } catch {
      // Nowhere to report: the summary still has it.
    }
  };
  for (const p of config.problems) report(p);

  const hub = new EventHub();
  const catalogue = exitCatalogue(registry);
  const attachments = new Attachments(registry, catalogue, (record) => hub.trace(record));

  // Every trace record goes to the event stream. Those of the environment's attachments also go
  // to the trace file as JSON lines, written synchronously so none is lost at exit; without a
  // file, to stderr as lines for people (or JSON lines with HOOKWIRE_TRACE_FORMAT=json), in order
  // with the program's own output. Socket clients' traces go to the stream only.
  let traceFd: number | undefined;
  // HOOKWIRE_TRACE_FORMAT=chrome: the file is a Chrome trace, valid JSON after every record.
  let chromeFile: ChromeTraceFile | undefined;
  if (config.traceFile !== undefined) {
    try {
      traceFd = openOwnFile(config.traceFile, 'HOOKWIRE_TRACE_FILE');
      if (config.traceFormat === 'chrome') chromeFile = new ChromeTraceFile(traceFd, config.traceFile);
    } catch (error) {
      traceFd = undefined;
      report((error as Error).message);
    }
  }
  const colors = traceColors(colorEnabled(process.stderr, process.env));
  // Records that could not be written (a full disk, a closed stderr), and the first reason.
  let lost = 0;
  let lostReason = '';
  const writeLocal = (record: TraceRecord): void => {
    try {
      if (chromeFile !== undefined) chromeFile.write(record);
      else if (traceFd !== undefined) writeSync(traceFd, `${JSON.stringify(record)}\n`);
      else process.stderr.write(`${config.traceFormat === 'json' ? JSON.stringify(record) : formatTrace(record, colors)}\n`);
    } catch (error) {
      if (lost++ === 0) lostReason = (error as Error).message;
      // The trace exit counts it as lost in its report; the traced code never sees it.
      throw error;
    }
  };
  // Runs inside the trace exit's handler: as hookwire's own code, so that what it calls (say a
  // probed process.stderr.write) does not even count as missed.
  const fromEnvironment = (record: TraceRecord): void =>
    asHookwire(() => {
      hub.trace(record);
      writeLocal(record);
    });

  let server: ControlServer | undefined;
  if (config.control.unix || config.control.tcp) {
    try {
      server = await serveControl(
        {
          catalogue,
          registry,
          ...(config.runtimeDir !== undefined && { dir: config.runtimeDir }),
          ...(!config.control.unix && { path: false as const }),
          tcp: config.control.tcp,
          info: () => ({ attachFromEnv: config.attach.length, problems: problems.length }),
        },
        { attachments, hub },
      );
    } catch (error) {
      report(`no control socket: ${(error as Error).message}`);
    }
  }

  // The span exit's SDK when the program has none by its first span (otlp.ts).
  const otlpUrl = config.otlpUrl;
  if (otlpUrl !== undefined) {
    setTracerFallback(() =>
      asHookwire(() => {
        try {
          registerOtlp({ url: otlpUrl, serviceName: serviceNameOf(process.env, process.argv) });
        } catch (error) {
          report(`no OTLP export: ${(error as Error).message}`);
        }
      }),
    );
  }

  let metricsServer: Server | undefined;
  if (config.metrics !== undefined) {
    try {
      metricsServer = await serveMetrics(config.metrics, attachments);
    } catch (error) {
      report(`no metrics: ${(error as Error).message}`);
    }
  }

  process.on('exit', (code) => asHookwire(() => onExit(code, undefined)));
  for (const signal of USER_SIGNALS) {
    const onSignal = (): void => {
      // Another listener is the program's own handler: the signal is its business, and 'exit'
      // writes the summary if the program ends.
      if (process.listenerCount(signal) > 1) return;
      asHookwire(() => onExit(undefined, signal));
      // Ends the program by the signal, as it would have without the agent.
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
  if (config.announce) {
    const where = server?.path ?? (server?.port !== undefined ? `tcp 127.0.0.1:${server.port}` : undefined);
    try {
      const metrics = metricsServer?.address();
      const scrape =
        typeof metrics === 'object' && metrics !== null
          ? `, metrics http://${metrics.family === 'IPv6' ? `[${metrics.address}]` : metrics.address}:${metrics.port}/metrics`
          : '';
      process.stderr.write(`hookwire: pid ${process.pid}, ${where === undefined ? 'no control socket' : `control ${where}`}${scrape}\n`);
    } catch {
      // A closed stderr: nothing to announce to.
    }
  }

  // Attached only now, after the control server (runtime directory, socket, listening) is up, so
  // none of that work can hit the program's probes; attaching itself runs as hookwire's own code.
  for (const request of config.attach) {
    try {
      asHookwire(() => attachments.attach(request, { allowPending: true, allowFiles: true, allowLoad: true, onRecord: fromEnvironment }));
    } catch (error) {
      report(`cannot attach ${JSON.stringify(request.exit)} to ${request.target}: ${(error as Error).message}`);
    }
  }

  // Hooks named in the environment are usually declared by modules that load after the agent:
  // attach each the moment it is declared, before the declaring module can fire it.
  if (attachments.pendingHooks > 0) {
    const stop = registry.onDeclare(() => {
      if (asHookwire(() => attachments.resolvePending()) === 0) stop();
    });
  }

  let ended = false;
  function onExit(code: number | undefined, signal: NodeJS.Signals | undefined): void {
    // A signal's handler ends the process itself, so 'exit' never follows it; once is enough anyway.
    if (ended) return;
    ended = true;
    // Trace files first, so that the reports in the summary count what their last flush lost.
    flushFileSinks();
    if (lost > 0) report(`${lost} trace record${lost === 1 ? '' : 's'} lost: cannot write ${config.traceFile ?? 'stderr'}: ${lostReason}`);
    for (const a of attachments.list()) {
      const n = a.report?.type === 'trace' ? Object.values(a.report.sites).reduce((sum, s) => sum + s.lost, 0) : 0;
      // The environment's own file and stderr losses are the line above.
      if (n > 0 && a.exit.sink !== undefined) report(`${n} trace record${n === 1 ? '' : 's'} lost by ${a.type} ${a.name} on ${a.target}`);
    }
    try {
      attachments.resolvePending();
      if (config.summaryDir !== undefined) {
        const summary: AgentSummary = {
          pid: process.pid,
          argv: process.argv,
          startedAt,
          endedAt: Date.now(),
          exitCode: code,
          ...(signal !== undefined && { signal }),
          attachments: attachments.list(),
          registry: registry.snapshot(),
          problems,
        };
        mkdirSync(config.summaryDir, { recursive: true, mode: 0o700 });
        writeFileSync(join(config.summaryDir, `${process.pid}.json`), JSON.stringify(summary), { mode: 0o600 });
      }
    } catch (error) {
      report(`cannot write the summary: ${(error as Error).message}`);
    }
    if (server !== undefined) removeSocketFiles(server);
  }
}
