/**
 * The host, as hookwire's layers between the core and control reach it: the `process` object and
 * Node's built-in modules. Built-ins are taken lazily through `process.getBuiltinModule` (no static
 * `node:` import), so `hookwire/probe` and `hookwire/exits` load wherever JavaScript runs, and only
 * what needs Node (probe specs, file output) fails without it. probe/ and exits/ reach the host
 * only through this file; the core never does.
 */
import type * as DiagnosticsChannel from 'node:diagnostics_channel';
import type * as Fs from 'node:fs';
import type * as Module from 'node:module';
import type * as Os from 'node:os';
import type * as Path from 'node:path';
import type * as Url from 'node:url';
import type * as Util from 'node:util';
import type * as WorkerThreads from 'node:worker_threads';

/** The built-in modules the layers use, by id. */
export interface Builtins {
  'node:diagnostics_channel': typeof DiagnosticsChannel;
  'node:fs': typeof Fs;
  'node:module': typeof Module;
  'node:os': typeof Os;
  'node:path': typeof Path;
  'node:url': typeof Url;
  'node:util': typeof Util;
  'node:worker_threads': typeof WorkerThreads;
}

/** The part of `process` the layers use, when there is one. */
export interface HostProcess {
  pid?: number;
  getuid?: () => number;
  cwd?: () => string;
  stderr?: { write(chunk: string): unknown };
  getBuiltinModule?: (id: string) => unknown;
  once?: (event: 'exit', listener: () => void) => unknown;
  removeListener?: (event: 'exit', listener: () => void) => unknown;
}

/** `globalThis.process` if it looks like Node's, else undefined. */
export function hostProcess(): HostProcess | undefined {
  const p = (globalThis as { process?: unknown }).process;
  return typeof p === 'object' && p !== null ? p : undefined;
}

/**
 * A Node built-in module as it was when hookwire loaded, or undefined where there is none (no
 * Node, or Node before 20.16). Its functions are the originals even after a probe replaced them on
 * the module, so hookwire's own calls (file output, spec resolution, the agent) never show up in
 * the probes' counts, traces or latencies; everything else (other properties, `prototype`s) is
 * the live module's, reached through the prototype link.
 */
export function builtin<K extends keyof Builtins>(id: K): Builtins[K] | undefined {
  try {
    const get = hostProcess()?.getBuiltinModule;
    if (typeof get !== 'function') return undefined;
    return (originals.get(id) ?? get(id)) as Builtins[K] | undefined;
  } catch {
    return undefined;
  }
}

/**
 * A Node built-in module as the program sees it now (functions the program or a probe replaced
 * included), or undefined where there is none: for hookwire's code that must put something back
 * exactly as it found it (esm-hooks.ts).
 */
export function liveBuiltin<K extends keyof Builtins>(id: K): Builtins[K] | undefined {
  try {
    const get = hostProcess()?.getBuiltinModule;
    return typeof get === 'function' ? (get(id) as Builtins[K] | undefined) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The built-ins' functions, captured when this module is evaluated: before any probe can exist,
 * since every probe goes through the probe layer, which imports this file.
 *
 * Not node:util's: hookwire reads only `util.types` there, an object (never copied), and on
 * Node 24 reading util's property descriptors makes its lazy properties, loading streams,
 * worker_threads and util's diff into the program's process (~2.6 ms of every agent's start).
 */
const originals = new Map<string, unknown>();
for (const id of ['node:diagnostics_channel', 'node:fs', 'node:module', 'node:os', 'node:path', 'node:url', 'node:worker_threads'] as const) {
  try {
    const get = hostProcess()?.getBuiltinModule;
    const live = typeof get === 'function' ? get(id) : undefined;
    if ((typeof live === 'object' || typeof live === 'function') && live !== null) originals.set(id, snapshot(live));
  } catch {
    // Not on this host: builtin() answers undefined or asks again.
  }
}

/** An object inheriting from `live` with its function-valued data properties copied as they are now. */
function snapshot(live: object): object {
  const copy = Object.create(live) as object;
  for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(live))) {
    if ('value' in d && typeof d.value === 'function')
      Object.defineProperty(copy, key, { value: d.value, writable: true, enumerable: true, configurable: true });
  }
  return copy;
}
