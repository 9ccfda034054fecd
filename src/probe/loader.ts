/**
 * Probe specs (`module#path`, `file:line`) resolved and attached. Builtins and CommonJS modules
 * are handled here, with `require`; source lines and ES modules need the inspector, the module
 * hooks and the binding views, which esm-specs.ts brings: given at once by the public doors, by
 * the agent only when a spec needs them ({@link prepareProbeSpec}, issue 8).
 */
import { HookError } from '../core/index.ts';
import { REGISTERED } from './esm-demand.ts';
import { builtin, hostProcess, type Builtins } from './host.ts';
import type { ProbeImpl } from './probe.ts';
import { watchRequire } from './require-watch.ts';
import { parseProbeSpec, walkPath, type ProbeSpec } from './spec.ts';

export { REGISTERED };

/** The line and ES module branches of a spec (esm-specs.ts). */
export interface EsmSpecs {
  /** Attaches `probe` to the source line `parsed` names in `file` (a breakpoint probe). */
  attachLine(probe: ProbeImpl, parsed: ProbeSpec, file: string): void;
  /** Attaches `probe` to the export `parsed` names of the ES module `file`. */
  attachEsm(probe: ProbeImpl, parsed: ProbeSpec, file: string): void;
}

let esmSpecs: EsmSpecs | undefined;

/** Gives this loader the line and ES module branches (esm-specs.ts's `ESM_SPECS`). */
export function useEsmSpecs(specs: EsmSpecs): void {
  esmSpecs = specs;
}

/**
 * Loads what attaching the spec `text` needs beyond `require` (the line and ES module branches),
 * if it needs it: the agent awaits this before attaching. Never rejects: a spec that cannot be
 * parsed or resolved is refused, with its reason, when it is attached.
 */
export async function prepareProbeSpec(text: string): Promise<void> {
  if (esmSpecs !== undefined) return;
  let needed: boolean;
  try {
    const parsed = parseProbeSpec(text);
    needed = parsed.line !== undefined || (!node().isBuiltin(parsed.module) && isEsm(resolveModule(parsed.module)));
  } catch {
    return;
  }
  if (needed) useEsmSpecs((await import('./esm-specs.ts')).ESM_SPECS);
}

/** The line and ES module branches, or ERR_PROBE_LOADER where they were neither given nor prepared. */
function esm(parsed: ProbeSpec): EsmSpecs {
  if (esmSpecs !== undefined) return esmSpecs;
  throw new HookError('ERR_PROBE_LOADER', `probe spec "${parsed.spec}": line and ES module probes are not loaded here (prepareProbeSpec first)`);
}

/** What probe specs need of Node (>= 20.16), from the host module. */
interface NodeApi {
  readFileSync: Builtins['node:fs']['readFileSync'];
  createRequire: Builtins['node:module']['createRequire'];
  isBuiltin: Builtins['node:module']['isBuiltin'];
  syncBuiltinESMExports: Builtins['node:module']['syncBuiltinESMExports'];
  path: Builtins['node:path'];
  url: Builtins['node:url'];
  cwd: () => string;
  here: NodeJS.Require;
}
let nodeApi: NodeApi | undefined;

function node(): NodeApi {
  if (nodeApi !== undefined) return nodeApi;
  const fs = builtin('node:fs');
  const module = builtin('node:module');
  const path = builtin('node:path');
  const url = builtin('node:url');
  const proc = hostProcess();
  if (fs === undefined || module === undefined || path === undefined || url === undefined || typeof proc?.cwd !== 'function') {
    throw new HookError('ERR_PROBE_LOADER', 'probe specs need Node.js >= 20.16 (process.getBuiltinModule); use probe(target, key, …) elsewhere');
  }
  nodeApi = {
    readFileSync: fs.readFileSync,
    createRequire: module.createRequire,
    isBuiltin: module.isBuiltin,
    syncBuiltinESMExports: module.syncBuiltinESMExports,
    path,
    url,
    cwd: proc.cwd.bind(proc),
    here: module.createRequire(import.meta.url),
  };
  return nodeApi;
}

/** Whether `hookwire/register` installed the ES module hooks in this thread. */
export function esmLoaderActive(): boolean {
  return (globalThis as Record<symbol, unknown>)[REGISTERED] === true;
}

/**
 * Attaches `probe` to the function `parsed` names, now if its module is loaded or loadable
 * synchronously (builtins, CommonJS, ES modules whose bindings the hooks handed over), else when
 * it loads.
 * Throws HookError (nothing changed) for a module that cannot be found, a path that names nothing,
 * or an ESM module without `hookwire/register`.
 */
