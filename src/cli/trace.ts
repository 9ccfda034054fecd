import type { AttachRequest } from '../control/protocol.ts';
import { commonOptions, parse, pidArg, traceFileFormat, UsageError } from './args.ts';
import { checkTarget, isSite, parseExitArg } from './site-args.ts';
import type { Command } from './io.ts';
import { traceRunning } from './live-trace.ts';
import { runUnderAgent } from './runner.ts';
import { isLineSpecText, isProbeSpecText } from '../probe/spec.ts';

const options = {
  ...commonOptions,
  out: { type: 'string' },
  every: { type: 'string' },
  pid: { type: 'string', short: 'p' },
  duration: { type: 'string' },
  strict: { type: 'boolean' },
  format: { type: 'string' },
} as const;

/** `hookwire trace`: `run` with a trace exit (and a latency exit) on each site. */
export const trace: Command = {
  name: 'trace',
  summary: 'trace functions and hooks of a program it runs, or of a running one (--pid)',
  help: `Usage: hookwire trace [--every N] [--out FILE [--format chrome]] [--json] [--strict] SITE... -- CMD [ARGS...]
       hookwire trace --pid PID [--every N] [--duration S] [--json] SITE...

Runs CMD with the agent preloaded and prints one line per call of each SITE, then the summary.
With --pid, traces SITEs of a running program instead: one line per call on stdout until
Ctrl-C, --duration or the program's exit, then its trace exits are removed again.
A SITE is a probe spec (MODULE#PATH, like ./lib/db.js#query or node:fs#readFileSync) or the
name of a hook the program declares (area:point). Without --, the program starts at the
first argument that is not a SITE. Probe specs are checked before the program starts (the
module is resolved from the working directory and loaded once in a separate process).

  --every N     trace one hit in N (the summary still counts every hit)
  -p, --pid PID trace a running program (one without the agent, started with plain node,
                gets it through its inspector: see docs/production.md)
  --duration S  with --pid: stop after S seconds
  --out FILE    write trace records to FILE as JSON lines instead of showing them
  --format chrome  with --out: FILE is a Chrome trace (Trace Event Format) for Perfetto
  --json        trace records as JSON lines (with --pid on stdout, else where the lines
                would go) and the summary as one JSON line on stdout
  --strict      exit with code 2 when a site never attached (hook never declared,
                module never loaded, or the agent refused it)
  -h, --help    show this help

Exit code: 0 when the program succeeded, 1 when it failed, 2 on a usage error.`,
  async run(argv, io) {
    const { values, positionals, rest } = parse(argv, options, { command: true, own: isSite });
    if (values.help) {
      io.stdout.write(`${this.help}\n`);
      return 0;
    }
    if (values.pid === undefined && rest.length === 0) {
      throw new UsageError('no program to run: give the program after --, like: hookwire trace SITE... -- node app.js');
    }
    if (values.pid !== undefined && rest.length > 0) {
      // Without `--`, what reads as the program is a word that is no site.
      throw new UsageError(
        argv.includes('--')
          ? '--pid traces a running program: give no command after --'
          : `"${rest[0]}" is neither a probe spec (MODULE#PATH) nor a hook name (area:point)`,
      );
    }
    if (values.pid !== undefined && values.strict !== undefined) throw new UsageError('--strict is for a program started by trace');
    if (values.pid === undefined && values.duration !== undefined) throw new UsageError('--duration needs --pid');
    if (values.pid !== undefined && values.out !== undefined) throw new UsageError('--out is for a program started by trace; with --pid, redirect stdout');
    if (values.pid !== undefined && values.format !== undefined) throw new UsageError('--format is for a program started by trace (with --out)');
    const format = traceFileFormat(values.format, values.out);
    if (positionals.length === 0) throw new UsageError('no site to trace: hookwire trace ./lib/db.js#query -- node app.js');
    let every: number | undefined;
    if (values.every !== undefined) {
      every = Number(values.every);
      if (!Number.isInteger(every) || every < 1 || every > 1e9)
        throw new UsageError(`--every must be a whole number from 1 to 1e9, got "${values.every}"`);
    }
    for (const site of positionals) {
      checkTarget(site, isProbeSpecText(site) ? site : `${site} is neither a probe spec (MODULE#PATH) nor a hook name`);
      if (isLineSpecText(site)) {
        throw new UsageError(
          `${site}: a source line's breakpoint sees no results or durations to trace; count its hits with hookwire run --probe ${site}=count`,
        );
      }
      // SPEC=EXIT is run's form; here it would read as a property named "f={…}".
      const eq = site.includes('#') ? site.indexOf('=', site.indexOf('#')) : -1;
      if (eq !== -1) {
        parseExitArg(site.slice(eq + 1), site);
        throw new UsageError(`${site}: trace attaches its own exits; to choose them, use hookwire run --probe SPEC=EXIT`);
      }
    }
    if (values.pid !== undefined) {
      const pid = pidArg(values.pid, 'trace --pid');
      let durationMs: number | undefined;
      if (values.duration !== undefined) {
        const seconds = Number(values.duration);
        if (!(seconds > 0 && seconds <= 86_400))
          throw new UsageError(`--duration must be a number of seconds above 0, at most 86400, got "${values.duration}"`);
        durationMs = seconds * 1000;
      }
      return traceRunning(pid, positionals, { every, durationMs, json: values.json }, io);
    }
    const requests: AttachRequest[] = [];
    for (const site of positionals) {
      requests.push({ target: site, exit: every === undefined ? { type: 'trace' } : { type: 'trace', every } });
      // Probes and TracingChannels (tracing:) have durations; a hook or a dc: channel only hits.
      requests.push({ target: site, exit: { type: isProbeSpecText(site) || site.startsWith('tracing:') ? 'latency' : 'count' } });
    }
    return runUnderAgent(requests, rest, { out: values.out, json: values.json, strict: values.strict, format }, io);
  },
};
