/** Where a command writes, and what it knows of its surroundings (tests pass their own). */
export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown };
  readonly env: NodeJS.ProcessEnv;
  /**
   * Ends this process by `signal` once what was written is out (`hookwire run` passing on the
   * signal that ended the program). Tests leave it out: the command then resolves to its code.
   */
  readonly raise?: (signal: NodeJS.Signals) => void;
  /**
   * The CLI is this process's own entry: `hookwire run` may hand the process over to the program
   * (run-here.ts). Tests that call a command in their own process leave it out.
   */
  readonly ownProcess?: boolean;
}

/** A command of the `hookwire` CLI. */
export interface Command {
  readonly name: string;
  /** One line for `hookwire --help`. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly help: string;
  /** Runs the command; resolves to the exit code (0 ok, 1 the traced program failed, 2 usage or input error). */
  run(argv: string[], io: Io): Promise<number>;
}

/** The process's own streams and environment. */
export function processIo(): Io {
  // Each stream is made when first read, as Node makes them (a few milliseconds each): a command
  // that writes to one of them does not pay for the other, and a process `hookwire run` hands over
  // to a program leaves the rest as Node leaves them for a program.
  return {
    get stdout() {
      return process.stdout;
    },
    get stderr() {
      return process.stderr;
    },
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    raise: raiseSignal,
    ownProcess: true,
  };
}

/**
 * Calls `fn` (once) when `stream` can no longer be written: its reader went away (`hookwire trace
 * --pid … | head -1`: EPIPE) or it failed. A command that streams output stops cleanly then (and
 * removes what it attached), where the error would otherwise end the process unhandled.
 */
export function whenClosed(stream: NodeJS.WritableStream, fn: () => void): void {
  let called = false;
  stream.on('error', () => {
    if (called) return;
    called = true;
    fn();
  });
}

function raiseSignal(signal: NodeJS.Signals): void {
  // After both streams have written everything before this point.
  process.stdout.write('', () =>
    process.stderr.write('', () => {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }),
  );
}
