import { HookError } from '../core/index.ts';
import { describe } from '../core/internal.ts';

/**
 * A probe spec taken apart: `<module specifier>#<property.path>`, or a source line
 * `<file>:<line>[:<column>]` (then `path` is empty and `line` is set).
 */
export interface ProbeSpec {
  readonly spec: string;
  readonly module: string;
  readonly path: readonly string[];
  /** For a line spec: the line, counted from 1. */
  readonly line?: number;
  /** For a line spec with a column: the column, counted from 1. */
  readonly column?: number;
}

const SPEC_MAX = 1024;

/**
 * Parses a probe spec, `node:fs#readFileSync` or `./lib/db.js#Client.prototype.query`: the one
 * parser for the API (`probeSpec`, `attach`), the control server and the CLI. The last `#`
 * separates the module from the path (module specifiers may contain `#`, as in the subpath import
 * `#db/client.js#query`; property paths may not). Path segments are non-empty and hold no
 * whitespace; no part holds a control character; at most 1024 characters in all. A spec without
 * `#` that is a file with a JavaScript or TypeScript extension and `:LINE[:COLUMN]` is a line spec
 * (`./lib/db.mjs:42`), probed through the breakpoint path (breakpoint-site.ts).
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
  if (hash === -1) {
    const line = parseLineSpec(spec);
    if (line !== undefined) return line;
  }
  const module = hash === -1 ? '' : spec.slice(0, hash);
  const path = hash === -1 ? [] : spec.slice(hash + 1).split('.');
  if (module.length === 0 || path.length === 0 || path.some((p) => p.length === 0 || /\s/u.test(p)) || /\p{Cc}/u.test(spec)) {
    throw new HookError(
      'ERR_INVALID_ARG',
      `malformed probe spec ${describe(spec)}: a probe spec is MODULE#PATH, like ./lib/db.js#Client.prototype.query or node:fs#readFileSync, or FILE:LINE, like ./lib/db.mjs:42`,
    );
  }
  return { spec, module, path };
}

/** A file with a JavaScript or TypeScript extension, then `:LINE` and maybe `:COLUMN` (checked below). */
const LINE_SPEC = /^(.+?\.[cm]?[jt]sx?):([^:]*)(?::([^:]*))?$/u;

/** Whether `target` reads as a probe spec: `MODULE#PATH` or `FILE:LINE[:COLUMN]` (the one rule for every caller). */
export function isProbeSpecText(target: string): boolean {
  return target.includes('#') || LINE_SPEC.test(target);
}

/** Whether `target` reads as a source-line spec, `FILE:LINE[:COLUMN]` (with or without `probe:`). */
export function isLineSpecText(target: string): boolean {
  const text = target.startsWith('probe:') ? target.slice('probe:'.length) : target;
  return !text.includes('#') && LINE_SPEC.test(text);
}

/**
 * A line spec (`./lib/db.mjs:42`, `src/x.ts:42:7`): undefined when `spec` does not end in a
 * file name with a JavaScript or TypeScript extension and a `:` part; ERR_INVALID_ARG when the
 * line or column is not a whole number from 1.
 */
function parseLineSpec(spec: string): ProbeSpec | undefined {
  const m = LINE_SPEC.exec(spec);
  if (m === null) return undefined;
  const [, module, lineText, columnText] = m as unknown as [string, string, string, string | undefined];
  const number = (text: string, what: string): number => {
    const n = /^\d{1,9}$/u.test(text) ? Number(text) : NaN;
    if (!(n >= 1)) {
      throw new HookError('ERR_INVALID_ARG', `malformed line spec ${describe(spec)}: the ${what} must be a whole number from 1, got ${describe(text)}`);
    }
    return n;
  };
  if (/\p{Cc}/u.test(spec)) throw new HookError('ERR_INVALID_ARG', `malformed line spec ${describe(spec)}: it holds a control character`);
  const line = number(lineText, 'line');
  if (columnText === undefined) return { spec, module, path: [], line };
  return { spec, module, path: [], line, column: number(columnText, 'column') };
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
