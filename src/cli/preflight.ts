/**
 * What `hookwire run` and `trace` check before the program starts, so that a mistake ends the
 * command at once (exit code 2, one line) instead of surfacing in the program's output: the
 * control mode and the runtime directory, the `--out` file's directory, each attachment as the agent's server checks one
 * (and a trace sink's file), and every probe spec (control/check-spec.ts): here
 * when that loads nothing; a CommonJS module's spec by the program's agent before the program's
 * first line (it requires the module at start anyway; runner.ts reads its refusal), which saves
 * a whole Node start (issue 8); an ES module's spec in a child process (spec-check.ts) in the
 * program's working directory. Hook names cannot be checked before the program declares them;
 * they are reported at exit if they never attached.
 */
import { parseControlMode } from '../control/agent-config.ts';
import { ensureRuntimeDir, runtimeDir } from '../control/runtime-dir.ts';
import { HookError } from '../core/errors.ts';
import type { AttachRequest } from '../control/protocol.ts';
import { validateAttachRequest } from '../control/requests.ts';
import { isProbeSpecText } from '../probe/spec.ts';
import { UsageError } from './args.ts';
import { checkImportsEsModule, checkSpecWithoutLoading, type SpecCheck } from '../control/check-spec.ts';
import { ownFile } from '../probe/own-files.ts';

// Built-ins through process.getBuiltinModule: an ES import builds each one's module facade at start.
// (node:child_process only for the throwaway process: ~3 ms, which most runs never need.)
const { accessSync, constants, statSync } = process.getBuiltinModule('node:fs');
const { dirname, resolve } = process.getBuiltinModule('node:path');
const { fileURLToPath } = process.getBuiltinModule('node:url');

/** Longest the spec check may take (a module that never finishes loading is left unchecked). */
const CHECK_TIMEOUT_MS = 15_000;

/**
 * Throws a UsageError for the first problem found in `--control`, `--out` or a probe spec.
 * Returns the specs left for the program's agent to check (`HOOKWIRE_CHECK`).
 */
export function preflight(requests: readonly AttachRequest[], options: { out?: string; control?: string }, env: NodeJS.ProcessEnv): string[] {
  if (options.control !== undefined) {
    const mode = parseControlMode(options.control);
    if (typeof mode === 'string') throw new UsageError(`--control ${mode}`);
  }
  checkRuntimeDirFor(options.control ?? env['HOOKWIRE_CONTROL'], env);
  if (options.out !== undefined) checkOutFile(options.out, `--out ${options.out}`);
  for (const request of requests) checkRequest(request);
  const specs = [...new Set(requests.map((r) => probeSpecOf(r.target)).filter((s): s is string => s !== undefined))];
  if (specs.length === 0) return [];
  // What needs nothing loaded is answered here; of the specs up to the first refusal found here
  // that need their module loaded, the CommonJS ones go to the program's agent and the ES ones to
  // the throwaway process (~100 ms).
  // (Only under the same NODE_OPTIONS as the program's: its --conditions, say, change resolution;
  // else every such spec goes to the throwaway process, which runs under them.)
  const here = env['NODE_OPTIONS'] === process.env['NODE_OPTIONS'];
  const results = specs.map((spec) => (here ? answerHere(spec) : undefined));
  const refused = results.findIndex((r) => r !== undefined && 'error' in r);
  const agent: string[] = [];
  for (const [i, spec] of specs.entries()) {
    if (here && results[i] === undefined && (refused === -1 || i < refused) && !importsEsModule(spec)) {
      agent.push(spec);
      results[i] = { unchecked: 'checked by the agent' };
    }
  }
  const toLoad = specs.filter((_, i) => results[i] === undefined && (refused === -1 || i < refused));
  if (toLoad.length > 0) {
    const loaded = checkSpecs(toLoad, env);
    let next = 0;
    for (const [i, r] of results.entries()) if (r === undefined && (refused === -1 || i < refused)) results[i] = loaded[next++];
  }
  for (const [i, spec] of specs.entries()) {
    const result = results[i];
    if (result !== undefined && 'error' in result) throw new UsageError(`${spec}: ${result.error}`, result.code);
  }
  return agent;
}

