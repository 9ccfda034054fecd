/**
 * Where the agent writes the trace records of its environment's attachments: to
 * `HOOKWIRE_TRACE_FILE` as JSON lines (or as a Chrome trace with `HOOKWIRE_TRACE_FORMAT=chrome`),
 * written synchronously so none is lost at exit; without a file, to stderr as lines for people
 * (or JSON lines with `HOOKWIRE_TRACE_FORMAT=json`), in order with the program's own output. The
 * agent loads this only when its environment attaches something or names a trace file.
 */
import * as liveFs from 'node:fs';
import { builtin } from '../probe/host.ts';
import { colorEnabled } from '../exits/color.ts';
import { ChromeTraceFile } from '../exits/chrome-format.ts';
import { openOwnFile } from '../exits/sinks.ts';
import { formatTrace, traceColors } from '../exits/trace-line.ts';
import type { TraceRecord } from '../exits/index.ts';
import type { AgentConfig } from './agent-config.ts';
import { chromePartPath } from './processes/chrome-parts.ts';
import { recordPid } from './processes/membership.ts';

// The built-in's original function (probe/host.ts): the agent's writes never show up in the program's probes.
const { writeSync } = builtin('node:fs') ?? liveFs;

/** The trace file or stderr, and how many records could not be written there. */
export class TraceOutput {
  /** Records that could not be written (a full disk, a closed stderr). */
  lost = 0;
  /** Why the first of them could not. */
  lostReason = '';
  readonly #fd: number | undefined;
  readonly #chrome: ChromeTraceFile | undefined;
  readonly #format: AgentConfig['traceFormat'];
  readonly #colors: ReturnType<typeof traceColors>;
  /** This process's pid when it is not the run's first: its records say so (processes/membership.ts). */
  readonly #pid = recordPid(process.env);

  /** Opens the trace file, if any; a file that cannot be opened is reported and stderr used instead. */
  constructor(config: Pick<AgentConfig, 'traceFile' | 'traceFormat'>, report: (line: string) => void) {
    this.#format = config.traceFormat;
    let fd: number | undefined;
    let chrome: ChromeTraceFile | undefined;
    if (config.traceFile !== undefined) {
      try {
        // A Chrome trace is one array its writer rewrites: a forked process writes its own part.
        const file = config.traceFormat === 'chrome' && this.#pid !== undefined ? chromePartPath(config.traceFile, this.#pid) : config.traceFile;
        fd = openOwnFile(file, 'HOOKWIRE_TRACE_FILE', { append: config.traceFormat !== 'chrome' });
        if (config.traceFormat === 'chrome') chrome = new ChromeTraceFile(fd, file);
      } catch (error) {
        fd = undefined;
        report((error as Error).message);
      }
    }
    this.#fd = fd;
    this.#chrome = chrome;
    this.#colors = traceColors(colorEnabled(process.stderr, process.env));
  }

  /** Writes one record; a failure is counted and rethrown (the trace exit counts it as lost in its report). */
  write(record: TraceRecord): void {
    if (this.#pid !== undefined) record = { ...record, pid: this.#pid } as TraceRecord & { pid: number };
    try {
      if (this.#chrome !== undefined) this.#chrome.write(record);
      else if (this.#fd !== undefined) writeSync(this.#fd, `${JSON.stringify(record)}\n`);
      else process.stderr.write(`${this.#format === 'json' ? JSON.stringify(record) : formatTrace(record, this.#colors)}\n`);
    } catch (error) {
      if (this.lost++ === 0) this.lostReason = (error as Error).message;
      throw error;
    }
  }
}
