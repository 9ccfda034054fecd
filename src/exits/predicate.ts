/**
 * The assert predicate language: small, JSON, no eval. A predicate is a test of one operand (an
 * argument, the result or the thrown error, optionally a dotted path into it) with one operator,
 * or `all`/`any`/`not` of predicates. It is validated whole when compiled, and evaluated by
 * reading own data properties only: getters, proxies and inherited properties are never touched
 * (they read as undefined).
 *
 * ```json
 * { "all": [
 *   { "arg": 0, "op": "typeof", "value": "string" },
 *   { "arg": "1.user.id", "op": ">", "value": 0 },
 *   { "not": { "error": true, "op": "exists" } },
 *   { "result": "status", "op": "<=", "value": 399 }
 * ] }
 * ```
 */
import { HookError } from '../core/index.ts';
import { describe } from '../core/internal.ts';
import type { RE2JS } from 're2js';
import { isProxy, nodeModule } from './platform.ts';

/** The operators of a test. */
export type PredicateOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'typeof' | 'matches' | 'exists';

/** A JSON value a test compares with. */
export type PredicateValue = string | number | boolean | null;

/**
 * One test: exactly one operand — `arg` (index, or a path whose first segment is an index or a
 * declared argument name: `"0.user.id"`), `result` (`true` or a path into it), `error` (`true` or
 * a path) — an `op`, and the `value` the op needs (none for `exists`). `flags` (subset of "imsu")
 * only with `matches`.
 */
export interface PredicateTest {
  arg?: number | string;
  result?: true | string;
  error?: true | string;
  op: PredicateOp;
  value?: PredicateValue;
  flags?: string;
}

/** A predicate: a test, or a combination of predicates. */
export type Predicate = PredicateTest | { all: Predicate[] } | { any: Predicate[] } | { not: Predicate };

/** What a predicate is evaluated against: one call or fire. */
export interface PredicateSubject {
  args: readonly unknown[];
  /** The hook's declared argument names, for `arg` paths that start with a name. */
  argNames?: readonly string[] | null;
  /** Present (`'result' in subject`) when the call returned. */
  result?: unknown;
  /** Present (`'error' in subject`) when the call threw. */
  error?: unknown;
}

/** A validated predicate, ready to evaluate. */
export interface CompiledPredicate {
  /** A frozen copy of the predicate as given. */
  readonly spec: Predicate;
  /** Whether any test reads the result or the error (then it must wait for the call to complete). */
  readonly readsOutcome: boolean;
  /** Argument names used as the first segment of `arg` paths. */
  readonly argNames: readonly string[];
  /** true if the predicate holds for `subject`. Throws only if reading a value throws. */
  test(subject: PredicateSubject): boolean;
}

/** Limits of the language, so a predicate stays cheap to check. */
export const PREDICATE_LIMITS = Object.freeze({
  /** Nesting of all/any/not. */
  depth: 16,
  /** Tests and combinators in one predicate. */
  nodes: 256,
  /** Predicates in one all/any. */
  branches: 64,
  /** Segments of a path. */
  segments: 16,
  /** Characters of one path segment. */
  segment: 128,
  /** Characters of a `matches` pattern. */
  pattern: 256,
  /** Characters of a string value. */
  value: 4096,
  /** Characters of a subject string that `matches` looks at. */
  subject: 10_000,
});

const OPS: readonly PredicateOp[] = ['==', '!=', '<', '<=', '>', '>=', 'typeof', 'matches', 'exists'];
const TYPES = ['undefined', 'object', 'boolean', 'number', 'bigint', 'string', 'symbol', 'function', 'null', 'array'];
const TEST_KEYS = ['arg', 'result', 'error', 'op', 'value', 'flags'];
const ARG_NAME = /^[A-Za-z_$][\w$]*$/;

type Test = (subject: PredicateSubject) => boolean;
type Read = (subject: PredicateSubject) => unknown;

/**
 * Validates `spec` as a {@link Predicate} and compiles it. Every problem throws ERR_INVALID_ARG
 * naming where it is (`predicate.all[1].op: …`).
 */
export function compilePredicate(spec: unknown, what = 'predicate'): CompiledPredicate {
  const state = { nodes: 0, readsOutcome: false, argNames: new Set<string>() };
  const test = compileNode(spec, what, 0, state);
  return Object.freeze({
    spec: deepFreeze(structuredClone(spec)) as Predicate,
    readsOutcome: state.readsOutcome,
    argNames: Object.freeze([...state.argNames]),
    test,
  });
}

