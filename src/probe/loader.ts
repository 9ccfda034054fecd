import { HookError } from '../core/index.ts';
import { attachLateExport, attachLine } from './breakpoint-site.ts';
import { preloadedBeforeHooks, scriptLoaded } from './breakpoint-session.ts';
import { esmRegistry, REGISTERED, type EsmWatcher } from './esm-bindings.ts';
import { ensureEsmHooks, esmHooksCameLate } from './esm-install.ts';
import { builtin, hostProcess, type Builtins } from './host.ts';
import type { ProbeImpl } from './probe.ts';
import { watchRequire } from './require-watch.ts';
import { walkPath, type ProbeSpec } from './spec.ts';

export { REGISTERED };

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
  const { isBuiltin, here, syncBuiltinESMExports, url: urls } = node();
  if (parsed.line !== undefined) {
    if (isBuiltin(module)) throw new HookError('ERR_PROBE_TARGET', `probe spec "${parsed.spec}": a line probe needs a file, and ${module} is built in`);
    attachLine(probe, parsed, resolveModule(module));
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
    const url = urls.pathToFileURL(file).href;
    // The agent installs the hooks only now, for the first spec that names an ES module (esm-install.ts).
    if (!esmLoaderActive() && !ensureEsmHooks()) {
      // Loaded already (a program started without the loader): its exports go through the breakpoint path.
      if (scriptLoaded(url)) {
        lateEsModule(probe, parsed, url, file);
        return;
      }
      throw new HookError(
        'ERR_PROBE_LOADER',
        `probe spec "${parsed.spec}": ${module} is an ES module; probing ES module exports needs the loader (node --import hookwire/register)`,
      );
    }
    watchEsm(probe, parsed, url, file, true);
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

/**
 * Attaches `probe` to the ES module at `url` through the binding view its appended accessors
 * handed over (esm-bindings.ts): at once when it has run, else when it runs. A module the hooks
 * passed before any spec named it is a late ES module (lateEsModule). With `primary`, a failure
 * to attach now is thrown (nothing changed); later failures go to the registry's fault listeners.
 */
function watchEsm(probe: ProbeImpl, parsed: ProbeSpec, url: string, file: string, primary: boolean): void {
  const registry = esmRegistry();
  registry.fail = (code, message) => new HookError(code, message);
  registry.sync();
  const view = registry.views.get(url);
  if (view !== undefined) {
    attachTo(probe, parsed, view, primary);
    return;
  }
  // Unknown to the hooks: not loaded yet, or loaded by a preload that ran before them, or before
  // the agent installed them on demand (asked of the inspector only then: opening it costs tens of
  // milliseconds).
  if (registry.untouched.has(url) || ((preloadedBeforeHooks() || esmHooksCameLate()) && scriptLoaded(url))) {
    lateEsModule(probe, parsed, url, file);
    return;
  }
  const watcher: EsmWatcher = {
    bound: (v) => attachTo(probe, parsed, v, false),
    late: () => lateEsModule(probe, parsed, url, file),
  };
  probe._cleanups.push(registry.watch(url, watcher));
}

/** Attaches to what `parsed` names from `root`; throws with `primary`, else reports the failure as a fault. */
function attachTo(probe: ProbeImpl, parsed: ProbeSpec, root: unknown, primary: boolean): void {
  try {
    const { target, key } = walkPath(root, parsed);
    probe.attach(target, key, parsed.spec, parsed.spec);
  } catch (error) {
    if (primary) throw error;
    probe._opts.registry._reportFault(probe.hook, probe.name, error);
  }
}

const pendingReasons = new WeakMap<ProbeImpl, string>();

/** Why a pending spec probe waits, when the wait has a reason beyond "not loaded yet" (a late ES module). */
export function pendingReason(probe: ProbeImpl): string | undefined {
  return probe.status === 'pending' ? pendingReasons.get(probe) : undefined;
}

/**
 * The late ES module branch: the module at `url` was loaded before any spec named it, so the
 * hooks left it untouched and its bindings cannot be replaced. A path below an export
 * (`Class.prototype.method`, `obj.fn`) names an object property, which needs no binding: the
 * probe attaches there through the module's namespace, taken from the module cache (a module
 * still evaluating, or with top-level await, is awaited instead, `pending` meanwhile). An export
 * itself (`#fn`) has no property to replace: it goes through the breakpoint path
 * (breakpoint-site.ts: an inspector breakpoint, handed over to the wrapper on the first call).
 */
export function lateEsModule(probe: ProbeImpl, parsed: ProbeSpec, url: string, file: string): void {
  if (probe.status === 'removed') return;
  const ns = cachedNamespace(file);
  const attachNow =
    parsed.path.length === 1 ? (n: unknown) => attachLateExport(probe, parsed, n, file) : (n: unknown) => attachTo(probe, parsed, n, false);
  if (ns !== undefined) {
    attachLate(probe, attachNow, ns);
    return;
  }
  pendingReasons.set(probe, `${parsed.module} was loaded before a spec named it: waiting for its namespace`);
  import(url).then(
    (namespace: unknown) => {
      if (probe.status !== 'removed') attachLate(probe, attachNow, namespace);
    },
    (error: unknown) => probe._opts.registry._reportFault(probe.hook, probe.name, error),
  );
}

/** Runs a late attach; a failure is the probe's fault to report (the spec was accepted). */
function attachLate(probe: ProbeImpl, attachNow: (ns: unknown) => void, ns: unknown): void {
  try {
    attachNow(ns);
  } catch (error) {
    probe._opts.registry._reportFault(probe.hook, probe.name, error);
  }
}

/**
 * The namespace of an ES module that has finished evaluating, synchronously (require of an ES
 * module, Node >= 20.19), or undefined where that is not possible.
 */
function cachedNamespace(file: string): unknown {
  const features = (hostProcess() as { features?: { require_module?: boolean } } | undefined)?.features;
  if (features?.require_module !== true) return undefined;
  try {
    return node().here(file) as unknown;
  } catch {
    return undefined;
  }
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
