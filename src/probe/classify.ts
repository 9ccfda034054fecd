import type { TargetDescription, TargetKind } from './types.ts';

/** How a function is called and built, as the wrapper compiler needs it. */
export interface Classification extends TargetDescription {
  /** Whether `new fn()` works (plain functions, classes, bound constructibles, some natives). */
  readonly constructible: boolean;
  /** true for async functions (the result settles later). */
  readonly async: boolean;
  /** true for generator and async generator functions (the result is an iterator). */
  readonly generator: boolean;
  /**
   * The wrapper passes every argument as given (a rest parameter), never only the declared ones:
   * for class constructors, whose declared arity (`length`) says nothing about what they read.
   */
  readonly passAll: boolean;
}

const AsyncFunctionProto: unknown = Object.getPrototypeOf(async function () {});
const GeneratorFunctionProto: unknown = Object.getPrototypeOf(function* () {});
const AsyncGeneratorFunctionProto: unknown = Object.getPrototypeOf(async function* () {});
const fnToString = Function.prototype.toString;

/** `fn`'s source text, by `Function.prototype.toString` as it was at load; a native function's when that throws. */
export function sourceText(fn: Function): string {
  try {
    return fnToString.call(fn);
  } catch {
    return 'function () { [native code] }';
  }
}

/**
 * Whether `source` is a native function's: ECMA-262 gives every built-in this form (its
 * `NativeFunction` syntax), and bound and host functions have it too; code written in JavaScript
 * never does.
 */
export function isNativeSource(source: string): boolean {
  // Only the end can match: tested there, so that a bundle's half-megabyte function is not scanned
  // from every position (twice per attachment: the built-ins' check and the classification).
  return NATIVE_END.test(source.length > NATIVE_TAIL ? source.slice(-NATIVE_TAIL) : source);
}

const NATIVE_END = /\{\s*\[native code\]\s*\}\s*$/;
/** More than any engine's native text puts between its `{` and the end. */
const NATIVE_TAIL = 256;

/** The most parameters a boosted wrapper takes (beyond it, the generic wrapper is used). */
export const MAX_BOOSTED_ARITY = 32;

/**
 * Classifies `fn`: its kind, its declared arity, and whether a boosted wrapper (compiled for the
 * kind and a fixed arity, with no rest/apply/arguments on the hot path) keeps its semantics.
 * Boosting needs a simple parameter list (plain identifiers: no defaults, rest or destructuring)
 * and a body that does not read `arguments`, since the wrapper passes exactly the declared parameters.
 */
export function classify(fn: Function): Classification {
  const source = sourceText(fn);
  const proto: unknown = Object.getPrototypeOf(fn);
  const hasPrototype = Object.prototype.hasOwnProperty.call(fn, 'prototype');
  const name = typeof fn.name === 'string' ? fn.name : '';
  const native = isNativeSource(source);

  let kind: TargetKind;
  if (native) kind = name.startsWith('bound ') && !hasPrototype ? 'bound' : 'native';
  else if (/^class\b/.test(source)) kind = 'class';
  else if (proto === AsyncGeneratorFunctionProto) kind = 'asyncGenerator';
  else if (proto === GeneratorFunctionProto) kind = 'generator';
  else if (proto === AsyncFunctionProto) kind = 'async';
  else if (/^function\b/.test(source)) kind = 'plain';
  else if (isArrow(source)) kind = 'arrow';
  else kind = 'method';

  const constructible = kind === 'plain' || kind === 'class' || ((kind === 'native' || kind === 'bound') && isConstructor(fn));
  const base = {
    kind,
    name,
    constructible,
    async: kind === 'async',
    generator: kind === 'generator' || kind === 'asyncGenerator',
    passAll: kind === 'class',
  };
  const fallbackArity = safeLength(fn);
  if (kind === 'native' || kind === 'bound') {
    return { ...base, arity: fallbackArity, boosted: false, reason: `${kind} function: parameters unknown, generic wrapper` };
  }
  // A class is boosted with a constructible `function` wrapper that constructs the original with
  // the caller's new.target (so private fields, subclass super() calls and instanceof hold) and
  // passes every argument on: its constructor's parameters are not read.
  if (kind === 'class') return { ...base, arity: fallbackArity, boosted: true };
  const parsed = parseParams(source, kind);
  if (parsed === null) {
    return { ...base, arity: fallbackArity, boosted: false, reason: 'parameter list not simple (defaults, rest or destructuring)' };
  }
  if (/\barguments\b/.test(parsed.body)) {
    return { ...base, arity: parsed.arity, boosted: false, reason: 'reads `arguments`' };
  }
  if (parsed.arity > MAX_BOOSTED_ARITY) {
    return { ...base, arity: parsed.arity, boosted: false, reason: `more than ${MAX_BOOSTED_ARITY} parameters` };
  }
  return { ...base, arity: parsed.arity, boosted: true };
}

