import type { AttachRequest } from '../control/protocol.ts';
import { finishChromeTrace } from '../control/processes/chrome-parts.ts';
import { collectMembers, type MissingMember, type RunMembers } from '../control/processes/members.ts';
import { FIRST_ENV, RUN_ENV } from '../control/processes/membership.ts';
import { sameFunctionNotes, siteRows, type AgentSummary } from '../control/summary.ts';
import { threadPreloadOption } from '../control/threads/reach-workers.ts';
import { UsageError } from './args.ts';
import { preflight } from './preflight.ts';
import { isScriptPath, nodeScriptOf, runHere } from './run-here.ts';
import { REFUSAL_FILE } from '../control/agent-config.ts';
import type { Io } from './io.ts';
import { ms, styleFor, table } from './output.ts';
import { ownFile } from '../probe/own-files.ts';

// Built-ins through process.getBuiltinModule: an ES import builds each one's module facade at start.
// (node:child_process only where a child is started: ~3 ms, which a run in this process never needs.)
const { existsSync, mkdtempSync, readFileSync, rmSync, statSync } = process.getBuiltinModule('node:fs');
const { tmpdir } = process.getBuiltinModule('node:os');
const { join, resolve } = process.getBuiltinModule('node:path');

/**
 * The run's working directory is `<tmpdir>/hookwire-run-XXXXXX`; its random part, unique among the
 * directories there while the run lasts, also names the run (`HOOKWIRE_RUN`): node:crypto, for
 * six random bytes, cost 3-5 ms of the run's start on Node 20 and 7-9 ms on Node 24 (issue 8).
 */
const WORK_PREFIX = 'hookwire-run-';

/**
 * The program must be one that can start: not an empty word, and a Node script that Node would
 * find (`hookwire run -- missing.js` ended with Node's stack trace, after the agent started).
 * Resolved as Node resolves its main script: from the working directory, extensions and index
 * files included.
 */
function checkProgram(command: readonly string[]): void {
  if (command[0] === '') throw new UsageError('no program to run: the command is an empty word');
  const script = nodeScriptOf(command)?.path ?? (isScriptPath(command[0] ?? '') ? command[0] : undefined);
  if (script === undefined) return;
  try {
    process.getBuiltinModule('node:module').createRequire(join(process.cwd(), 'hookwire-run.js')).resolve(resolve(script));
  } catch {
    throw new UsageError(`cannot run "${script}": no such file`);
  }
}

/** Why a command could not be started, in one line. */
function spawnError(file: string, error: NodeJS.ErrnoException): Error {
  if (error.code === 'ENOENT') return new UsageError(`cannot run "${file}": command not found`);
  if (error.code === 'EACCES') {
    const isDir = statSync(file, { throwIfNoEntry: false })?.isDirectory() === true;
    return new UsageError(`cannot run "${file}": ${isDir ? 'it is a directory' : 'permission denied (not executable?)'}`);
  }
  return error;
}

/** How `hookwire run` / `trace` runs a program. */
export interface RunOptions {
  /** Write trace records to this file (JSON lines) instead of showing them. */
  out?: string;
  /** Print the summary as JSON on stdout instead of a table on stderr. */
  json?: boolean;
  /** `HOOKWIRE_CONTROL` for the agent (unix, tcp, tcp:PORT, off). */
  control?: string;
  /** Print no summary. */
  quiet?: boolean;
  /** `chrome`: the `out` file is a Chrome trace (Trace Event Format) instead of JSON lines. */
  format?: 'chrome';
  /** `HOOKWIRE_OTLP` for the agent: the span exit's OTLP endpoint if the program has no SDK. */
  otlp?: string;
  /** `HOOKWIRE_METRICS` for the agent: serve Prometheus metrics on this loopback address. */
  metrics?: string;
  /** A site that never attached (hook never declared, module never loaded, refused by the agent) makes the exit code 2. */
  strict?: boolean;
  /** Run a Node script in a child process too, not in this process (run-here.ts). */
  spawn?: boolean;
}

