/**
 * The one file of `hookwire/exits` that reaches the host platform (Node's `fs`, `os`, `path`,
 * `util.types`). It asks for built-in modules lazily through `process.getBuiltinModule`, so the
 * catalogue still loads where Node is absent (browsers, workers): there, file output reports that
 * it is unavailable and proxies are handled by catching instead of detecting.
 */
import type * as Fs from 'node:fs';
import type * as Os from 'node:os';
import type * as Path from 'node:path';
import type * as Util from 'node:util';

/** The part of `process` the catalogue uses, when there is one. */
interface ProcessLike {
  pid?: number;
  getuid?: () => number;
  stderr?: { write(chunk: string): unknown };
  getBuiltinModule?: (id: string) => unknown;
  once?: (event: 'exit', listener: () => void) => unknown;
  removeListener?: (event: 'exit', listener: () => void) => unknown;
}

/** `globalThis.process` if it looks like Node's, else undefined. */
export function hostProcess(): ProcessLike | undefined {
  const p = (globalThis as { process?: unknown }).process;
  return typeof p === 'object' && p !== null ? (p as ProcessLike) : undefined;
}

function builtin<T>(id: string): T | undefined {
  try {
    const get = hostProcess()?.getBuiltinModule;
    return typeof get === 'function' ? (get(id) as T | undefined) : undefined;
  } catch {
    return undefined;
  }
}

/** Node's `fs`, or undefined where there is none. */
export function nodeFs(): typeof Fs | undefined {
  return builtin<typeof Fs>('node:fs');
}

/** Node's `path`, or undefined where there is none. */
export function nodePath(): typeof Path | undefined {
  return builtin<typeof Path>('node:path');
}

/** The default directory for assert captures: `os.tmpdir()/hookwire`, or undefined without Node. */
export function defaultCaptureDir(): string | undefined {
  const os = builtin<typeof Os>('node:os');
  const path = nodePath();
  if (os === undefined || path === undefined) return undefined;
  try {
    return path.join(os.tmpdir(), 'hookwire');
  } catch {
    return undefined;
  }
}

const isProxyFn: ((value: unknown) => boolean) | undefined = (() => {
  const types = builtin<typeof Util>('node:util')?.types;
  return typeof types?.isProxy === 'function' ? (value: unknown) => types.isProxy(value) : undefined;
})();

/**
 * true if `value` is known to be a Proxy. Detection needs Node's `util.types`; elsewhere this is
 * false and callers rely on catching what a proxy's traps throw.
 */
export function isProxy(value: unknown): boolean {
  return isProxyFn !== undefined && isProxyFn(value);
}

/** Writes one chunk to the process's stderr (or `console.error` without one); callers contain what it throws. */
export function writeStderr(text: string): void {
  const stderr = hostProcess()?.stderr;
  if (stderr !== undefined && typeof stderr.write === 'function') {
    stderr.write(text);
    return;
  }
  const log = (globalThis as { console?: { error?: (s: string) => void } }).console?.error;
  if (typeof log === 'function') log(text.endsWith('\n') ? text.slice(0, -1) : text);
}

/** Runs `fn` when the process exits (Node); returns a function that cancels it. */
export function onProcessExit(fn: () => void): () => void {
  const p = hostProcess();
  if (p === undefined || typeof p.once !== 'function' || typeof p.removeListener !== 'function') return () => undefined;
  p.once('exit', fn);
  return () => {
    p.removeListener?.('exit', fn);
  };
}
