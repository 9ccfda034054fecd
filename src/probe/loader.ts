import { HookError } from '../core/index.ts';
import { builtin, hostProcess, type Builtins } from './host.ts';
import type { ProbeImpl } from './probe.ts';
import { watchRequire } from './require-watch.ts';
import { walkPath, type ProbeSpec } from './spec.ts';

/** Set on globalThis by `hookwire/register` once the ESM loader hooks are installed. */
export const REGISTERED = Symbol.for('hookwire.register');

type IitmHook = (url: string, namespace: Record<string, unknown>, specifier?: string) => void;
interface Iitm {
  addHook(hook: IitmHook): void;
  removeHook(hook: IitmHook): void;
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

let iitm: Iitm | undefined;

/** Whether `hookwire/register` installed the ESM loader (import-in-the-middle) in this process. */
export function esmLoaderActive(): boolean {
  return (globalThis as Record<symbol, unknown>)[REGISTERED] === true;
}

/**
 * Attaches `probe` to the function `parsed` names, now if its module is loaded or loadable
 * synchronously (builtins, CommonJS, ESM already seen by the loader), else when it loads.
 * Throws HookError (nothing changed) for a module that cannot be found, a path that names nothing,
 * or an ESM module without `hookwire/register`.
 */
export function attachSpec(probe: ProbeImpl, parsed: ProbeSpec, options: { load?: boolean } = {}): void {
  const { module } = parsed;
  const { isBuiltin, here, syncBuiltinESMExports, url: urls } = node();
  if (isBuiltin(module)) {
    const exports = here(module) as unknown;
    const { target, key } = walkPath(exports, parsed);
    probe.attach(target, key, `${parsed.spec}`, parsed.spec, syncBuiltinESMExports);
    return;
  }
  const file = resolveModule(module);
  const url = urls.pathToFileURL(file).href;
  if (isEsm(file)) {
    if (!esmLoaderActive()) {
      throw new HookError(
        'ERR_PROBE_LOADER',
        `probe spec "${parsed.spec}": ${module} is an ES module; probing ES module exports needs the loader (node --import hookwire/register)`,
      );
    }
    watchEsm(probe, parsed, url, true);
    return;
  }
  // With load: false (the control socket), a CommonJS file nobody required yet is not loaded:
  // the probe stays pending and attaches when the program requires it.
  if (options.load === false && !cjsLoaded(file)) {
    if (esmLoaderActive()) watchEsm(probe, parsed, url, false);
    watchCjs(probe, parsed, file);
    return;
  }
  // CommonJS: load (or take from the cache) and attach now.
  const exports = here(file) as unknown;
  const { target, key } = walkPath(exports, parsed);
  probe.attach(target, key, parsed.spec, parsed.spec);
  // ESM importers of this CommonJS file see it through the loader's namespace: probe that too.
  if (esmLoaderActive()) watchEsm(probe, parsed, url, false);
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
 * Watches the ESM loader for the module at `url`: attaches at once when it was already seen,
 * else when it loads. With `primary`, an attach failure during the synchronous replay is thrown
 * (nothing changed); later failures are reported to the registry's fault listeners.
 */
function watchEsm(probe: ProbeImpl, parsed: ProbeSpec, url: string, primary: boolean): void {
  iitm ??= node().here('import-in-the-middle') as Iitm;
  let replaying = true;
  let failure: unknown;
  const hook: IitmHook = (loaded, namespace) => {
    if (loaded !== url) return;
    try {
      const { target, key } = walkPath(namespace, parsed);
      probe.attach(target, key, parsed.spec, parsed.spec);
    } catch (error) {
      if (replaying && primary) failure ??= error;
      else probe._opts.registry._reportFault(probe.hook, probe.name, error);
    }
  };
  iitm.addHook(hook);
  replaying = false;
  const loader = iitm;
  if (failure !== undefined) {
    loader.removeHook(hook);
    // Rethrow exactly what the module's load threw, Error or not.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw failure;
  }
  probe._cleanups.push(() => loader.removeHook(hook));
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
