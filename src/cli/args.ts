import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A usage or input error: the CLI prints its one-line reason and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The options every command has. */
export const commonOptions = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
} as const satisfies Options;

/**
 * Parses a command's arguments strictly (unknown options and missing values are UsageErrors).
 * `rest` is what followed `--`, or for commands that run a program, what followed the first
 * positional when no `--` was given.
 */
export function parse<O extends Options>(
  argv: string[],
  options: O,
  config: { command?: boolean } = {},
): { values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>['values']; positionals: string[]; rest: string[] } {
  let own = argv;
  let rest: string[] = [];
  const dash = argv.indexOf('--');
  if (dash !== -1) {
    own = argv.slice(0, dash);
    rest = argv.slice(dash + 1);
  } else if (config.command === true) {
    const start = firstPositional(argv, options);
    if (start !== -1) {
      own = argv.slice(0, start);
      rest = argv.slice(start);
    }
  }
  try {
    const parsed = parseArgs({ args: own, options, allowPositionals: true, strict: true });
    return { values: parsed.values as never, positionals: parsed.positionals, rest };
  } catch (error) {
    throw new UsageError(oneLine((error as Error).message));
  }
}

/** Index of the first argument that is neither an option nor an option's value, or -1. */
function firstPositional(argv: string[], options: Options): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('-') || arg === '-') return i;
    if (arg.includes('=')) continue;
    const long = arg.startsWith('--') ? arg.slice(2) : undefined;
    const spec = long !== undefined ? options[long] : Object.values(options).find((o) => o.short === arg.slice(1));
    if (spec?.type === 'string') i++;
  }
  return -1;
}

/** Parses a process id argument. */
export function pidArg(value: string | undefined, command: string): number {
  if (value === undefined) throw new UsageError(`${command} needs a process id (see hookwire ls)`);
  if (!/^\d{1,10}$/u.test(value) || Number(value) <= 0) throw new UsageError(`"${value}" is not a process id`);
  return Number(value);
}

/** Makes an error message fit one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/gu, ' ').trim();
}
