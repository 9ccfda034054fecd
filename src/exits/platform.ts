/**
 * What `hookwire/exits` needs of the host (Node's `fs`, `os`, `path`, `util.types`, the process's
 * stderr and exit), built on `probe/host.ts`, the one module that reaches the host. Where Node is
 * absent (browsers, workers), file output reports that it is unavailable and proxies are handled
 * by catching instead of detecting.
 */
import { builtin, hostProcess, type Builtins } from '../probe/host.ts';

export { hostProcess };

/** Node's `fs`, or undefined where there is none. */
export function nodeFs(): Builtins['node:fs'] | undefined {
  return builtin('node:fs');
}

/** Node's `module` (for `createRequire`), or undefined where there is none. */
export function nodeModule(): Builtins['node:module'] | undefined {
  return builtin('node:module');
}

/** Node's `path`, or undefined where there is none. */
export function nodePath(): Builtins['node:path'] | undefined {
  return builtin('node:path');
}

/**
 * The default directory for assert captures: `os.tmpdir()/hookwire-captures-<uid>`, one per user
 * (a shared name in the temporary directory could be created first by another user), or
 * undefined without Node.
 */
export function defaultCaptureDir(): string | undefined {
  const os = builtin('node:os');
  const path = nodePath();
  if (os === undefined || path === undefined) return undefined;
  try {
    const uid = hostProcess()?.getuid?.();
    return path.join(os.tmpdir(), uid === undefined ? 'hookwire-captures' : `hookwire-captures-${uid}`);
  } catch {
    return undefined;
  }
}

const isProxyFn: ((value: unknown) => boolean) | undefined = (() => {
  const types = builtin('node:util')?.types;
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
