/**
 * Where observers write: trace sinks (stderr, a JSON-lines file, a callback) and the one-shot
 * capture files of `assert`. File output goes through `platform.ts` (built on `probe/host.ts`, the
 * one module that reaches the host); everything here reports failure by throwing to its caller,
 * which contains and counts it, except a file's buffered lines: a flush that fails later counts
 * each line it lost through the sink's `onLost`.
 */
import { ChromeTraceFile } from './chrome-format.ts';
import { formatTrace } from './trace-line.ts';
import { HookError } from '../core/index.ts';
import { describe } from '../core/internal.ts';
import { hostProcess, nodeFs, nodePath, onProcessExit, writeStderr } from './platform.ts';
import { checkSink } from './trace-options.ts';

/** One trace record: what the `callback` sink receives and what each JSON line holds. */
export interface TraceRecord {
  /** Wall-clock time of the hit (a probed call: its entry), epoch milliseconds. */
  time: number;
  /** The hook or probe name. */
  site: string;
  /** `'fire'` for a declared hook firing, `'call'` for a probed call (recorded when it completes). */
  event: 'fire' | 'call';
  /** The arguments, summarised (an object keyed by name when the hook declares argument names). */
  args: unknown;
  /** The result, summarised (probed calls that returned; async targets: the fulfilled value). */
  result?: unknown;
  /** The thrown value (async targets: the rejection), as name and message. */
  error?: { name: string; message: string };
  /** Milliseconds from entry to return/throw (async targets: to settlement). */
  durationMs?: number;
  /** true if the call completed after its entry's synchronous run ended (an async or deferred completion). */
  async?: boolean;
}

/**
 * Where `trace` writes: `'stderr'` (default), a file of JSON lines, a Chrome trace file (the Trace
 * Event Format that Perfetto and Chrome open; see chrome-format.ts), or a function.
 */
export type TraceSink = 'stderr' | { file: string } | { chrome: string } | { callback: (record: TraceRecord) => void };

/** A writable destination for trace records. */
export interface Sink {
  write(record: TraceRecord): void;
  /** Writes out anything buffered. */
  flush(): void;
  /** Flushes and releases the destination. Idempotent. */
  close(): void;
}

/**
 * Checks a {@link TraceSink} ({@link checkSink}) and opens it. A file is opened (created, mode
 * 0600, appended to) at once, so a bad path fails here with ERR_INVALID_ARG rather than later.
 * `format` applies to stderr only: `'text'` (default) or `'json'`; a file always gets JSON lines.
 */
export function openSink(sink: unknown, format: 'text' | 'json', onLost: (site: string) => void): Sink {
  const checked = checkSink(sink);
  if (checked === undefined || checked === 'stderr') return stderrSink(format);
  if ('file' in checked) return new FileSink(checked.file, onLost);
  if ('chrome' in checked) return new ChromeTraceFile(openOwnFile(checked.chrome, 'trace file', { append: false }), checked.chrome);
  const callback = checked.callback;
  return { write: (r) => void callback(r), flush() {}, close() {} };
}

function stderrSink(format: 'text' | 'json'): Sink {
  return {
    write: (r) => writeStderr((format === 'json' ? JSON.stringify(r) : formatTrace(r)) + '\n'),
    flush() {},
    close() {},
  };
}

const FLUSH_BYTES = 64 * 1024;
const FLUSH_MS = 100;

/** Every file sink with buffered lines, flushed when the process exits. */
const openFiles = new Set<FileSink>();
let cancelExitFlush: (() => void) | undefined;

/**
 * Appends JSON lines to a file, buffered (64 KiB or 100 ms) and flushed at close and process exit.
 * A line a flush cannot write is lost: `onLost` gets its site, and flushing never throws.
 */
class FileSink implements Sink {
  private readonly fs = nodeFs();
  private fd: number | undefined;
  private buffer: string[] = [];
  /** The site of each buffered line. */
  private sites: string[] = [];
  private size = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly path: string,
    private readonly onLost: (site: string) => void,
  ) {
    if (this.fs === undefined) {
      throw new HookError('ERR_INVALID_ARG', 'a trace file needs Node file access (process.getBuiltinModule), which this runtime lacks');
    }
    this.fd = openOwnFile(path, 'trace file');
    openFiles.add(this);
    cancelExitFlush ??= onProcessExit(flushFileSinks);
  }

  write(record: TraceRecord): void {
    if (this.fd === undefined) return;
    const line = JSON.stringify(record) + '\n';
    this.buffer.push(line);
    this.sites.push(record.site);
    this.size += line.length;
    if (this.size >= FLUSH_BYTES) this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, FLUSH_MS);
      (this.timer as { unref?: () => void }).unref?.();
    }
  }

  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.buffer.length === 0 || this.fd === undefined || this.fs === undefined) return;
    const text = this.buffer.join('');
    const sites = this.sites;
    this.buffer = [];
    this.sites = [];
    this.size = 0;
    const bytes = new TextEncoder().encode(text);
    let offset = 0;
    try {
      while (offset < bytes.length) offset += this.fs.writeSync(this.fd, bytes, offset, bytes.length - offset);
    } catch {
      // Every line ends in the one newline JSON leaves unescaped: those before `offset` are whole.
      let written = 0;
      for (let i = 0; i < offset; i++) if (bytes[i] === 10) written++;
      for (const site of sites.slice(written)) this.onLost(site);
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      this.flush();
    } finally {
      const fd = this.fd;
      this.fd = undefined;
      this.buffer = [];
      this.sites = [];
      openFiles.delete(this);
      this.fs?.closeSync(fd);
    }
  }
}

