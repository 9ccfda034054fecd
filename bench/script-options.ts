/**
 * The command-line options of the scripts that time process starts (startup.ts, cli-start.ts,
 * esm-import.ts, experiments/start-marks.ts): `--rounds N`, `--node PATH`, and any other
 * `--name value` or flag.
 * Plain TypeScript that Node >= 22.6 runs by stripping types (esm-import.ts runs so).
 */
export interface ScriptOptions {
  /** The value after `name`, or undefined when `name` is not given. */
  option(name: string): string | undefined;
  /** Whether the flag `name` is given. */
  flag(name: string): boolean;
  /** `--rounds N`: a positive whole number (15 by default). */
  readonly rounds: number;
  /** `--node PATH`: the Node to start (this one by default). */
  readonly nodeBin: string;
}

/** Reads `argv` (this process's arguments by default); a bad `--rounds` is refused before anything runs. */
export function scriptOptions(argv: readonly string[] = process.argv.slice(2)): ScriptOptions {
  const option = (name: string): string | undefined => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const rounds = Number(option('--rounds') ?? 15);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds takes a positive whole number, not ${option('--rounds')}`);
  return { option, flag: (name) => argv.includes(name), rounds, nodeBin: option('--node') ?? process.execPath };
}
