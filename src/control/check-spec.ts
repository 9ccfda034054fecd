/**
 * The one check of a probe spec before `hookwire run`/`trace` starts the program. A line spec
 * (`./lib/db.mjs:42`) only needs its file to have that line. Each other spec's module is resolved
 * as the agent will resolve it; a builtin is taken as it is, any other module is loaded (required,
 * or imported for an ES module), and the path is walked to a function. The CLI calls
 * {@link checkSpecWithoutLoading}, which answers every spec that needs nothing loaded (a malformed
 * spec, a line, a builtin, a module that does not resolve). A CommonJS module is checked by
 * {@link checkSpec} in the program's own agent before the program's first line (agent.ts: the
 * agent requires it at start to attach anyway), an ES module in the throwaway process of
 * cli/spec-check.ts (importing it early would run its code before the program's).
 */
import { describe, didYouMean } from '../core/internal.ts';
import { findProperty, openSlot } from '../probe/install.ts';
import { isEsm, resolveModule } from '../probe/loader.ts';
import { parseProbeSpec, type ProbeSpec } from '../probe/spec.ts';

// Built-ins through process.getBuiltinModule: an ES import builds each one's module facade at start.
const { readdirSync, readFileSync } = process.getBuiltinModule('node:fs');
const { createRequire, isBuiltin } = process.getBuiltinModule('node:module');
const { dirname, join, resolve } = process.getBuiltinModule('node:path');
const { pathToFileURL } = process.getBuiltinModule('node:url');

/**
 * What the check found for one spec: `{ unchecked }` when the module could not be loaded on its
 * own; an error has the code attaching the same spec live would give (ERR_PROBE_TARGET, …).
 */
export type SpecCheck = { ok: true } | { error: string; code: string } | { unchecked: string };

/** A refusal: `code` as the probe engine names it (a path that names no function, by default). */
function refuse(error: string, code = 'ERR_PROBE_TARGET'): SpecCheck {
  return { error, code };
}

/** The code a thrown error carries (the engine's HookErrors do), else ERR_PROBE_TARGET. */
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'ERR_PROBE_TARGET';
}

/**
 * Checks `spec` as far as that runs none of the program's code: its form, a line spec's file, a
 * builtin's export path, whether the module resolves. Undefined when the answer needs the module
 * loaded (in the throwaway process, {@link checkSpec}).
 */
export function checkSpecWithoutLoading(spec: string): SpecCheck | undefined {
  const found = resolveSpec(spec);
  if ('check' in found) return found.check;
  if (found.file !== undefined) return undefined;
  return walkPath(process.getBuiltinModule(found.parsed.module), found.parsed);
}

/**
 * Whether checking `spec` whole would import an ES module (its code would run before the
 * program's own imports): such a spec is checked in a throwaway process instead of the agent.
 */
export function checkImportsEsModule(spec: string): boolean {
  const found = resolveSpec(spec);
  return !('check' in found) && found.file !== undefined && isEsm(found.file);
}

/** Checks `spec` whole, loading its module (required, or imported for an ES module) when it is not built in. */
export async function checkSpec(spec: string): Promise<SpecCheck> {
  const found = resolveSpec(spec);
  if ('check' in found) return found.check;
  const { parsed, file } = found;
  if (file === undefined) return walkPath(process.getBuiltinModule(parsed.module), parsed);
  let exports: unknown;
  try {
    exports = isEsm(file) ? await import(pathToFileURL(file).href) : createRequire(join(process.cwd(), 'hookwire-check.js'))(file);
  } catch (error) {
    return { unchecked: `loading ${parsed.module} on its own threw: ${String(error)}` };
  }
  return walkPath(exports, parsed);
}