/**
 * Reports `fn`'s kind (plain, method, arrow, async, generator, asyncGenerator, class, bound,
 * native), its arity, and whether a probe on it gets the boosted wrapper, and if not, why
 * (`describeTarget` in index.ts is the public door, which also describes probes).
 */
export function describeFunction(fn: Function): TargetDescription {
  const { kind, name, arity, boosted, reason } = classify(fn);
  return reason === undefined ? { kind, name, arity, boosted } : { kind, name, arity, boosted, reason };
}

/**
 * `unicode` run on `text`, or its ASCII twin `ascii` (the same pattern with the letter and digit
 * classes limited to ASCII) when `text` is all ASCII, where the two agree. A regular expression
 * with Unicode property classes (`\p{L}`) costs milliseconds to compile, at the first probe of a
 * program's start (issue 8); most sources are ASCII.
 */
function execIdentifiers(ascii: RegExp, unicode: RegExp, text: string): RegExpExecArray | null {
  return NON_ASCII.test(text) ? unicode.exec(text) : ascii.exec(text);
}

const NON_ASCII = /[\u0080-\uffff]/;
const ARROW_HEAD = /^(?:async\s*)?(?:[\p{L}_$][\p{L}\p{N}_$]*|\([^)]*\))\s*=>/u;
const ARROW_HEAD_ASCII = /^(?:async\s*)?(?:[A-Za-z_$][A-Za-z0-9_$]*|\([^)]*\))\s*=>/;

function isArrow(source: string): boolean {
  return execIdentifiers(ARROW_HEAD_ASCII, ARROW_HEAD, source) !== null || (/^(?:async\s*)?\(/.test(source) && arrowAfterParams(source));
}

function arrowAfterParams(source: string): boolean {
  const open = source.indexOf('(');
  const close = matchParen(source, open);
  return close !== -1 && /^\s*=>/.test(source.slice(close + 1));
}

/** Index of the `)` matching the `(` at `open`, skipping nested brackets and strings; -1 if none. */
function matchParen(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '"' || c === "'" || c === '`') {
      const end = source.indexOf(c, i + 1);
      if (end === -1) return -1;
      i = end;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return c === ')' ? i : -1;
    }
  }
  return -1;
}

const SIMPLE_PARAMS = /^\s*(?:[\p{L}_$][\p{L}\p{N}_$]*\s*(?:,\s*[\p{L}_$][\p{L}\p{N}_$]*\s*)*,?\s*)?$/u;
const SIMPLE_PARAMS_ASCII = /^\s*(?:[A-Za-z_$][A-Za-z0-9_$]*\s*(?:,\s*[A-Za-z_$][A-Za-z0-9_$]*\s*)*,?\s*)?$/;
const SINGLE_PARAM = /^(?:async\s+)?([\p{L}_$][\p{L}\p{N}_$]*)\s*=>/u;
const SINGLE_PARAM_ASCII = /^(?:async\s+)?([A-Za-z_$][A-Za-z0-9_$]*)\s*=>/;

function parseParams(source: string, kind: TargetKind): { arity: number; body: string } | null {
  if (kind === 'arrow' || kind === 'async') {
    const single = execIdentifiers(SINGLE_PARAM_ASCII, SINGLE_PARAM, source);
    if (single) return { arity: 1, body: source.slice(single[0].length) };
  }
  const open = source.indexOf('(');
  if (open === -1) return null;
  const close = matchParen(source, open);
  if (close === -1) return null;
  const list = source.slice(open + 1, close);
  if (execIdentifiers(SIMPLE_PARAMS_ASCII, SIMPLE_PARAMS, list) === null) return null;
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return { arity: names.length, body: source.slice(close + 1) };
}

function isConstructor(fn: Function): boolean {
  try {
    Reflect.construct(String, [], fn);
    return true;
  } catch {
    return false;
  }
}

function safeLength(fn: Function): number {
  const n = fn.length;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : 0;
}
