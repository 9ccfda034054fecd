/**
 * The hookwire agent: `node --import hookwire/agent app.js` (what `hookwire run` does). It applies
 * the attachments given in `HOOKWIRE_*` environment variables (see `agent-config.ts`), serves the
 * control socket, and at exit removes the socket and writes its summary. What it needs beyond that
 * is loaded when first asked for (issue 8): the core, the exit catalogue and the worker-thread
 * fleet when something is attached, the ES module hooks when a spec first names an ES module, the
 * control server (Unix socket) once the program's start is over. It never keeps the program
 * alive and never lets its own problems reach the program: they are reported on stderr, one line
 * each, and in the summary.
 *
 * A signal a user sends (SIGINT, SIGTERM, SIGHUP) to a program that has no handler for it still
 * ends the program by that signal, but first the agent flushes trace files, writes the summary and
 * removes the socket. A program with its own handler keeps it: the agent then does nothing until
 * the program exits.
 *
 * In worker threads (which share the process id, and so the socket and summary names) it only
 * installs the module hooks.
 */
import { installEsmHooksOnDemand, markProgramStarted } from '../probe/esm-demand.ts';
import { asHookwire } from '../probe/own-code.ts';
import { whenQuiet } from './when-quiet.ts';
import { builtin } from '../probe/host.ts';
import type { Registry, RegistrySnapshot } from '../core/index.ts';
import type { Attachments } from './attachments.ts';
import { AFTER_SUMMARY, loadAgentEnv, REFUSAL_FILE, type AgentConfig } from './agent-config.ts';
import { EventHub } from './events.ts';
import type { TraceRecord } from '../exits/index.ts';
import type { ControlServer } from './server.ts';
import type { TraceOutput } from './trace-output.ts';
import type { Server } from 'node:http';
import type { AgentSummary } from './summary.ts';
import { ensureRuntimeDir, socketPath } from './runtime-dir.ts';
import { spanWorkerThreads } from './threads/span.ts';
import { processFleet } from './threads/process-fleet.ts';
import { joinRun, markStarted } from './processes/membership.ts';
// The core this agent would load, when the program loaded it: the summary lists the program's hooks
// without the agent loading the core for a program that never did.
import { REGISTRY_KEY } from '../core/copy.ts';
import { setCodeGeneration } from '../core/compile/mode.ts';

// The built-ins' original functions (probe/host.ts): the agent's own file work never shows up in
// the program's probes.
// (process.getBuiltinModule rather than `import`, whose ES module facades cost start-up time: server.ts.)
const { lstatSync, mkdirSync, unlinkSync, writeFileSync } = builtin('node:fs') ?? process.getBuiltinModule('node:fs');
const { join } = builtin('node:path') ?? process.getBuiltinModule('node:path');
const { isMainThread } = process.getBuiltinModule('node:worker_threads');

/** The attachments and the catalogue of exits behind them, loaded when first needed. */
interface Loaded {
  readonly registry: Registry;
  readonly attachments: Attachments;
  readonly flushFileSinks: () => void;
}

/** What an untouched registry's snapshot says. */
const NO_HOOKS: RegistrySnapshot = { sealed: false, faults: 0, hooks: [] };

/** The signals a user sends to end a program (Ctrl-C, kill, a closed terminal). */
const USER_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

// The ES module hooks only when a spec first names an ES module (esm-install.ts): at start if the
// environment's does, else when a client's does, never for a program that probes none (issue 8).
if (isMainThread) {
  installEsmHooksOnDemand();
  try {
    await startAgent();
  } finally {
    markProgramStarted();
  }
} else (await import('../probe/esm-install.ts')).installEsmHooks();

/**
 * Checks the specs `hookwire run` left to the agent (HOOKWIRE_CHECK), before the program's first
 * line and before anything is attached or served: the first refused ends the process with code 2,
 * its reason in the summary directory for `hookwire run` to report as its own one-line usage
 * error (issue 8: this replaces a throwaway process that loaded the module once more). Only
 * CommonJS specs come here, whose module the agent requires at start to attach anyway.
 */
async function checkOrRefuse(config: AgentConfig): Promise<void> {
  const { checkSpec, checkImportsEsModule } = await import('./check-spec.ts');
  for (const spec of config.check) {
    // An ES module's code must not run before the program's imports: left to attach time.
    if (checkImportsEsModule(spec)) continue;
    const result = await checkSpec(spec);
    if (!('error' in result)) continue;
    try {
      if (config.summaryDir === undefined) process.stderr.write(`hookwire: ${spec}: ${result.error} (${result.code})\n`);
      else {
        mkdirSync(config.summaryDir, { recursive: true, mode: 0o700 });
        writeFileSync(join(config.summaryDir, REFUSAL_FILE), JSON.stringify({ spec, error: result.error, code: result.code }), { mode: 0o600 });
      }
    } finally {
      process.exit(2);
    }
  }
}

