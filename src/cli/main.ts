#!/usr/bin/env node
/**
 * The `hookwire` command: trace and steer a running Node program without editing it.
 * Exit codes: 0 ok, 1 the traced program failed, 2 usage or input error (with a one-line reason).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { HookError } from '../core/index.ts';
import { didYouMean } from '../core/internal.ts';
import { oneLine, UsageError } from './args.ts';
import { arm } from './arm.ts';
import { attach } from './attach.ts';
import { disarm } from './disarm.ts';
import { processIo, type Command, type Io } from './io.ts';
import { ls } from './ls.ts';
import { remove } from './remove.ts';
import { run } from './run.ts';
import { top } from './top.ts';
import { trace } from './trace.ts';
import { ui } from './ui.ts';

/** Every command, in the order `--help` lists them. */
export const commands: readonly Command[] = [run, trace, ls, top, attach, arm, disarm, remove, ui];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: hookwire <command> [options]',
    '',
    'Trace and steer a Node program: probes on any function, exits on declared hooks,',
    'live control over a private socket.',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "hookwire <command> --help shows a command's options. Start with:",
    '  hookwire trace ./lib/db.js#query -- node app.js',
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    io.stdout.write(`${topic?.help ?? usage()}\n`);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    const names = commands.map((c) => c.name);
    const hint = didYouMean(name, names);
    io.stderr.write(`hookwire: unknown command "${name}"${hint === '' ? ` (commands: ${names.join(', ')})` : hint}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) io.stderr.write(`hookwire ${name}: ${oneLine(error.message)}\n`);
    else if (error instanceof HookError) io.stderr.write(`hookwire ${name}: ${oneLine(error.message)} (${error.code})\n`);
    else io.stderr.write(`hookwire ${name}: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
    return 2;
  }
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

// Run when executed (not when imported by tests).
if (process.argv[1] !== undefined && import.meta.url.endsWith('/cli/main.js') && isEntry()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`hookwire: ${String(error)}\n`);
      process.exitCode = 2;
    },
  );
}

function isEntry(): boolean {
  try {
    return pathToFileURL(realpathSync(process.argv[1] as string)).href === import.meta.url;
  } catch {
    return false;
  }
}