/**
 * The agent's socket goes in the runtime directory: one it cannot use (another user's, open to
 * the group, not a directory) is refused here, as the agent would, instead of the program
 * running without control. Creates it when missing, as the agent would.
 */
function checkRuntimeDirFor(control: string | undefined, env: NodeJS.ProcessEnv): void {
  const mode = parseControlMode(control ?? 'unix');
  if (typeof mode === 'string' || !mode.unix) return; // a malformed HOOKWIRE_CONTROL is the agent's to report
  try {
    ensureRuntimeDir(runtimeDir(env));
  } catch (error) {
    if (!(error instanceof HookError)) throw error;
    throw new UsageError(`no control socket: ${error.message}; or run with --control off`, error.code);
  }
}

/** checkImportsEsModule; true (the throwaway process) when that failed unexpectedly here. */
function importsEsModule(spec: string): boolean {
  try {
    return checkImportsEsModule(spec);
  } catch {
    return true;
  }
}

/** checkSpecWithoutLoading, leaving to the child what failed unexpectedly here (it reads files). */
function answerHere(spec: string): SpecCheck | undefined {
  try {
    return checkSpecWithoutLoading(spec);
  } catch {
    return undefined;
  }
}

/** The probe spec a target names (`probe:SPEC`, `MODULE#PATH` or `FILE:LINE`), else undefined (a hook name). */
function probeSpecOf(target: string): string | undefined {
  if (target.startsWith('probe:')) return target.slice('probe:'.length);
  return isProbeSpecText(target) ? target : undefined;
}

/**
 * One attachment as the agent will take it: the server's own check of an attach request (the exit
 * spec's fields and ranges: `trace --every` past 1e9), and a trace exit's file sink writable.
 */
function checkRequest(request: AttachRequest): void {
  let exit;
  try {
    exit = validateAttachRequest(request).exit;
  } catch (error) {
    throw new UsageError(`${request.target}: ${(error as Error).message}`, (error as { code?: string }).code);
  }
  const sink = exit['sink'];
  if (typeof sink !== 'object' || sink === null) return;
  for (const field of ['file', 'chrome'] as const) {
    const file = (sink as Record<string, unknown>)[field];
    if (typeof file === 'string') checkOutFile(file, `${request.target}: trace sink "${field}" ${file}`);
  }
}

/** A file to write (`--out FILE`, a trace sink): its directory must exist and be writable; an existing file must be a writable file. */
function checkOutFile(out: string, what: string): void {
  const file = resolve(out);
  const dir = dirname(file);
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${what}: ${dir} is not a directory`);
    accessSync(dir, constants.W_OK);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${what}: cannot write in ${dir} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const existing = statSync(file, { throwIfNoEntry: false });
  if (existing === undefined) return;
  if (existing.isDirectory()) throw new UsageError(`${what}: is a directory`);
  try {
    accessSync(file, constants.W_OK);
  } catch (error) {
    throw new UsageError(`${what}: cannot write to it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** Runs `spec-check.js` in this working directory; one result per spec (fewer if it died early). */
function checkSpecs(specs: string[], env: NodeJS.ProcessEnv): SpecCheck[] {
  // The built checker, also when this runs from src/ under a TypeScript loader (as for the agent).
  const script = ownFile('cli/spec-check.js');
  // An agent inherited through NODE_OPTIONS (hookwire run around this command) must stay idle
  // in the checker: no socket, no attachments, no summary for the outer run to read.
  const quiet: NodeJS.ProcessEnv = { ...env, HOOKWIRE_CONTROL: 'off' };
  for (const name of ['HOOKWIRE_ATTACH', 'HOOKWIRE_SUMMARY_DIR', 'HOOKWIRE_TRACE_FILE']) delete quiet[name];
  const child = process.getBuiltinModule('node:child_process').spawnSync(process.execPath, [fileURLToPath(script), JSON.stringify(specs)], {
    env: quiet,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    timeout: CHECK_TIMEOUT_MS,
    maxBuffer: 1024 * 1024,
  });
  const output = child.output?.[3];
  const text = output === null || output === undefined ? '' : output.toString('utf8');
  const results: SpecCheck[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      results.push(JSON.parse(line) as SpecCheck);
    } catch {
      break;
    }
  }
  return results;
}
