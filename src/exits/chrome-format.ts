/**
 * Trace records as a Chrome trace file: the Trace Event Format's JSON array, which Perfetto
 * (ui.perfetto.dev), chrome://tracing and Chrome DevTools' performance panel open. A probed call is
 * a complete event (`"ph": "X"`, `ts` and `dur` in µs) with its arguments and result or error in
 * `args`; a hook's fire is an instant event (`"ph": "i"`). Calls that complete after their entry's
 * synchronous run (async functions) can overlap, which events on one thread must not, so each
 * goes on the first "async" lane (a thread of its own in the viewer) where it overlaps nothing.
 *
 * The file is valid JSON after every record, and between records: each record is one positional
 * write, synchronous, that puts its events and a new closing `]` where the old `]` was. A program
 * ended by SIGINT or SIGTERM, or by SIGKILL between records, leaves a file that opens. (Taking the
 * `]` off first and appending after was two system calls, and a SIGKILL between them left an
 * unclosed array.) A SIGKILL can also land inside that one write: Linux then keeps the bytes
 * copied so far (seen at any byte of a record, about 1 kill in 100 of a writer that does nothing
 * else), and no order of writes avoids it, since JSON has no place to stage bytes out of sight.
 * Such a file ends inside its last record, and `readChromeTrace` reads it without that record;
 * `hookwire run` mends the file that way when the run ends.
 */
import { HookError } from '../core/index.ts';
import { hostProcess, nodeFs } from './platform.ts';
import type { Sink, TraceRecord } from './sinks.ts';

/** One event of the Trace Event Format, as written. */
export interface ChromeEvent {
  name: string;
  cat: string;
  ph: 'X' | 'i' | 'M';
  ts: number;
  dur?: number;
  s?: 't';
  pid: number;
  tid: number;
  args: Record<string, unknown>;
}

const CLOSE = '\n]\n';
/** Lanes for overlapping async calls start at this thread id (the main thread is its own id, 0). */
const ASYNC_LANE_BASE = 1000;
/** Intervals each async lane remembers to check overlaps against. */
const LANE_MEMORY = 64;

const perf = (globalThis as { performance?: { now(): number; timeOrigin: number } }).performance;

/** Wall-clock microseconds with the monotonic clock's resolution (the record's `time` has ms only). */
function nowUs(): number {
  return perf !== undefined ? Math.round((perf.timeOrigin + perf.now()) * 1000) : Date.now() * 1000;
}

/**
 * Turns trace records into events. A record is made when its call completes, so the event ends
 * now and starts `durationMs` before: µs precision, where the record's `time` has ms.
 */
export class ChromeEvents {
  readonly #pid: number;
  readonly #tid: number;
  readonly #lanes: [number, number][][] = [];

  constructor(pid: number, tid: number) {
    this.#pid = pid;
    this.#tid = tid;
  }