export function attachSpec(probe: ProbeImpl, parsed: ProbeSpec, options: { load?: boolean } = {}): void {
  const { module } = parsed;
  const { isBuiltin, here, syncBuiltinESMExports } = node();
  if (parsed.line !== undefined) {
    if (isBuiltin(module)) throw new HookError('ERR_PROBE_TARGET', `probe spec "${parsed.spec}": a line probe needs a file, and ${module} is built in`);
    esm(parsed).attachLine(probe, parsed, resolveModule(module));
    return;
  }
  if (isBuiltin(module)) {
    const exports = here(module) as unknown;
    const { target, key } = walkPath(exports, parsed);
    probe.attach(target, key, `${parsed.spec}`, parsed.spec, syncBuiltinESMExports);
    return;
  }
  const file = resolveModule(module);
  if (isEsm(file)) {
    esm(parsed).attachEsm(probe, parsed, file);
    return;
  }
  // With load: false (the control socket), a CommonJS file nobody required yet is not loaded:
  // the probe stays pending and attaches when the program requires it.
  if (options.load === false && !cjsLoaded(file)) {
    watchCjs(probe, parsed, file);
    return;
  }
  // CommonJS: load (or take from the cache) and attach now.
  const exports = here(file) as unknown;
  const { target, key } = walkPath(exports, parsed);
  probe.attach(target, key, parsed.spec, parsed.spec);
  watchCjs(probe, parsed, file);
}

/** Whether the CommonJS module at `file` is in require's cache (loaded, or loading). */
function cjsLoaded(file: string): boolean {
  return Object.prototype.hasOwnProperty.call(node().here.cache, file);
}

/** Resolves a module specifier against process.cwd(); ERR_MODULE_NOT_FOUND if it names no file. */
export function resolveModule(module: string): string {
  const { createRequire, path, url, cwd: currentDir } = node();
  const { isAbsolute, join, resolve: resolvePath } = path;
  const fileURLToPath = url.fileURLToPath;
  const cwd = currentDir();
  const req = createRequire(join(cwd, 'hookwire-probe.js'));
  let request = module;
  if (module.startsWith('file:')) request = fileURLToPath(module);
  else if (module.startsWith('./') || module.startsWith('../') || module === '.' || module === '..') request = resolvePath(cwd, module);
  try {
    return req.resolve(isAbsolute(request) ? request : module);
  } catch (error) {
    throw new HookError('ERR_MODULE_NOT_FOUND', `cannot find module "${module}" (resolved from ${cwd})`, { cause: error });
  }
}

/** Whether Node loads `file` as an ES module (.mjs, or .js under a package.json with "type": "module"). */
export function isEsm(file: string): boolean {
  const { readFileSync, path } = node();
  const { dirname, join } = path;
  if (file.endsWith('.mjs') || file.endsWith('.mts')) return true;
  if (!file.endsWith('.js') && !file.endsWith('.ts')) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: unknown };
      return pkg.type === 'module';
    } catch {
      // no (readable) package.json here: look further up
    }
    if (dirname(dir) === dir) return false;
  }
}

/** Attaches to what `parsed` names from `root`; throws with `primary`, else reports the failure as a fault. */
export function attachTo(probe: ProbeImpl, parsed: ProbeSpec, root: unknown, primary: boolean): void {
  try {
    const { target, key } = walkPath(root, parsed);
    probe.attach(target, key, parsed.spec, parsed.spec);
  } catch (error) {
    if (primary) throw error;
    probe._opts.registry._reportFault(probe.hook, probe.name, error);
  }
}

const pendingReasons = new WeakMap<ProbeImpl, string>();

/** Records why a pending probe waits (a late ES module waiting for its namespace). */
export function setPendingReason(probe: ProbeImpl, reason: string): void {
  pendingReasons.set(probe, reason);
}

/** `require(file)` from this module: a CommonJS module's exports, or a finished ES module's namespace. */
export function requireFile(file: string): unknown {
  return node().here(file);
}

/** Why a pending spec probe waits, when the wait has a reason beyond "not loaded yet" (a late ES module). */
export function pendingReason(probe: ProbeImpl): string | undefined {
  return probe.status === 'pending' ? pendingReasons.get(probe) : undefined;
}

/**
 * Watches `require` for `file` (require-watch.ts): whenever a `require()` of it hands out exports
 * this probe is not on yet (a fresh instance evaluated after its cache entry was deleted, or an
 * object assigned to `require.cache[file].exports`), the probe follows to them; the objects it is
 * already on keep it. Each exports object is tried once, so a path that names nothing there is
 * reported once. `require()` itself returns exactly what it would without hookwire.
 */
function watchCjs(probe: ProbeImpl, parsed: ProbeSpec, file: string): void {
  const tried = new WeakSet<object>();
  const stop = watchRequire(file, (exports) => {
    if (tried.has(exports)) return;
    tried.add(exports);
    try {
      const { target, key } = walkPath(exports, parsed);
      probe.attach(target, key, parsed.spec, parsed.spec);
    } catch (error) {
      probe._opts.registry._reportFault(probe.hook, probe.name, error);
    }
  });
  probe._cleanups.push(stop);
}