interface CompileState {
  nodes: number;
  readsOutcome: boolean;
  argNames: Set<string>;
}

function fail(where: string, message: string): never {
  throw new HookError('ERR_INVALID_ARG', `${where}: ${message}`);
}

function compileNode(node: unknown, where: string, depth: number, state: CompileState): Test {
  const proto: unknown = typeof node === 'object' && node !== null ? Object.getPrototypeOf(node) : undefined;
  if (typeof node !== 'object' || node === null || Array.isArray(node) || (proto !== Object.prototype && proto !== null)) {
    fail(where, `must be an object like {"arg":0,"op":"typeof","value":"string"} or {"all":[...]}, got ${describe(node)}`);
  }
  if (depth > PREDICATE_LIMITS.depth) fail(where, `nested deeper than ${PREDICATE_LIMITS.depth} levels`);
  if (++state.nodes > PREDICATE_LIMITS.nodes) fail(where, `a predicate may have at most ${PREDICATE_LIMITS.nodes} parts`);
  const o = node as Record<string, unknown>;
  const keys = Object.keys(o);
  for (const combinator of ['all', 'any', 'not'] as const) {
    if (!(combinator in o)) continue;
    if (keys.length !== 1) fail(where, `"${combinator}" must be the only key of its object, found ${keys.map((k) => `"${k}"`).join(', ')}`);
    if (combinator === 'not') {
      const inner = compileNode(o['not'], `${where}.not`, depth + 1, state);
      return (s) => !inner(s);
    }
    const list = o[combinator];
    if (!Array.isArray(list) || list.length === 0 || list.length > PREDICATE_LIMITS.branches) {
      fail(`${where}.${combinator}`, `must be an array of 1 to ${PREDICATE_LIMITS.branches} predicates, got ${describe(list)}`);
    }
    const parts = list.map((p, i) => compileNode(p, `${where}.${combinator}[${i}]`, depth + 1, state));
    return combinator === 'all' ? (s) => parts.every((p) => p(s)) : (s) => parts.some((p) => p(s));
  }
  return compileTest(o, keys, where, state);
}

function compileTest(o: Record<string, unknown>, keys: string[], where: string, state: CompileState): Test {
  for (const key of keys) {
    if (!TEST_KEYS.includes(key)) fail(where, `unknown key "${key}" (a test has ${TEST_KEYS.join(', ')}; combinators are all, any, not)`);
  }
  const operands = keys.filter((k) => k === 'arg' || k === 'result' || k === 'error');
  if (operands.length !== 1) fail(where, `a test needs exactly one operand of "arg", "result", "error", found ${operands.length}`);
  const read = compileOperand(operands[0] as 'arg' | 'result' | 'error', o, where, state);

  const op = o['op'];
  if (typeof op !== 'string' || !(OPS as readonly string[]).includes(op)) {
    fail(`${where}.op`, `must be one of ${OPS.join(' ')}, got ${describe(op)}`);
  }
  if ('flags' in o && op !== 'matches') fail(`${where}.flags`, 'only "matches" takes flags');
  const value = o['value'];
  if (op === 'exists') {
    if ('value' in o) fail(`${where}.value`, '"exists" takes no value');
    return (s) => read(s) !== undefined;
  }
  if (!('value' in o)) fail(`${where}.value`, `"${op}" needs a value`);
  if (typeof value === 'string' && value.length > PREDICATE_LIMITS.value) {
    fail(`${where}.value`, `strings are limited to ${PREDICATE_LIMITS.value} characters`);
  }

  switch (op as PredicateOp) {
    case '==':
    case '!=': {
      if (!(value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))) {
        fail(`${where}.value`, `"${op}" compares with a string, finite number, boolean or null, got ${describe(value)}`);
      }
      return op === '==' ? (s) => read(s) === value : (s) => read(s) !== value;
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (!(typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))) {
        fail(`${where}.value`, `"${op}" compares with a finite number or a string, got ${describe(value)}`);
      }
      const cmp = ordering(op as '<' | '<=' | '>' | '>=');
      return (s) => {
        const v = read(s);
        if (typeof value === 'number' ? typeof v === 'number' || typeof v === 'bigint' : typeof v === 'string') {
          return cmp(v as number | string, value);
        }
        return false;
      };
    }
    case 'typeof': {
      if (typeof value !== 'string' || !TYPES.includes(value)) {
        fail(`${where}.value`, `"typeof" takes one of ${TYPES.join(', ')}, got ${describe(value)}`);
      }
      if (value === 'null') return (s) => read(s) === null;
      if (value === 'array') return (s) => Array.isArray(read(s));
      return (s) => typeof read(s) === value;
    }
    case 'matches': {
      if (typeof value !== 'string' || value.length > PREDICATE_LIMITS.pattern) {
        fail(`${where}.value`, `"matches" takes a regular expression string of at most ${PREDICATE_LIMITS.pattern} characters, got ${describe(value)}`);
      }
      const flags = o['flags'] ?? '';
      if (typeof flags !== 'string' || !/^(?!.*(.).*\1)[imsu]*$/.test(flags)) {
        fail(`${where}.flags`, `must be distinct letters of "imsu", got ${describe(flags)}`);
      }
      if (nestedQuantifier(value)) {
        fail(
          `${where}.value`,
          'a quantified group that itself contains a quantifier (like "(a+)+") can take exponential time; rewrite it without nesting',
        );
      }
      let re: Pattern;
      try {
        re = compilePattern(value, flags);
      } catch (error) {
        fail(`${where}.value`, (error as Error).message);
      }
      return (s) => {
        const v = read(s);
        return typeof v === 'string' && re.test(v.length > PREDICATE_LIMITS.subject ? v.slice(0, PREDICATE_LIMITS.subject) : v);
      };
    }
    default:
      return fail(`${where}.op`, `unsupported operator ${describe(op)}`);
  }
}

