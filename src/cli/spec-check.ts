/**
 * The child process that checks probe specs before `hookwire run`/`trace` starts the program:
 * `node spec-check.js '["semver#valid", …]'`, run in the program's working directory. A line spec
 * (`./lib/db.mjs:42`) only needs its file to have that line. Each other spec's
 * module is resolved as the agent will resolve it; a builtin is taken as it is, any other module is
 * loaded (required, or imported for an ES module), and the path is walked to a function. This runs
 * the module's top-level code, which is why it happens here, in a throwaway process, and never in
 * the program or in the CLI. One JSON line per spec goes to file descriptor 3:
 * `{ "error": "…" }` for a spec that cannot work, `{ "ok": true }`, or `{ "unchecked": "…" }` when
 * the module could not be loaded on its own (the agent will tell at run time).
 */
import { readdirSync, readFileSync, writeSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, didYouMean } from '../core/internal.ts';
import { isEsm, resolveModule } from '../probe/loader.ts';
import { parseProbeSpec } from '../probe/spec.ts';

/** What the check found for one spec. */
export type SpecCheck = { ok: true } | { error: string } | { unchecked: string };

const specs = JSON.parse(process.argv[2] ?? '[]') as string[];
for (const spec of specs) writeSync(3, `${JSON.stringify(await check(spec))}\n`);
// The modules loaded may hold the event loop open (a server, a timer): the answers are out.
process.exit(0);

async function check(spec: string): Promise<SpecCheck> {
  let parsed;
  try {
    parsed = parseProbeSpec(spec);
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (parsed.line !== undefined) return checkLine(parsed.module, parsed.line);
  let exports: unknown;
  const require = createRequire(join(process.cwd(), 'hookwire-check.js'));
  if (isBuiltin(parsed.module)) exports = require(parsed.module);
  else {
    let file: string;
    try {
      file = resolveModule(parsed.module);
    } catch (error) {
      return { error: `${(error as Error).message}${nearFile(parsed.module)}` };
    }
    try {
      exports = isEsm(file) ? await import(pathToFileURL(file).href) : require(file);
    } catch (error) {
      return { unchecked: `loading ${parsed.module} on its own threw: ${String(error)}` };
    }
  }
  let at = exports;
  const { path, module } = parsed;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const where = i === 0 ? `module ${module}` : path.slice(0, i).join('.');
    if ((typeof at !== 'object' && typeof at !== 'function') || at === null) return { error: `${where} is ${describe(at)}, not an object` };
    if (!(key in at)) return { error: `${where} has no ${describe(key)}${didYouMean(key, propertyNames(at))}` };
    try {
      at = (at as Record<string, unknown>)[key];
    } catch (error) {
      return { unchecked: `reading ${path.slice(0, i + 1).join('.')} threw: ${String(error)}` };
    }
  }
  if (typeof at !== 'function') return { error: `${path.join('.')} in ${module} is ${kindOf(at)}, not a function` };
  return { ok: true };
}

/** A line spec: its file must exist and have that line (nothing is loaded). */
function checkLine(module: string, line: number): SpecCheck {
  if (isBuiltin(module)) return { error: `a line probe needs a file, and ${module} is built in` };
  let file: string;
  try {
    file = resolveModule(module);
  } catch (error) {
    return { error: `${(error as Error).message}${nearFile(module)}` };
  }
  const lines = readFileSync(file, 'utf8').split('\n').length;
  return line > lines ? { error: `line ${line} is past the end of ${file} (${lines} lines)` } : { ok: true };
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
