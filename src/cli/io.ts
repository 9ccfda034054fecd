/** Where a command writes, and what it knows of its surroundings (tests pass their own). */
export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown };
  readonly env: NodeJS.ProcessEnv;
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
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}