  /** The metadata events that name the process and its main thread. */
  metadata(processName: string): ChromeEvent[] {
    const base = { cat: '__metadata', ph: 'M' as const, ts: 0, pid: this.#pid };
    return [
      { ...base, name: 'process_name', tid: this.#tid, args: { name: processName } },
      { ...base, name: 'thread_name', tid: this.#tid, args: { name: 'main' } },
    ];
  }

  /** The event of one record (and the metadata of an async lane the first time it is used). */
  events(record: TraceRecord, endUs: number = nowUs()): ChromeEvent[] {
    const args: Record<string, unknown> = { args: record.args };
    if ('result' in record) args['result'] = record.result;
    if (record.error !== undefined) args['error'] = record.error;
    if (record.event === 'fire' || record.durationMs === undefined) {
      return [{ name: record.site, cat: 'hookwire', ph: 'i', s: 't', ts: endUs, pid: this.#pid, tid: this.#tid, args }];
    }
    const dur = Math.max(0, Math.round(record.durationMs * 1000));
    const ts = endUs - dur;
    if (record.async !== true) return [{ name: record.site, cat: 'hookwire', ph: 'X', ts, dur, pid: this.#pid, tid: this.#tid, args }];
    args['async'] = true;
    const out: ChromeEvent[] = [];
    let lane = this.#lanes.findIndex((kept) => kept.every(([s, e]) => e <= ts || s >= ts + dur));
    if (lane === -1) {
      lane = this.#lanes.push([]) - 1;
      out.push({
        name: 'thread_name',
        cat: '__metadata',
        ph: 'M',
        ts: 0,
        pid: this.#pid,
        tid: ASYNC_LANE_BASE + lane,
        args: { name: `async ${lane + 1}` },
      });
    }
    const kept = this.#lanes[lane]!;
    kept.push([ts, ts + dur]);
    if (kept.length > LANE_MEMORY) kept.shift();
    out.push({ name: record.site, cat: 'hookwire', ph: 'X', ts, dur, pid: this.#pid, tid: ASYNC_LANE_BASE + lane, args });
    return out;
  }
}

/**
 * A Chrome trace file on `fd`, a descriptor the caller opened for positional writes with the rules
 * of every trace file (`openOwnFile(path, what, { append: false })` in sinks.ts: mode 0600, no
 * planted links in shared directories). It is
 * emptied and started at once, and is valid JSON after every record.
 */
export class ChromeTraceFile implements Sink {
  readonly #fs = nodeFs();
  #fd: number | undefined;
  #size = 0;
  readonly #events: ChromeEvents;

  constructor(fd: number, path: string) {
    if (this.#fs === undefined) throw new HookError('ERR_INVALID_ARG', 'a Chrome trace file needs Node file access, which this runtime lacks');
    const proc = hostProcess();
    const argv = (proc as { argv?: unknown } | undefined)?.argv;
    const command = Array.isArray(argv) ? argv.slice(1).map(String).join(' ') : '';
    this.#events = new ChromeEvents(proc?.pid ?? 0, 0);
    try {
      this.#fs.ftruncateSync(fd, 0);
      const head = `[\n${this.#events
        .metadata(`hookwire: ${command || 'program'}`)
        .map((e) => JSON.stringify(e))
        .join(',\n')}${CLOSE}`;
      this.#writeAt(fd, 0, head);
    } catch (error) {
      this.#fs.closeSync(fd);
      throw new HookError('ERR_INVALID_ARG', `cannot write the Chrome trace file ${path}: ${(error as Error).message}`, { cause: error });
    }
    this.#fd = fd;
  }

  /** Appends a record's events; throws (the caller counts the record as lost) if it cannot. */
  write(record: TraceRecord): void {
    const fd = this.#fd;
    if (fd === undefined || this.#fs === undefined) throw new Error('the Chrome trace file is closed');
    const text = this.#events
      .events(record)
      .map((e) => `,\n${JSON.stringify(e)}`)
      .join('');
    // Over the closing bracket, in one write: the file is an array at every moment.
    this.#writeAt(fd, this.#size - CLOSE.length, text + CLOSE);
  }

  /** Nothing is buffered: every record is on disk when `write` returns. */
  flush(): void {}

  close(): void {
    const fd = this.#fd;
    if (fd === undefined) return;
    this.#fd = undefined;
    this.#fs?.closeSync(fd);
  }

  /** Writes `text` at byte `at` and makes it the file's end; on a failure the file ends at `at` with the array closed again. */
  #writeAt(fd: number, at: number, text: string): void {
    const fs = this.#fs!;
    const bytes = new TextEncoder().encode(text);
    let offset = 0;
    try {
      while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset, at + offset);
    } catch (error) {
      // A failed or short write: close the array where it was, and cut off what the write left.
      try {
        fs.writeSync(fd, CLOSE, at);
        fs.ftruncateSync(fd, at + CLOSE.length);
        this.#size = at + CLOSE.length;
      } catch {
        this.#size = at;
      }
      throw error;
    }
    this.#size = at + bytes.length;
  }
}

/** A Chrome trace file's events, and whether its last record was cut off (and left out). */
export interface ChromeTraceRead {
  events: unknown[];
  cut: boolean;
}

/** Lines a cut record can span: an async call's record is its lane's name and the call. */
const CUT_LINES = 3;

/**
 * Reads a Chrome trace file as `ChromeTraceFile` writes it: one event per line (JSON text has no
 * raw newline), `,` between them, and the closing `]` on a line of its own. A file that a SIGKILL
 * cut inside a record's write is read as the events before the cut line. Throws when the text is
 * neither a JSON array nor such a file cut short.
 */
export function readChromeTrace(text: string): ChromeTraceRead {
  try {
    const events = JSON.parse(text) as unknown;
    if (Array.isArray(events)) return { events, cut: false };
  } catch {
    // Cut short, or not a trace: try the lines before the cut.
  }
  // The whole text first (cut after a whole event), then one line back at a time.
  let end = text.length;
  for (let tries = 0; tries <= CUT_LINES && end > 0; tries++) {
    // What a cut leaves after the last whole event: its `,`, and bytes of the old `\n]\n` beyond the cut.
    let keep = end;
    while (keep > 0 && ',] \n\r\t'.includes(text[keep - 1]!)) keep--;
    const kept = text.slice(0, keep);
    try {
      const events = JSON.parse(`${kept}\n]`) as unknown;
      if (Array.isArray(events) && events.length > 0) return { events, cut: true };
    } catch {
      // The cut line itself, or one before it: one line further back.
    }
    end = text.lastIndexOf('\n', end - 1);
  }
  throw new HookError('ERR_INVALID_ARG', 'not a Chrome trace file: neither a JSON array nor one cut short inside its last record');
}
