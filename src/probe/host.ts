/**
 * The host, as hookwire's layers between the core and control reach it: the `process` object and
 * Node's built-in modules. Built-ins are taken lazily through `process.getBuiltinModule` (no static
 * `node:` import), so `hookwire/probe` and `hookwire/exits` load wherever JavaScript runs, and only
 * what needs Node (probe specs, file output) fails without it. probe/ and exits/ reach the host
 * only through this file; the core never does.
 */
import type * as Fs from 'node:fs';
import type * as Module from 'node:module';
import type * as Os from 'node:os';
import type * as Path from 'node:path';
import type * as Url from 'node:url';
import type * as Util from 'node:util';

/** The built-in modules the layers use, by id. */
export interface Builtins {
  'node:fs': typeof Fs;
  'node:module': typeof Module;
  'node:os': typeof Os;
  'node:path': typeof Path;
  'node:url': typeof Url;
  'node:util': typeof Util;
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

/** A Node built-in module, or undefined where there is none (no Node, or Node before 20.16). */
export function builtin<K extends keyof Builtins>(id: K): Builtins[K] | undefined {
  try {
    const get = hostProcess()?.getBuiltinModule;
    return typeof get === 'function' ? (get(id) as Builtins[K] | undefined) : undefined;
  } catch {
    return undefined;
  }
}
