import { HookError } from '../core/index.ts';
import { describe } from '../core/internal.ts';

/** A probe spec taken apart: `<module specifier>#<property.path>`. */
export interface ProbeSpec {
  readonly spec: string;
  readonly module: string;
  readonly path: readonly string[];
}

const SPEC_MAX = 1024;

/**
 * Parses a probe spec, `node:fs#readFileSync` or `./lib/db.js#Client.prototype.query`: the one
 * parser for the API (`probeSpec`, `attach`), the control server and the CLI. The last `#`
 * separates the module from the path (module specifiers may contain `#`, as in the subpath import
 * `#db/client.js#query`; property paths may not). Path segments are non-empty and hold no
 * whitespace; no part holds a control character; at most 1024 characters in all.
 * Throws ERR_INVALID_ARG on anything else.
 */
export function parseProbeSpec(spec: unknown): ProbeSpec {
  if (typeof spec !== 'string' || spec.length === 0 || spec.length > SPEC_MAX) {
    throw new HookError(
      'ERR_INVALID_ARG',
      `a probe spec must be a string like "node:fs#readFileSync" (at most ${SPEC_MAX} characters), got ${describe(spec)}`,
    );
  }
  const hash = spec.lastIndexOf('#');
  const module = hash === -1 ? '' : spec.slice(0, hash);
  const path = hash === -1 ? [] : spec.slice(hash + 1).split('.');
  if (module.length === 0 || path.length === 0 || path.some((p) => p.length === 0 || /\s/u.test(p)) || /\p{Cc}/u.test(spec)) {
    throw new HookError(
      'ERR_INVALID_ARG',
      `malformed probe spec ${describe(spec)}: a probe spec is MODULE#PATH, like ./lib/db.js#Client.prototype.query or node:fs#readFileSync`,
    );
  }
  return { spec, module, path };
}

/**
 * Walks all but the last segment of `path` from `root` and returns the object holding the last
 * one and its key. Throws ERR_PROBE_TARGET when a step names nothing.
 */
export function walkPath(root: unknown, parsed: ProbeSpec): { target: object; key: string } {
  let at: unknown = root;
  const { path } = parsed;
  for (let i = 0; i < path.length - 1; i++) {
    if ((typeof at !== 'object' && typeof at !== 'function') || at === null) break;
    at = (at as Record<string, unknown>)[path[i]!];
  }
  if ((typeof at !== 'object' && typeof at !== 'function') || at === null) {
    throw new HookError(
      'ERR_PROBE_TARGET',
      `probe spec "${parsed.spec}": ${path.slice(0, -1).join('.') || 'the module'} is not an object in ${parsed.module}`,
    );
  }
  return { target: at, key: path[path.length - 1]! };
}