/**
 * Writes out every trace file's buffered lines now: at process exit, and before a signal ends the
 * process without one (the agent). What cannot be written is counted as lost.
 */
export function flushFileSinks(): void {
  for (const file of openFiles) {
    try {
      file.flush();
    } catch {
      // onLost itself failed: the process is exiting, nothing left to report to
    }
  }
}

/**
 * Opens `path` for appending (created with mode 0600 if missing) and returns the descriptor; with
 * `{ append: false }` for positional writes (a Chrome trace file rewrites its own end). In a
 * directory others may write to (/tmp), where someone else could have planted the name first,
 * a symbolic link is not followed (O_NOFOLLOW), and a file that is not a regular file or belongs
 * to another user is refused, whatever the kernel's fs.protected_symlinks / protected_regular
 * (off in many containers, and not applied to root the same way): ERR_UNSAFE_FILE. Elsewhere
 * the user's own links (`/dev/stderr`) and devices work as before. Other failures (no such
 * directory) are ERR_INVALID_ARG. `what` names the file in messages.
 */
export function openOwnFile(path: string, what: string, { append = true }: { append?: boolean } = {}): number {
  const fs = nodeFs();
  const paths = nodePath();
  if (fs === undefined || paths === undefined) throw new HookError('ERR_INVALID_ARG', `a ${what} needs Node file access, which this runtime lacks`);
  const { O_WRONLY, O_APPEND, O_CREAT, O_NOFOLLOW = 0, O_NONBLOCK = 0 } = fs.constants;
  let shared = false;
  try {
    shared = (fs.statSync(paths.dirname(paths.resolve(path))).mode & 0o022) !== 0;
  } catch {
    // No directory: the open below fails and says so.
  }
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO planted in a shared directory must not hang the program at open.
    fd = fs.openSync(path, O_WRONLY | (append ? O_APPEND : 0) | O_CREAT | (shared ? O_NOFOLLOW | O_NONBLOCK : 0), 0o600);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (shared && code === 'ELOOP') {
      throw new HookError('ERR_UNSAFE_FILE', `refusing ${what} ${describe(path)}: it is a symbolic link in a directory others can write to`, {
        cause: error,
      });
    }
    throw new HookError('ERR_INVALID_ARG', `cannot open ${what} ${describe(path)}: ${(error as Error).message}`, { cause: error });
  }
  if (shared) {
    const st = fs.fstatSync(fd);
    const uid = hostProcess()?.getuid?.();
    const problem = !st.isFile() ? 'it is not a regular file' : uid !== undefined && st.uid !== uid ? `it belongs to uid ${st.uid}` : undefined;
    if (problem !== undefined) {
      fs.closeSync(fd);
      throw new HookError('ERR_UNSAFE_FILE', `refusing ${what} ${describe(path)}: ${problem}, in a directory others can write to`);
    }
  }
  return fd;
}

/**
 * Writes an assert capture as a new JSON file in `dir` and returns its path. Creates `dir` (mode
 * 0700) if missing and refuses one that is a symlink, not a directory, owned by another user or
 * writable by group/others; the file is created exclusively (never overwrites, mode 0600).
 * Throws on any failure; the caller contains it.
 */
export function writeCaptureFile(dir: string, site: string, time: number, content: unknown): string {
  const fs = nodeFs();
  const path = nodePath();
  if (fs === undefined || path === undefined) throw new Error('capture files need Node file access, which this runtime lacks');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  if (!st.isDirectory()) throw new HookError('ERR_UNSAFE_FILE', `capture directory ${dir} is not a directory (or is a symlink)`);
  const uid = hostProcess()?.getuid?.();
  if (uid !== undefined && st.uid !== uid)
    throw new HookError('ERR_UNSAFE_FILE', `capture directory ${dir} belongs to uid ${st.uid}, not to this user (${uid})`);
  if ((st.mode & 0o022) !== 0) throw new HookError('ERR_UNSAFE_FILE', `capture directory ${dir} is writable by group or others`);
  const safeSite = site.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60);
  const pid = hostProcess()?.pid ?? 0;
  const random = Math.random().toString(36).slice(2, 8);
  const file = path.join(dir, `assert-${safeSite}-${time}-${pid}-${random}.json`);
  fs.writeFileSync(file, JSON.stringify(content, null, 2) + '\n', { flag: 'wx', mode: 0o600 });
  return file;
}