async function startAgent(): Promise<void> {
  const config = await loadAgentEnv(process.env);
  // The program's own child processes inherit the environment: only this one announces itself
  // and checks the specs.
  delete process.env['HOOKWIRE_ANNOUNCE'];
  delete process.env['HOOKWIRE_CHECK'];
  if (config.check.length > 0) await checkOrRefuse(config);
  // Through the mode's own door (core/compile/mode.ts): closure mode costs the start no core.
  if (!config.codegen) setCodeGeneration(false);

  const startedAt = Date.now();
  const problems: string[] = [];
  /** The targets of the attachments the environment asked for and this agent could not make. */
  const refused: string[] = [];
  const report = (line: string): void => {
    problems.push(line);
    try {
      process.stderr.write(`hookwire: ${line}\n`);
    } catch {
      // Nowhere to report: the summary still has it.
    }
  };
  for (const p of config.problems) report(p);
  // Forked processes join the run of the process that started them (processes/membership.ts).
  const membership = joinRun(process.env, report);
  if (config.summaryDir !== undefined) markStarted(config.summaryDir, startedAt, report);

  const hub = new EventHub();
  // Worker threads get the agent's attachments too, and changes wait for them (threads/span.ts).
  spanWorkerThreads(process.env, report);
  // The attachments, the catalogue of exits and the trace output are loaded only when needed: at
  // start when the environment attaches something, else at a control client's first request. A
  // program started with nothing attached loads none of it (issue 8: nothing the user did not ask
  // for is loaded at start). Loading happens before anything is attached, so no probe sees it.
  let loading: Promise<Loaded> | undefined;
  let loaded: Loaded | undefined;
  const load = (): Promise<Loaded> =>
    (loading ??= (async () => {
      // The catalogue loads each exit type at the first spec naming it, and only a trace exit
      // opens trace files: a program that counts loads neither trace nor its sinks (issue 8).
      const [{ registry }, { Attachments }, { onDemandCatalogue, flushLoadedFileSinks }, fleet] = await Promise.all([
        import('../core/index.ts'),
        import('./attachments.ts'),
        import('./catalogue-on-demand.ts'),
        processFleet(),
      ]);
      loaded = {
        registry,
        attachments: new Attachments(registry, onDemandCatalogue(registry), (record) => hub.trace(record)),
        flushFileSinks: flushLoadedFileSinks,
      };
      fleet?.adopt(loaded.attachments);
      // What the environment's attachments need (exit types, probe branches), loaded now, before
      // anything is attached.
      const { attachments } = loaded;
      await Promise.all(config.attach.map((request) => attachments.prepare(request)));
      return loaded;
    })());

  // Every trace record goes to the event stream. Those of the environment's attachments also go
  // to the trace file or stderr (trace-output.ts). Socket clients' traces go to the stream only.
  // Only trace exits make records: a program that only counts loads no trace output (issue 8).
  let output: TraceOutput | undefined;
  if (config.traceFile !== undefined || config.attach.some((request) => request.exit.type === 'trace')) {
    const [, { TraceOutput }] = await Promise.all([load(), import('./trace-output.ts')]);
    output = new TraceOutput(config, report);
  } else if (config.attach.length > 0) await load();
  // Runs inside the trace exit's handler: as hookwire's own code, so that what it calls (say a
  // probed process.stderr.write) does not even count as missed.
  const fromEnvironment = (record: TraceRecord): void =>
    asHookwire(() => {
      hub.trace(record);
      output?.write(record);
    });

  // The control server. Its runtime directory is checked now (an unusable one is reported at
  // start); a Unix socket alone is served once the program's start is over (when-quiet.ts), and a
  // program that ends before that never loads the server (issue 8). TCP, asked for, is served at
  // start: its port is only known once it listens.
  let server: ControlServer | undefined;
  let serving: Promise<void> | undefined;
  let removeSocket: ((server: ControlServer) => void) | undefined;
  let plannedPath: string | undefined;
  const serve = (dir: string | undefined): Promise<void> =>
    (serving ??= (async () => {
      try {
        const { removeSocketFiles, serveControl } = await import('./server.ts');
        removeSocket = removeSocketFiles;
        const options = {
          ...(dir !== undefined && { dir }),
          ...(!config.control.unix && { path: false as const }),
          tcp: config.control.tcp,
          info: () => ({
            attachFromEnv: config.attach.length,
            problems: problems.length,
            ...(membership.run !== undefined && { run: membership.run }),
            runFirst: membership.first,
          }),
        };
        // As hookwire's own code: the program's probes may exist by now, and the start runs to its
        // listen() synchronously (server.ts).
        server = await asHookwire(() => serveControl(options, { attachments: async () => (await load()).attachments, hub }));
      } catch (error) {
        report(`no control socket: ${(error as Error).message}`);
      }
    })());
  if (config.control.tcp) await serve(config.runtimeDir);
  else if (config.control.unix) {
    try {
      const dir = ensureRuntimeDir(config.runtimeDir);
      plannedPath = socketPath(process.pid, dir);
      whenQuiet(() => void serve(dir));
    } catch (error) {
      report(`no control socket: ${(error as Error).message}`);
    }
  }

  // The span exit's SDK when the program has none by its first span (otlp.ts).
  const otlpUrl = config.otlpUrl;
  if (otlpUrl !== undefined) {
    const [{ setTracerFallback }, { registerOtlp, serviceNameOf }] = await Promise.all([import('../exits/span.ts'), import('./otlp.ts')]);
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
      const [{ serveMetrics }, { attachments }] = await Promise.all([import('./metrics.ts'), load()]);
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
    const where = server?.path ?? plannedPath ?? (server?.port !== undefined ? `tcp 127.0.0.1:${server.port}` : undefined);
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

  // Attached only now, after the runtime directory is made (and a TCP server listens), so none of
  // that work can hit the program's probes; attaching itself runs as hookwire's own code, and so
  // does the Unix socket's later start.
  const attachments = loaded?.attachments;
  for (const request of config.attach) {
    try {
      asHookwire(() => attachments!.attach(request, { allowPending: true, allowFiles: true, allowLoad: true, onRecord: fromEnvironment }));
    } catch (error) {
      refused.push(request.target);
      report(`cannot attach ${JSON.stringify(request.exit)} to ${request.target}: ${(error as Error).message}`);
    }
  }

  // Hooks named in the environment are usually declared by modules that load after the agent:
  // attach each the moment it is declared, before the declaring module can fire it.
  if (attachments !== undefined && attachments.pendingHooks > 0) {
    const stop = loaded!.registry.onDeclare(() => {
      if (asHookwire(() => attachments.resolvePending()) === 0) stop();
    });
  }

  let ended = false;
  function onExit(code: number | undefined, signal: NodeJS.Signals | undefined): void {
    // A signal's handler ends the process itself, so 'exit' never follows it; once is enough anyway.
    if (ended) return;
    ended = true;
    // Trace files first, so that the reports in the summary count what their last flush lost.
    loaded?.flushFileSinks();
    const lost = output?.lost ?? 0;
    if (lost > 0) report(`${lost} trace record${lost === 1 ? '' : 's'} lost: cannot write ${config.traceFile ?? 'stderr'}: ${output?.lostReason}`);
    // Attachments made over the socket after start count too.
    const attachments = loaded?.attachments;
    for (const a of attachments?.list() ?? []) {
      const n = a.report?.type === 'trace' ? Object.values(a.report.sites).reduce((sum, s) => sum + s.lost, 0) : 0;
      // The environment's own file and stderr losses are the line above.
      if (n > 0 && a.exit.sink !== undefined) report(`${n} trace record${n === 1 ? '' : 's'} lost by ${a.type} ${a.name} on ${a.target}`);
    }
    try {
      attachments?.resolvePending();
      if (config.summaryDir !== undefined) {
        const summary: AgentSummary = {
          pid: process.pid,
          ppid: process.ppid,
          ...(membership.run !== undefined && { run: membership.run }),
          first: membership.first === process.pid,
          argv: process.argv,
          startedAt,
          endedAt: Date.now(),
          exitCode: code,
          ...(signal !== undefined && { signal }),
          attachments: attachments?.list() ?? [],
          distributions: attachments?.distributions() ?? {},
          registry: programRegistry()?.snapshot() ?? NO_HOOKS,
          problems,
          ...(refused.length > 0 && { refused }),
        };
        mkdirSync(config.summaryDir, { recursive: true, mode: 0o700 });
        writeFileSync(join(config.summaryDir, `${process.pid}.json`), JSON.stringify(summary), { mode: 0o600 });
      }
    } catch (error) {
      report(`cannot write the summary: ${(error as Error).message}`);
    }
    if (server !== undefined) removeSocket?.(server);
    // A server still starting may have made its socket already (its listen() is synchronous). The
    // path has this process's id: whatever listens there is in this process, which is ending.
    else if (serving !== undefined && plannedPath !== undefined) removeOwnSocket(plannedPath);
    // `hookwire run` in this very process (cli/run-here.ts) prints the run's summary on a signal
    // now, while the process can still write: the signal's handler ends it right after this.
    const afterSummary = (globalThis as Record<symbol, unknown>)[AFTER_SUMMARY];
    if (typeof afterSummary === 'function') (afterSummary as (code: number | undefined, signal: NodeJS.Signals | undefined) => void)(code, signal);
  }

  /** The registry to list at exit: the one the agent loaded, else the program's if it loaded the core. */
  function programRegistry(): Registry | undefined {
    return loaded?.registry ?? ((globalThis as Record<symbol, unknown>)[REGISTRY_KEY] as Registry | undefined);
  }
}

function removeOwnSocket(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // Never made, or gone.
  }
}
