/**
 * Watches CommonJS `require()` for chosen files, so a probe spec follows a module's exports: after
 * a `require()` returns, every watched file whose loaded module now exports exactly that object
 * has its listeners told. Unlike require-in-the-middle, nothing is cached and nothing is replaced:
 * `require()` returns what it returns without hookwire, also after `require.cache[file].exports`
 * was reassigned. One patch of `Module.prototype.require` while any file is watched, taken back
 * with the last watcher (left in place, inert, when someone patched `require` after it).
 */
import { builtin } from './host.ts';

type RequireFn = (this: unknown, id: string) => unknown;
/** A listener is told the exports a `require()` of its file returned (an object or function). */
export type RequireListener = (exports: object) => void;

/** What this file uses of Node's `Module` class. */
interface ModuleClass {
  prototype: { require: RequireFn };
  _cache: Record<string, { exports: unknown; loaded: boolean } | undefined>;
}

const watched = new Map<string, Set<RequireListener>>();
/** Our patch and what it wraps, while installed (kept when it could not be taken back). */
let installed: { Module: ModuleClass; original: RequireFn; patched: RequireFn } | null = null;

/**
 * Tells `listener` the exports of every later `require()` that returns `file`'s (loaded) exports.
 * Returns the function that stops watching. Without Node's `Module` it watches nothing.
 */
export function watchRequire(file: string, listener: RequireListener): () => void {
  const Module = builtin('node:module') as unknown as ModuleClass | undefined;
  if (Module === undefined || typeof Module.prototype.require !== 'function') return () => {};
  installed ??= install(Module);
  let listeners = watched.get(file);
  if (listeners === undefined) watched.set(file, (listeners = new Set()));
  listeners.add(listener);
  const held = listeners;
  return () => {
    held.delete(listener);
    if (held.size === 0 && watched.get(file) === held) watched.delete(file);
    if (watched.size === 0) uninstall();
  };
}

function install(Module: ModuleClass): NonNullable<typeof installed> {
  const original = Module.prototype.require;
  const cache = Module._cache;
  const patched: RequireFn = function require(this: unknown, id: string): unknown {
    const exports = original.call(this, id);
    if (watched.size !== 0 && ((typeof exports === 'object' && exports !== null) || typeof exports === 'function')) notify(cache, exports);
    return exports;
  };
  Module.prototype.require = patched;
  return { Module, original, patched };
}

/**
 * Tells the listeners of every watched file whose module exports `exports` now. A module still
 * loading (a circular require hands out its partial exports) is told when its own require returns.
 */
function notify(cache: ModuleClass['_cache'], exports: object): void {
  for (const [file, listeners] of watched) {
    const mod = cache[file];
    if (mod === undefined || mod.exports !== exports || !mod.loaded) continue;
    for (const listener of [...listeners]) listener(exports);
  }
}

function uninstall(): void {
  if (installed === null || installed.Module.prototype.require !== installed.patched) return;
  installed.Module.prototype.require = installed.original;
  installed = null;
}
