import type { parseArgs, ParseArgsConfig } from 'node:util';

// Built-ins through process.getBuiltinModule: an ES import builds each one's module facade at start.
const util = process.getBuiltinModule('node:util');
import { didYouMean } from '../core/suggest.ts';

/**
 * A usage or input error: the CLI prints its one-line reason and its code, and exits with code 2.
 * ERR_USAGE unless the check that found it has a code of its own (a probe spec refused before the
 * start has the code attaching it live would give).
 */
export class UsageError extends Error {
  readonly code: string;
  constructor(message: string, code = 'ERR_USAGE') {
    super(message);
    this.name = 'UsageError';
    this.code = code;
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The options every command has. */
export const commonOptions = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
} as const satisfies Options;

/**
 * Parses a command's arguments strictly (unknown options, missing values and an option of one
 * value given twice are UsageErrors in our own words). What follows `--` is positionals, or for
 * commands that run a program (`config.command`) the program: `rest`. For those, a missing `--`
 * is understood: the program starts at the first positional that `config.own` does not claim (by
 * default, the first positional), and everything from there on is the program's, options included.
 */
export function parse<O extends Options>(
  argv: string[],
  options: O,
  config: { command?: boolean; own?: (positional: string) => boolean } = {},
): { values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>['values']; positionals: string[]; rest: string[] } {
  let own = argv;
  let rest: string[] = [];
  // After `--` only positionals (a program's arguments, or for the other commands names that
  // start with "-": hookwire remove PID -- -x).
  let positionalsAfter: string[] = [];
  const dash = argv.indexOf('--');
  if (dash !== -1) {
    own = argv.slice(0, dash);
    if (config.command === true) rest = argv.slice(dash + 1);
    else positionalsAfter = argv.slice(dash + 1);
  } else if (config.command === true) {
    const start = commandStart(argv, options, config.own ?? (() => false));
    if (start !== -1) {
      own = argv.slice(0, start);
      rest = argv.slice(start);
    }
  }
  checkOptions(own, options);
  try {
    const parsed = util.parseArgs({ args: own, options, allowPositionals: true, strict: true });
    return { values: parsed.values as never, positionals: [...parsed.positionals, ...positionalsAfter], rest };
  } catch (error) {
    // Shapes checkOptions leaves to Node (grouped short flags and the like).
    throw new UsageError(oneLine((error as Error).message).replace(/\. To specify a positional argument.*$/u, ''));
  }
}

/** Index of the first positional that is not the command's own (nor an option's value), or -1. */
function commandStart(argv: string[], options: Options, own: (positional: string) => boolean): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('-') || arg === '-') {
      if (own(arg)) continue;
      return i;
    }
    if (arg.includes('=')) continue;
    if (optionFor(arg, options)?.type === 'string') i++;
  }
  return -1;
}

/** The option `arg` (`--name`, `--name=value` or `-x`) names, if any. */
function optionFor(arg: string, options: Options): Options[string] | undefined {
  if (arg.startsWith('--')) {
    const name = arg.slice(2).split('=')[0] ?? '';
    return Object.hasOwn(options, name) ? options[name] : undefined;
  }
  return Object.values(options).find((o) => o.short === arg.slice(1));
}

/**
 * Refuses unknown options, missing values, values given to flags, and an option that takes one
 * value given twice (which one was meant?), in one line each.
 */
function checkOptions(args: string[], options: Options): void {
  const given = new Set<Options[string]>();
  const once = (option: Options[string], name: string): void => {
    if (option.multiple === true) return;
    if (given.has(option)) throw new UsageError(`${name} is given more than once`);
    given.add(option);
  };
  const names = Object.keys(options).map((name) => `--${name}`);
  const unknown = (name: string): UsageError => {
    const hint = didYouMean(name, names);
    return new UsageError(`unknown option ${name}${hint === '' ? ` (options: ${names.join(', ')})` : hint}`);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('-') || arg === '-') continue;
    if (!arg.startsWith('--') && arg.length > 2) {
      // -abc: flags grouped, the last one may take the rest as its value (-p123).
      for (let j = 1; j < arg.length; j++) {
        const option = optionFor(`-${arg[j]}`, options);
        if (option === undefined) throw unknown(`-${arg[j]}`);
        if (option.type === 'string') {
          once(option, `-${arg[j]}`);
          break;
        }
      }
      continue;
    }
    const option = optionFor(arg, options);
    const name = arg.split('=')[0] ?? arg;
    if (option === undefined) throw unknown(name);
    const inline = arg.startsWith('--') && arg.includes('=');
    if (option.type === 'boolean' && inline) throw new UsageError(`${name} takes no value`);
    if (option.type === 'string') once(option, name);
    if (option.type === 'string' && !inline) {
      const value = args[i + 1];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      if (value.startsWith('-') && value !== '-') {
        throw new UsageError(
          `${name} needs a value${optionFor(value, options) === undefined ? ` (one that starts with "-" is given as ${name}=${value})` : ''}`,
        );
      }
      i++;
    }
  }
}

/**
 * `--format FORMAT` of the commands that write trace records to `--out`: `jsonl` (JSON lines, the
 * default) or `chrome` (a Chrome trace file, the Trace Event Format), which needs `--out`.
 */
export function traceFileFormat(format: string | undefined, out: string | undefined): 'chrome' | undefined {
  if (format === undefined || format === 'jsonl') return undefined;
  if (format !== 'chrome') throw new UsageError(`--format must be jsonl or chrome, got "${format}"`);
  if (out === undefined) throw new UsageError('--format chrome writes a file: give it with --out FILE.json');
  return 'chrome';
}

/** Parses a process id argument. */
export function pidArg(value: string | undefined, command: string): number {
  if (value === undefined) throw new UsageError(`${command} needs a process id (see hookwire ls)`);
  if (!/^\d{1,10}$/u.test(value) || Number(value) <= 0) throw new UsageError(`"${value}" is not a process id`);
  return Number(value);
}

/**
 * Makes an error message fit one line, and show any other control character it quotes (from the
 * user's own input: `hookwire $'\e[2J'`) as an escape rather than send it to the terminal.
 */
export function oneLine(text: string): string {
  return text
    .replace(/\s*\n\s*/gu, ' ')
    .trim()
    .replace(/\p{Cc}/gu, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