/** A compiled `matches` pattern and the engine that runs it. */
export interface Pattern {
  /** Always `re2js`: a linear-time engine, never the backtracking RegExp. */
  readonly engine: 're2js';
  /** true if the pattern matches somewhere in `subject` (as RegExp.prototype.test). */
  test(subject: string): boolean;
}

/** The flags a pattern may give, as RE2JS's flag bits. */
const PATTERN_FLAGS = { i: 'CASE_INSENSITIVE', m: 'MULTILINE', s: 'DOTALL', u: undefined } as const;

let engine: typeof RE2JS | undefined;

/**
 * RE2JS, loaded at the first `matches` pattern (issue 8: 263 KB that a program whose predicates
 * never match text, or that has no assert at all, does not load). Its CommonJS build, through
 * `require`, because a pattern is compiled synchronously, when the spec is checked.
 */
function re2js(): typeof RE2JS {
  if (engine !== undefined) return engine;
  const module = nodeModule();
  if (module === undefined) throw new HookError('ERR_INVALID_ARG', '"matches" needs a host with require (Node.js >= 20.16, Bun, Deno)');
  engine = (module.createRequire(import.meta.url)('re2js') as { RE2JS: typeof RE2JS }).RE2JS;
  return engine;
}

/**
 * Compiles a `matches` pattern with RE2JS (RE2's automata): matching takes time linear in the
 * subject whatever the pattern, so a client's pattern cannot freeze the program the way a
 * backtracking RegExp can (`^(\w|\d)*!$`). JavaScript syntax is translated; what RE2 cannot run
 * in linear time (backreferences, lookaround) is refused. `u` is accepted and changes nothing:
 * RE2 always matches code points. Throws ERR_INVALID_ARG.
 */
export function compilePattern(source: string, flags = ''): Pattern {
  let mask = 0;
  for (const f of flags) {
    if (!Object.hasOwn(PATTERN_FLAGS, f)) throw new HookError('ERR_INVALID_ARG', `unknown regular expression flag ${describe(f)} (known: imsu)`);
    const bit = PATTERN_FLAGS[f as keyof typeof PATTERN_FLAGS];
    if (bit !== undefined) mask |= re2js()[bit];
  }
  const RE2 = re2js();
  let re: RE2JS;
  try {
    re = RE2.compile(RE2.translateRegExp(source), mask);
  } catch (error) {
    throw new HookError(
      'ERR_INVALID_ARG',
      `not a valid regular expression for the linear-time engine (RE2 syntax: no backreferences or lookaround): ${(error as Error).message}`,
    );
  }
  return { engine: 're2js', test: (subject) => re.test(subject) };
}