/** The spec parsed and its module's file (undefined for a builtin), or the check's answer already. */
function resolveSpec(spec: string): { check: SpecCheck } | { parsed: ProbeSpec; file: string | undefined } {
  let parsed;
  try {
    parsed = parseProbeSpec(spec);
  } catch (error) {
    return { check: refuse((error as Error).message, codeOf(error)) };
  }
  if (parsed.line !== undefined) return { check: checkLine(parsed.module, parsed.line) };
  if (isBuiltin(parsed.module)) return { parsed, file: undefined };
  try {
    return { parsed, file: resolveModule(parsed.module) };
  } catch (error) {
    return { check: refuse(`${(error as Error).message}${nearFile(parsed.module)}`, codeOf(error)) };
  }
}

/**
 * Walks the spec's export path from the module's exports to a function, and asks the probe engine
 * whether it could replace that function (openSlot: a JavaScript built-in, a frozen property, an
 * inherited one on a sealed object are refused there, so they are refused here alike).
 */
function walkPath(exports: unknown, { path, module, spec }: ProbeSpec): SpecCheck {
  let at = exports;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const where = i === 0 ? `module ${module}` : path.slice(0, i).join('.');
    if ((typeof at !== 'object' && typeof at !== 'function') || at === null) return refuse(`${where} is ${describe(at)}, not an object`);
    if (!(key in at)) return refuse(`${where} has no ${describe(key)}${didYouMean(key, propertyNames(at))}`);
    if (i === path.length - 1) return lastStep(at, key, path, module, spec);
    try {
      at = (at as Record<string, unknown>)[key];
    } catch (error) {
      return { unchecked: `reading ${path.slice(0, i + 1).join('.')} threw: ${String(error)}` };
    }
  }
  return refuse(`${spec} names no function`);
}

/** The last step: a data property must hold a function; then the probe engine's own rule (nothing is changed). */
function lastStep(holder: object, key: string, path: readonly string[], module: string, spec: string): SpecCheck {
  const { found } = findProperty(holder, key);
  if (found !== undefined && 'value' in found && typeof found.value !== 'function') {
    return refuse(`${path.join('.')} in ${module} is ${kindOf(found.value)}, not a function`);
  }
  // An ES module's export is probed where the loader rewrites the module, not on its namespace.
  if (Object.prototype.toString.call(holder) === '[object Module]') return { ok: true };
  try {
    openSlot(holder, key, undefined, spec);
  } catch (error) {
    return refuse((error as Error).message.replace(`cannot probe ${spec}: `, ''), codeOf(error));
  }
  return { ok: true };
}

/** A line spec: its file must exist and have that line (nothing is loaded). */
function checkLine(module: string, line: number): SpecCheck {
  if (isBuiltin(module)) return refuse(`a line probe needs a file, and ${module} is built in`);
  let file: string;
  try {
    file = resolveModule(module);
  } catch (error) {
    return refuse(`${(error as Error).message}${nearFile(module)}`, codeOf(error));
  }
  const lines = readFileSync(file, 'utf8').split('\n').length;
  return line > lines ? refuse(`line ${line} is past the end of ${file} (${lines} lines)`) : { ok: true };
}

/** Own and inherited property names, up to (not including) the built-in prototypes. */
function propertyNames(value: object): Set<string> {
  const names = new Set<string>();
  for (
    let at: object | null = value;
    at !== null && at !== Object.prototype && at !== Function.prototype;
    at = Object.getPrototypeOf(at) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(at)) names.add(name);
  }
  return names;
}

/** `a string ("2.0.0")`, `an object`, `undefined`: what a value is, for a message. */
function kindOf(value: unknown): string {
  if (value === undefined || value === null || typeof value === 'object') return describe(value);
  return `a ${typeof value} (${describe(value)})`;
}

/** For a missing relative or absolute file, a near name in its directory (`./pricing.js` → `pricing.cjs`). */
function nearFile(module: string): string {
  if (!/^(?:\.{1,2}\/|\/)/u.test(module)) return '';
  try {
    const dir = dirname(module);
    return didYouMean(
      module,
      readdirSync(resolve(dir)).map((entry) => `${dir}/${entry}`),
    );
  } catch {
    return '';
  }
}
