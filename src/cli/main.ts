#!/usr/bin/env node
/**
 * The `hookwire` command: trace and steer a running Node program without editing it.
 * Exit codes: 0 ok, 1 the traced program failed, 2 usage or input error (with a one-line reason).
 */
import type { Command, Io } from './io.ts';

// Built-ins through process.getBuiltinModule: an ES import builds each one's module facade at start.
const { readFileSync, realpathSync } = process.getBuiltinModule('node:fs');
const { pathToFileURL } = process.getBuiltinModule('node:url');
const { join } = process.getBuiltinModule('node:path');

/**
 * Every command by name, in the order `--help` lists them, each loaded only when it runs (or for
 * the help text): a command's module brings in what it uses, and `hookwire run` should not pay
 * for the UI server or the inspector client at start.
 */
const loaders: Readonly<Record<string, () => Promise<Command>>> = {
  run: async () => (await import('./run.ts')).run,
  trace: async () => (await import('./trace.ts')).trace,
  ls: async () => (await import('./ls.ts')).ls,
  top: async () => (await import('./top.ts')).top,
  attach: async () => (await import('./attach.ts')).attach,
  arm: async () => (await import('./arm.ts')).arm,
  disarm: async () => (await import('./disarm.ts')).disarm,
  remove: async () => (await import('./remove.ts')).remove,
  ui: async () => (await import('./ui.ts')).ui,
};

/** The command names, in the order `--help` lists them. */
export const commandNames: readonly string[] = Object.keys(loaders);

/** Every command, loaded, in the order `--help` lists them. */
export function loadCommands(): Promise<Command[]> {
  return Promise.all(commandNames.map((name) => loaders[name]!()));
}

function usage(commands: readonly Command[]): string {
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
export async function main(argv: string[], io?: Io): Promise<number> {
  // Loaded here rather than imported above, so that the entry can turn the compile cache on first;
  // the core's small doors, not its index: `hookwire ls` or `--version` needs no hooks.
  const [{ HookError }, { didYouMean }, { oneLine, UsageError }, { processIo }] = await Promise.all([
    import('../core/errors.ts'),
    import('../core/suggest.ts'),
    import('./args.ts'),
    import('./io.ts'),
  ]);
  io ??= processIo();
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const load = name === 'help' && rest[0] !== undefined && Object.hasOwn(loaders, rest[0]) ? loaders[rest[0]] : undefined;
    io.stdout.write(`${load === undefined ? usage(await loadCommands()) : (await load()).help}\n`);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  if (!Object.hasOwn(loaders, name)) {
    const hint = didYouMean(name, commandNames);
    io.stderr.write(`${oneLine(`hookwire: unknown command "${name}"${hint === '' ? ` (commands: ${commandNames.join(', ')})` : hint}`)} (ERR_USAGE)\n`);
    return 2;
  }
  try {
    const command = await loaders[name]!();
    return await command.run(rest, io);
  } catch (error) {
    // Every line ends with its code: ERR_USAGE, the agent's or the engine's, or the system's (EACCES).
    const code = error instanceof UsageError || error instanceof HookError ? error.code : (error as { code?: unknown } | null)?.code;
    const reason = oneLine(error instanceof Error ? error.message : String(error));
    io.stderr.write(`hookwire ${name}: ${reason}${typeof code === 'string' ? ` (${code})` : ''}\n`);
    return 2;
  }
}

function version(): string {
  try {
    // The same path from src/cli/main.ts and from dist/cli/main.js (an entry keeps its own file).
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

// Run when executed (not when imported by tests).
if (process.argv[1] !== undefined && import.meta.url.endsWith('/cli/main.js') && isEntry()) {
  // Not for the commands that run a program: their process may become the program's (run-here.ts).
  if (process.argv[2] !== 'run' && process.argv[2] !== 'trace') await useCompileCache();
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

/**
 * Node's compile cache (Node >= 22.1) for this process, which loads only hookwire's own modules
 * (never for `run` and `trace`, whose process may be handed over to the program):
 * in the runtime directory (private, per user), never in the user's project (issue 8). It is not
 * passed on: `module.enableCompileCache` sets no environment variable, so the program `hookwire
 * run` starts keeps its own choice (NODE_COMPILE_CACHE, or none). A cache the user turned on for
 * this process too (NODE_COMPILE_CACHE) or off (NODE_DISABLE_COMPILE_CACHE) wins. Any failure
 * only means no cache.
 */
async function useCompileCache(): Promise<void> {
  const { enableCompileCache } = process.getBuiltinModule('node:module') as { enableCompileCache?: (dir: string) => unknown };
  if (typeof enableCompileCache !== 'function' || process.env['NODE_COMPILE_CACHE'] !== undefined) return;
  try {
    const { ensureRuntimeDir } = await import('../control/runtime-dir.ts');
    enableCompileCache(join(ensureRuntimeDir(), 'compile-cache'));
  } catch {
    // No private directory: no cache.
  }
}