function compileOperand(kind: 'arg' | 'result' | 'error', o: Record<string, unknown>, where: string, state: CompileState): Read {
  const raw = o[kind];
  const at = `${where}.${kind}`;
  if (kind === 'arg') {
    let first: number | string;
    let rest: string[] = [];
    if (typeof raw === 'number') {
      if (!Number.isInteger(raw) || raw < 0 || raw > 255) fail(at, `an argument index must be an integer from 0 to 255, got ${describe(raw)}`);
      first = raw;
    } else if (typeof raw === 'string') {
      const segments = parsePath(raw, at);
      const head = segments[0] as string;
      rest = segments.slice(1);
      if (/^\d+$/.test(head)) {
        first = Number(head);
        if (first > 255) fail(at, `an argument index must be from 0 to 255, got ${head}`);
      } else if (ARG_NAME.test(head)) {
        first = head;
        state.argNames.add(head);
      } else {
        fail(at, `a path must start with an argument index or a declared argument name, got ${describe(head)}`);
      }
    } else {
      return fail(at, `must be an argument index or a path like "0.user.id", got ${describe(raw)}`);
    }
    return (s) => {
      const index = typeof first === 'number' ? first : (s.argNames ?? []).indexOf(first);
      if (index < 0 || index >= s.args.length) return undefined;
      return follow(s.args[index], rest);
    };
  }
  state.readsOutcome = true;
  let path: string[] = [];
  if (typeof raw === 'string') path = parsePath(raw, at);
  else if (raw !== true) fail(at, `must be true or a path like "user.id", got ${describe(raw)}`);
  return kind === 'result' ? (s) => ('result' in s ? follow(s.result, path) : undefined) : (s) => ('error' in s ? follow(s.error, path) : undefined);
}

function parsePath(raw: string, at: string): string[] {
  const segments = raw.split('.');
  if (raw.length === 0 || segments.length > PREDICATE_LIMITS.segments) {
    fail(at, `a path has 1 to ${PREDICATE_LIMITS.segments} dot-separated segments, got ${describe(raw)}`);
  }
  for (const segment of segments) {
    if (segment.length === 0 || segment.length > PREDICATE_LIMITS.segment) {
      fail(at, `path segments must be 1 to ${PREDICATE_LIMITS.segment} characters, got ${describe(raw)}`);
    }
    if (segment === '__proto__') fail(at, 'a path cannot name __proto__');
  }
  return segments;
}

/** Follows `path` through own data properties; undefined where one is missing, an accessor or a proxy. */
function follow(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || v === undefined) return undefined;
    if ((typeof v === 'object' || typeof v === 'function') && isProxy(v)) return undefined;
    const desc = Object.getOwnPropertyDescriptor(v, key);
    if (desc === undefined || !('value' in desc)) return undefined;
    v = desc.value;
  }
  return v;
}

function ordering(op: '<' | '<=' | '>' | '>='): (a: number | string, b: number | string) => boolean {
  switch (op) {
    case '<':
      return (a, b) => a < b;
    case '<=':
      return (a, b) => a <= b;
    case '>':
      return (a, b) => a > b;
    case '>=':
      return (a, b) => a >= b;
  }
}

/**
 * true if `source` repeats a group that contains a repetition (`(a+)+`, `(a*){2,}`, `((ab)*c)*`):
 * the classic shape of catastrophic backtracking. A heuristic, not a proof of safety: the
 * pattern and subject length caps bound the rest.
 */
export function nestedQuantifier(source: string): boolean {
  const groups: boolean[] = [false]; // per open group: does it contain a repetition?
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') groups.push(false);
    else if (c === ')') {
      const inner = groups.length > 1 ? (groups.pop() as boolean) : false;
      const repeated = repetitionAt(source, i + 1);
      if (inner && repeated) return true;
      if (inner || repeated) groups[groups.length - 1] = true;
    } else if (repetitionAt(source, i)) groups[groups.length - 1] = true;
  }
  return false;
}

/** true if a repeating quantifier (`*`, `+`, `{n,}`, `{n,m}` with m > 1) starts at `i`. */
function repetitionAt(source: string, i: number): boolean {
  const c = source[i];
  if (c === '*' || c === '+') return true;
  if (c !== '{') return false;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
  if (m === null) return false;
  if (m[2] === undefined) return Number(m[1]) > 1;
  return m[3] === '' || Number(m[3]) > 1;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