/** The agent module the program is started with. */
export function agentUrl(): string {
  // The built one, also when this runs from src/ under a TypeScript loader.
  return ownFile('control/agent.js').href;
}

/** The signals `hookwire run` passes on to the program (Ctrl-C, kill, a closed terminal). */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** How the program ended: its exit code, or the signal that ended it. */
export interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Runs `command` with the agent preloaded and prints the summary when it exits (trace lines
 * appear on the program's stderr, or go to `out`). Resolves to 0 when the program exited with 0,
 * and 1 when it failed (non-zero code or a signal).
 *
 * A Node script (`node app.js`, `app.js`) run by the CLI's own process runs in this very process
 * (run-here.ts): one Node start instead of two (issue 8). Anything else (another command, Node
 * options, `--spawn`) runs in a child process: SIGINT, SIGTERM and SIGHUP are passed on to it, and
 * when one of them ends it, the summary is printed and then `io.raise` ends this process by the
 * same signal, so that a shell sees what it would see of the program alone.
 */
export async function runUnderAgent(requests: AttachRequest[], command: string[], options: RunOptions, io: Io): Promise<number> {
  if (command.length === 0) throw new UsageError('no program to run: give it after --, like: hookwire run -- node app.js');
  checkProgram(command);
  const agentChecks = preflight(requests, options, io.env);
  const here = io.ownProcess === true && options.spawn !== true ? nodeScriptOf(command) : undefined;
  const work = mkdtempSync(join(tmpdir(), WORK_PREFIX));
  const summaryDir = join(work, 'summary');
  const run = work.slice(work.lastIndexOf(WORK_PREFIX) + WORK_PREFIX.length);
  if (here !== undefined)
    return runHere({
      script: here,
      checks: agentChecks,
      env: programEnv(requests, options, io.env, summaryDir, run),
      agent: agentUrl(),
      summaryDir,
      report: (outcome, members) => reportRun(outcome, members, options, io),
      cleanUp: () => rmSync(work, { recursive: true, force: true }),
    });
  try {
    const [file, ...args] = isScriptPath(command[0] ?? '') ? [process.execPath, ...command] : command;
    const env = programEnv(requests, options, io.env, summaryDir, run);
    // The specs only loading can check: the agent checks them before the program's first line.
    if (agentChecks.length > 0) env['HOOKWIRE_CHECK'] = JSON.stringify(agentChecks);
    const child = process.getBuiltinModule('node:child_process').spawn(file as string, args, { stdio: 'inherit', env });
    // We wait for the program whatever it does with the signal: its agent writes the summary first.
    const received = new Set<NodeJS.Signals>();
    const forwarders = FORWARDED.map((signal) => {
      const forward = (): void => {
        received.add(signal);
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      };
      process.on(signal, forward);
      return () => process.off(signal, forward);
    });
    let outcome: Outcome;
    try {
      outcome = await new Promise((done, fail) => {
        child.once('error', (error: NodeJS.ErrnoException) => fail(spawnError(String(file), error)));
        child.once('close', (code, signal) => done({ code, signal }));
      });
    } finally {
      for (const stop of forwarders) stop();
    }
    // The agent refused a spec and ended the program before its first line: a usage error.
    const refusal = readRefusal(summaryDir);
    if (refusal !== undefined) throw refusal;
    const code = reportRun(outcome, await collectMembers(summaryDir), options, io);
    // The program died of the signal we were sent: so do we, after the summary.
    if (outcome.signal !== null && received.has(outcome.signal)) io.raise?.(outcome.signal);
    return code;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The environment the program runs in: the caller's, with the agent preloaded through
 * NODE_OPTIONS (for the processes it starts, too) and told what to attach and where to write its
 * summary. `HOOKWIRE_CHECK` is the caller's to add.
 */
export function programEnv(requests: AttachRequest[], options: RunOptions, base: NodeJS.ProcessEnv, summaryDir: string, run: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    // --require reaches every worker thread; --import preloads never do (control/threads/reach-workers.ts).
    NODE_OPTIONS: `${base['NODE_OPTIONS'] ?? ''} --import=${agentUrl()} ${threadPreloadOption()}`.trim(),
    HOOKWIRE_ATTACH: JSON.stringify(requests),
    HOOKWIRE_SUMMARY_DIR: summaryDir,
    // One run: the processes the program forks inherit it (processes/membership.ts).
    [RUN_ENV]: run,
  };
  // The program's first process with the agent is the run's first, whatever ran hookwire.
  delete env[FIRST_ENV];
  delete env['HOOKWIRE_CHECK'];
  // Without --out, the agent writes trace lines to the program's stderr itself, in order with
  // the program's own output.
  if (options.out !== undefined) env['HOOKWIRE_TRACE_FILE'] = resolve(options.out);
  else delete env['HOOKWIRE_TRACE_FILE'];
  if (options.control !== undefined) env['HOOKWIRE_CONTROL'] = options.control;
  if (options.otlp !== undefined) env['HOOKWIRE_OTLP'] = options.otlp;
  else delete env['HOOKWIRE_OTLP'];
  if (options.metrics !== undefined) env['HOOKWIRE_METRICS'] = options.metrics;
  else delete env['HOOKWIRE_METRICS'];
  // --json: trace records are JSON lines too (the records of trace --pid --json).
  if (options.json === true) env['HOOKWIRE_TRACE_FORMAT'] = 'json';
  if (options.format === 'chrome') env['HOOKWIRE_TRACE_FORMAT'] = 'chrome';
  // The agent prints the program's pid and socket (one line, at start) for hookwire ls/top.
  if (options.json !== true && options.quiet !== true) env['HOOKWIRE_ANNOUNCE'] = '1';
  else delete env['HOOKWIRE_ANNOUNCE'];
  return env;
}

/**
 * What a run shows once its program ended: the summary (a table on stderr, or JSON on stdout),
 * the processes that left none, the sites that never attached. Returns the exit code (0, 1 when
 * the program failed, 2 with `strict` when a site never attached or was refused at start).
 */
export function reportRun(outcome: Outcome, members: RunMembers, options: RunOptions, io: Io): number {
  const { summaries, missing } = members;
  const err = styleFor(io.stderr, io.env);
  // Forked processes wrote their own parts of a Chrome trace: one file again, mended if a SIGKILL cut a record.
  const chrome = options.format === 'chrome' && options.out !== undefined ? finishChromeTrace(resolve(options.out)) : { left: [], cut: [] };
  for (const part of chrome.left) io.stderr.write(err.yellow(`hookwire: could not fold ${part} into ${options.out} (left beside it)\n`));
  for (const file of chrome.cut)
    io.stderr.write(err.yellow(`hookwire: ${file} ended inside a record (its writer was killed while writing it): mended, without that record\n`));
  const failed = outcome.code !== 0;
  const neverAttached = siteRows(summaries).filter((r) => r.kind === 'pending');
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify({ exitCode: outcome.code, signal: outcome.signal, sites: siteRows(summaries), agents: summaries, missing })}\n`);
  } else if (options.quiet !== true) {
    io.stderr.write(`\n${renderSummary(summaries, err, missing)}\n`);
    // Only a file that exists holds records (the agent reports why it could not open one).
    if (options.out !== undefined && existsSync(resolve(options.out))) io.stderr.write(`trace records: ${options.out}\n`);
    if (failed)
      io.stderr.write(err.red(`the program ${outcome.signal !== null ? `was killed by ${outcome.signal}` : `exited with code ${outcome.code}`}\n`));
  }
  if (neverAttached.length > 0 && options.quiet !== true) {
    const sites = neverAttached.map((r) => r.site).join(', ');
    const line = `hookwire: never attached: ${sites} (the program never declared the hook or loaded the module)${options.strict === true ? ': an error with --strict' : ''}`;
    io.stderr.write(`${options.strict === true ? err.red(line) : err.yellow(line)}\n`);
  }
  // Refused at start: the agent said why on stderr as it started; with --strict, an error as well.
  const refused = [...new Set(summaries.flatMap((s) => s.refused ?? []))];
  if (options.strict === true && refused.length > 0 && options.quiet !== true) {
    io.stderr.write(`${err.red(`hookwire: refused at start: ${refused.join(', ')}: an error with --strict`)}\n`);
  }
  if (failed) return 1;
  return options.strict === true && (neverAttached.length > 0 || refused.length > 0) ? 2 : 0;
}

/**
 * The summary table of a run, and how many problems each agent reported. With several processes,
 * a site's row is the total over them, and the processes that had it follow, indented, when more
 * than one did.
 */
export function renderSummary(summaries: AgentSummary[], style: ReturnType<typeof styleFor>, missing: MissingMember[] = []): string {
  if (summaries.length === 0) return style.yellow('hookwire: no summary: the program did not run with the agent (is it a Node program?) or was killed');
  const rows = siteRows(summaries);
  const lines: string[] = [];
  if (rows.length === 0) lines.push('hookwire: nothing was attached');
  else {
    const cells: string[][] = [];
    for (const r of rows) {
      cells.push([
        r.site + (r.kind === 'pending' ? style.yellow(' (never loaded)') : ''),
        String(r.hits),
        ms(r.p50Ms),
        ms(r.p99Ms),
        r.faults > 0 ? style.red(String(r.faults)) : '0',
        String(r.missed),
        // What P50/P99 measure: until the call returned, or until its promise settled.
        r.timing ?? '-',
      ]);
      const attached = (r.processes ?? []).filter((p) => p.kind !== 'pending');
      if (attached.length < 2) continue;
      for (const p of attached) {
        cells.push([
          style.dim(`  pid ${p.pid}${p.first === true ? ' (first)' : ''}`),
          String(p.hits),
          ms(p.p50Ms),
          ms(p.p99Ms),
          p.faults > 0 ? style.red(String(p.faults)) : '0',
          String(p.missed),
          p.timing ?? '-',
        ]);
      }
    }
    lines.push(
      table(['SITE', 'HITS', 'P50', 'P99', 'FAULTS', 'MISSED', 'TIMING'], cells, ['left', 'right', 'right', 'right', 'right', 'right', 'left'], style),
    );
    for (const note of sameFunctionNotes(rows)) lines.push(style.yellow(note));
    if (summaries.length > 1) lines.push(style.dim(`hookwire: ${summaries.length} processes in this run; each site's row is their total`));
  }
  for (const m of missing) {
    const what = m.running ? 'was still running when the run ended' : 'ended without a summary (killed by SIGKILL?)';
    lines.push(style.yellow(`hookwire [${m.pid}]: ${commandOf(m.argv)} ${what}: its counts are not in the table`));
  }
  // The agent wrote each problem to the program's stderr (ours) when it happened: count, not repeat.
  for (const s of summaries) {
    const lost = lostRecords(s);
    if (lost > 0) lines.push(style.red(`hookwire [${s.pid}]: ${lost} trace record${lost === 1 ? '' : 's'} lost (could not be written)`));
    const n = s.problems.length;
    if (n > 0) lines.push(style.yellow(`hookwire [${s.pid}]: ${n} problem${n === 1 ? '' : 's'} (reported above as they happened)`));
  }
  return lines.join('\n');
}

function commandOf(argv: string[]): string {
  const text = argv.slice(1).join(' ') || (argv[0] ?? 'process');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Trace records an agent's trace exits could not write. */
function lostRecords(summary: AgentSummary): number {
  let lost = 0;
  for (const a of summary.attachments) {
    if (a.report?.type !== 'trace') continue;
    for (const site of Object.values(a.report.sites)) lost += site.lost;
  }
  return lost;
}

/** The usage error `SPEC: reason (CODE)` when the agent refused a spec of HOOKWIRE_CHECK (agent-config.ts), else undefined. */
function readRefusal(dir: string): UsageError | undefined {
  try {
    const text = readFileSync(join(dir, REFUSAL_FILE), 'utf8');
    const { spec, error, code } = JSON.parse(text) as { spec: string; error: string; code?: string };
    return new UsageError(`${spec}: ${error}`, code);
  } catch {
    return undefined;
  }
}
