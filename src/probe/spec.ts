import { HookError } from '../core/index.ts';
import { describe } from '../core/internal.ts';

/** A probe spec taken apart: `<module specifier>#<property.path>`. */
export interface ParsedSpec {
  readonly spec: string;
  readonly module: string;
  readonly path: readonly string[];
}

/**
 * Parses `node:fs#readFileSync` or `./lib/db.js#Client.prototype.query`. The last `#` separates
 * the module from the path (module specifiers may contain `#`, property paths may not).
 * Throws ERR_INVALID_ARG on malformed specs.
 */
export function parseSpec(spec: unknown): ParsedSpec {
  if (typeof spec !== 'string' || spec.length === 0 || spec.length > 1024) {
    throw new HookError('ERR_INVALID_ARG', `a probe spec must be a string like "node:fs#readFileSync", got ${describe(spec)}`);
  }
  const hash = spec.lastIndexOf('#');
  const module = hash === -1 ? '' : spec.slice(0, hash);
  const path = hash === -1 ? [] : spec.slice(hash + 1).split('.');
  if (module.length === 0 || path.length === 0 || path.some((p) => p.length === 0 || /[\s#]/.test(p))) {
    throw new HookError('ERR_INVALID_ARG', `malformed probe spec ${describe(spec)}: expected "<module>#<property.path>", e.g. "node:fs#readFileSync"`);
  }
  return { spec, module, path };
}

/**
 * Walks all but the last segment of `path` from `root` and returns the object holding the last
 * one and its key. Throws ERR_PROBE_TARGET when a step names nothing.
 */
export function walkPath(root: unknown, parsed: ParsedSpec): { target: object; key: string } {
  let at: unknown = root;
  const { path } = parsed;
  for (let i = 0; i < path.length - 1; i++) {
    if ((typeof at !== 'object' && typeof at !== 'function') || at === null) break;
    at = (at as Record<string, unknown>)[path[i]!];
  }
  if ((typeof at !== 'object' && typeof at !== 'function') || at === null) {
    throw new HookError('ERR_PROBE_TARGET', `probe spec "${parsed.spec}": ${path.slice(0, -1).join('.') || 'the module'} is not an object in ${parsed.module}`);
  }
  return { target: at, key: path[path.length - 1]! };
}
