/**
 * The safe summariser: turns any value into small plain JSON for traces and captures without
 * running the program's code. It reads properties through their descriptors (a getter is shown as
 * `[Getter]`, never invoked), recognises built-ins by brand checks that run no user code, stops at
 * depth, length and total-size limits, marks cycles, and shows values JSON cannot hold (undefined,
 * NaN, bigints, symbols, functions, promises, maps, …) as short bracketed markers. Values under
 * sensitive keys (password, token, secret, authorization, cookie, api key, …) are masked.
 */
import { HookError } from '../core/index.ts';
import { describe } from '../core/internal.ts';
import { isProxy } from './platform.ts';
import { builtin } from '../probe/host.ts';

/** How much of a value a summary may show. Every field is optional; defaults in {@link DEFAULT_LIMITS}. */
export interface SummaryLimits {
  /** Nesting levels of objects/arrays shown; deeper ones become `[Object]`, `[Array(n)]`, `[ClassName]`. */
  depth?: number;
  /** Array elements (and arguments) shown; the rest become one `[… n more]` element. */
  items?: number;
  /** Own enumerable keys shown per object; the rest become one `"…": "[n more keys]"` entry. */
  keys?: number;
  /** Characters kept of each string; longer ones are cut and end with `… (n chars)`. */
  string?: number;
  /** Values visited in one summary, all levels together; past it, values become `[…]`. */
  nodes?: number;
  /**
   * Words of sensitive keys: the value of an object key (or a hook argument name) that contains
   * one of them, compared without case and without `-`, `_`, spaces and dots, is shown as
   * `[Redacted]`. Replaces {@link DEFAULT_REDACT}; `[]` masks nothing. A getter stays `[Getter]`
   * (it is never read).
   */
  redact?: readonly string[];
}

/**
 * The words masked by default: `password`, `accessToken`, `x-api-key`, `Set-Cookie`,
 * `client_secret`, … all contain one of them.
 */
export const DEFAULT_REDACT: readonly string[] = Object.freeze([
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'authorization',
  'cookie',
  'apikey',
  'privatekey',
  'credential',
  'session',
  'jwt',
  'bearer',
  'signature',
]);

/** Marks a masked value. */
export const REDACTED = '[Redacted]';

/** The limits used when none are given. */
export const DEFAULT_LIMITS: Readonly<Required<SummaryLimits>> = Object.freeze({
  depth: 3,
  items: 10,
  keys: 20,
  string: 120,
  nodes: 200,
  redact: DEFAULT_REDACT,
});

const LIMIT_MAX = 1_000_000;

/**
 * Checks `limits` (undefined, or an object with only the known fields, each an integer from 0 to
 * 1,000,000; `nodes` at least 1) and merges it over `base`. Throws ERR_INVALID_ARG naming the field.
 */
export function resolveLimits(
  limits: unknown,
  what = 'limits',
  base: Readonly<Required<SummaryLimits>> = DEFAULT_LIMITS,
): Readonly<Required<SummaryLimits>> {
  if (limits === undefined) return base;
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
    throw new HookError('ERR_INVALID_ARG', `${what} must be an object, got ${describe(limits)}`);
  }
  const out: Required<SummaryLimits> = { ...base };
  for (const key of Object.keys(limits)) {
    if (!(key in DEFAULT_LIMITS)) {
      throw new HookError('ERR_INVALID_ARG', `unknown ${what} field "${key}" (known: ${Object.keys(DEFAULT_LIMITS).join(', ')})`);
    }
    const value = (limits as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (key === 'redact') {
      out.redact = checkRedact(value, `${what}.redact`);
      continue;
    }
    const min = key === 'nodes' ? 1 : 0;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > LIMIT_MAX) {
      throw new HookError('ERR_INVALID_ARG', `${what}.${key} must be an integer from ${min} to ${LIMIT_MAX}, got ${describe(value)}`);
    }
    out[key as Exclude<keyof SummaryLimits, 'redact'>] = value;
  }
  return Object.freeze(out);
}

/** Checks a redact list: at most 100 words, each 1 to 64 characters that are not all separators. */
function checkRedact(value: unknown, what: string): readonly string[] {
  if (!Array.isArray(value) || value.length > 100) {
    throw new HookError('ERR_INVALID_ARG', `${what} must be an array of at most 100 key words like ["password", "ssn"], got ${describe(value)}`);
  }
  const words: string[] = [];
  for (const word of value as unknown[]) {
    if (typeof word !== 'string' || word.length > 64 || normalKey(word) === '') {
      throw new HookError('ERR_INVALID_ARG', `${what} words must be strings of 1 to 64 characters with a letter or digit, got ${describe(word)}`);
    }
    words.push(word);
  }
  return Object.freeze(words);
}

/** A key as the redact words are compared with it: lower case, letters and digits only. */
function normalKey(key: string): string {
  return key.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** The test of one redact list, made once per list. */
const redactTests = new WeakMap<readonly string[], (key: string) => boolean>();

function redactTest(words: readonly string[]): (key: string) => boolean {
  let test = redactTests.get(words);
  if (test === undefined) {
    const normal = words.map(normalKey);
    test =
      normal.length === 0
        ? () => false
        : (key) => {
            const k = normalKey(key);
            return normal.some((w) => k.includes(w));
          };
    redactTests.set(words, test);
  }
  return test;
}

/**
 * Summarises `value` into plain JSON within `limits` (see {@link SummaryLimits}). Never invokes a
 * getter, `toJSON`, `toString` or a proxy trap it can detect (Node); whatever throws while reading
 * becomes `[Unreadable]`. Never throws. Bad `limits` throw ERR_INVALID_ARG.
 *
 * Markers: `[undefined]`, `[NaN]`, `[Infinity]`, `[-Infinity]`, `[12n]`, `[Symbol(x)]`,
 * `[Function name]`, `[Getter]`, `[Setter]`, `[Getter/Setter]`, `[Circular]`, `[Proxy]`,
 * `[Promise]`, `[Map size=n]`, `[Set size=n]`, `[WeakMap]`, `[WeakSet]`, `[Uint8Array length=n]`,
 * `[ArrayBuffer byteLength=n]`, `[DataView byteLength=n]`, `[Date ISO]`, `[RegExp /source/]`,
 * `[TypeError: message]`, `[empty]` (array hole), `[… n more]`, `[…]` (size budget spent),
 * `[Unreadable]`. Objects of a class other than Object get a leading `"[class]": "Name"` entry.
 */
export function summarize(value: unknown, limits?: SummaryLimits): unknown {
  const resolved = limits === undefined ? DEFAULT_LIMITS : resolveLimits(limits);
  return new Summarizer(resolved).value(value, 0);
}

/**
 * Summarises a call's arguments as an array (at most `limits.items` of them), sharing one size
 * budget. With `names` (a hook's declared argument names) it returns an object keyed by name
 * instead, extra arguments keyed by their index. Never throws.
 */
export function summarizeArgs(args: readonly unknown[], limits: Readonly<Required<SummaryLimits>>, names?: readonly string[] | null): unknown {
  const s = new Summarizer(limits);
  try {
    const n = args.length;
    if (names !== undefined && names !== null && names.length > 0) {
      const out: Record<string, unknown> = {};
      const masked = redactTest(limits.redact);
      for (let i = 0; i < n; i++) {
        const key = names[i] ?? String(i);
        out[key] = masked(key) ? REDACTED : s.value(args[i], 0);
      }
      return out;
    }
    const shown = Math.min(n, limits.items);
    const out: unknown[] = [];
    for (let i = 0; i < shown; i++) out.push(s.value(args[i], 0));
    if (n > shown) out.push(`[… ${n - shown} more]`);
    return out;
  } catch {
    return '[Unreadable]';
  }
}

/** Summarises a thrown value as `{ name, message }` (read through data descriptors only). Never throws. */
export function errorInfo(error: unknown, limits: Readonly<Required<SummaryLimits>> = DEFAULT_LIMITS): { name: string; message: string } {
  try {
    if (typeof error === 'object' && error !== null && !isProxy(error)) {
      const name = dataProperty(error, 'name', true);
      const message = dataProperty(error, 'message', true);
      return {
        name: typeof name === 'string' ? cut(name, limits.string) : (className(error) ?? 'Error'),
        message: typeof message === 'string' ? cut(message, limits.string) : '',
      };
    }
    const shown = new Summarizer(limits).value(error, 0);
    return { name: 'non-error', message: typeof shown === 'string' ? shown : JSON.stringify(shown) };
  } catch {
    return { name: 'non-error', message: '[Unreadable]' };
  }
}

/**
 * A thrown value's `stack` string, or undefined. Reads a data property (V8 up to 11 / Node 20, JSC),
 * or calls the engine's own `stack` accessor, which V8 12+ (Node 22+) installs on every error of
 * this realm and SpiderMonkey on `Error.prototype`. A getter the program defined is never called
 * (the first read formats the stack, through `Error.prepareStackTrace` if the program set one, as
 * reading the data property did on V8 11). Never throws.
 */
export function errorStack(error: unknown): string | undefined {
  try {
    if (typeof error !== 'object' || error === null) return undefined;
    let current: object | null = error;
    for (let hops = 0; current !== null && hops < 64; hops++) {
      if (isProxy(current)) return undefined;
      const desc = Reflect.getOwnPropertyDescriptor(current, 'stack');
      if (desc !== undefined) {
        const stack: unknown =
          'value' in desc ? desc.value : desc.get !== undefined && desc.get === brands.errorStack ? Reflect.apply(desc.get, error, []) : undefined;
        return typeof stack === 'string' ? stack : undefined;
      }
      current = Reflect.getPrototypeOf(current);
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** One summary in progress: its limits, its remaining budget and the objects above the current one. */
class Summarizer {
  private budget: number;
  private readonly ancestors = new Set<object>();
  private readonly masked: (key: string) => boolean;

  constructor(private readonly limits: Readonly<Required<SummaryLimits>>) {
    this.budget = limits.nodes;
    this.masked = redactTest(limits.redact);
  }

  value(v: unknown, depth: number): unknown {
    if (this.budget <= 0) return '[…]';
    this.budget--;
    switch (typeof v) {
      case 'string':
        return cut(v, this.limits.string);
      case 'number':
        if (Number.isFinite(v)) return Object.is(v, -0) ? 0 : v;
        return Number.isNaN(v) ? '[NaN]' : v > 0 ? '[Infinity]' : '[-Infinity]';
      case 'boolean':
        return v;
      case 'undefined':
        return '[undefined]';
      case 'bigint':
        return `[${cut(String(v), this.limits.string)}n]`;
      case 'symbol':
        return `[${cut(String(v), this.limits.string)}]`;
      case 'function':
        return this.fn(v);
      default:
        if (v === null) return null;
        try {
          return this.object(v as object, depth);
        } catch {
          return '[Unreadable]';
        }
    }
  }

  private fn(f: unknown): string {
    if (isProxy(f)) return '[Proxy]';
    try {
      const name = dataProperty(f as object, 'name', false);
      return typeof name === 'string' && name !== '' ? `[Function ${cut(name, this.limits.string)}]` : '[Function (anonymous)]';
    } catch {
      return '[Function]';
    }
  }

  private object(o: object, depth: number): unknown {
    if (isProxy(o)) return '[Proxy]';
    if (this.ancestors.has(o)) return '[Circular]';
    const builtin = builtinMarker(o, this.limits.string);
    if (builtin !== undefined) return builtin;
    if (Array.isArray(o)) return this.array(o, depth);
    const name = className(o);
    if (depth >= this.limits.depth) return `[${name ?? 'Object'}]`;
    this.ancestors.add(o);
    try {
      const out: Record<string, unknown> = {};
      if (name !== undefined && name !== 'Object') out['[class]'] = name;
      const keys = Reflect.ownKeys(o);
      let shown = 0;
      let i = 0;
      for (; i < keys.length && shown < this.limits.keys; i++) {
        const key = keys[i] as string | symbol;
        const desc = Reflect.getOwnPropertyDescriptor(o, key);
        if (desc === undefined || !desc.enumerable) continue;
        const label = typeof key === 'symbol' ? `[${cut(String(key), this.limits.string)}]` : cut(key, this.limits.string);
        out[label] = typeof key === 'string' && 'value' in desc && this.masked(key) ? REDACTED : this.slot(desc, depth);
        shown++;
      }
      let more = 0;
      for (; i < keys.length; i++) if (typeof keys[i] === 'string') more++;
      if (more > 0) out['…'] = `[${more} more keys]`;
      return out;
    } finally {
      this.ancestors.delete(o);
    }
  }

  private array(a: unknown[], depth: number): unknown {
    const lengthValue = dataProperty(a, 'length', false);
    const length = typeof lengthValue === 'number' ? lengthValue : 0;
    if (depth >= this.limits.depth) return `[Array(${length})]`;
    this.ancestors.add(a);
    try {
      const shown = Math.min(length, this.limits.items);
      const out: unknown[] = [];
      for (let i = 0; i < shown; i++) {
        const desc = Reflect.getOwnPropertyDescriptor(a, i);
        out.push(desc === undefined ? '[empty]' : this.slot(desc, depth));
      }
      if (length > shown) out.push(`[… ${length - shown} more]`);
      return out;
    } finally {
      this.ancestors.delete(a);
    }
  }

  private slot(desc: PropertyDescriptor, depth: number): unknown {
    if (desc.get !== undefined || desc.set !== undefined) {
      return desc.get !== undefined && desc.set !== undefined ? '[Getter/Setter]' : desc.get !== undefined ? '[Getter]' : '[Setter]';
    }
    if ('get' in desc || 'set' in desc) return '[Getter]';
    return this.value(desc.value, depth + 1);
  }
}

/** Cuts `s` to `max` characters, saying how long it was. */
function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length} chars)`;
}

/**
 * The value of `o`'s data property `key` (its own, or with `inherited` the nearest on its prototype
 * chain); undefined if it is missing or an accessor. Runs no user code on non-proxies.
 */
export function dataProperty(o: object, key: PropertyKey, inherited: boolean): unknown {
  let current: object | null = o;
  for (let hops = 0; current !== null && hops < 64; hops++) {
    if (isProxy(current)) return undefined;
    const desc = Reflect.getOwnPropertyDescriptor(current, key);
    if (desc !== undefined) return 'value' in desc ? desc.value : undefined;
    if (!inherited) return undefined;
    current = Reflect.getPrototypeOf(current);
  }
  return undefined;
}

/** The name of `o`'s class, from its prototype's own `constructor` data property; undefined if none. */
function className(o: object): string | undefined {
  const proto = Reflect.getPrototypeOf(o);
  if (proto === null) return 'null prototype';
  if (proto === Object.prototype) return undefined;
  if (isProxy(proto)) return undefined;
  const ctor = dataProperty(proto, 'constructor', false);
  if (typeof ctor !== 'function') return undefined;
  const name = dataProperty(ctor, 'name', false);
  return typeof name === 'string' && name !== '' ? name.slice(0, 60) : undefined;
}

/** true if `proto` is on `o`'s prototype chain (walked without proxies' traps). */
function inherits(o: object, proto: object): boolean {
  let current: object | null = Reflect.getPrototypeOf(o);
  for (let hops = 0; current !== null && hops < 64; hops++) {
    if (current === proto) return true;
    if (isProxy(current)) return false;
    current = Reflect.getPrototypeOf(current);
  }
  return false;
}

// Brand checks: built-in getters and methods that read an internal slot and throw on anything else.
// Taken once at load, so a program that later patches the prototypes cannot run code through them.
const getter = (proto: object, key: PropertyKey): ((this: unknown) => unknown) => {
  const get = Reflect.getOwnPropertyDescriptor(proto, key)?.get;
  if (get === undefined) throw new Error(`no getter ${String(key)}`);
  return get;
};
const TypedArrayProto = Reflect.getPrototypeOf(Uint8Array.prototype) as object;
const brands = {
  mapSize: getter(Map.prototype, 'size'),
  setSize: getter(Set.prototype, 'size'),
  typedTag: getter(TypedArrayProto, Symbol.toStringTag),
  typedLength: getter(TypedArrayProto, 'length'),
  bufferLength: getter(ArrayBuffer.prototype, 'byteLength'),
  sharedLength: typeof SharedArrayBuffer === 'function' ? getter(SharedArrayBuffer.prototype as object, 'byteLength') : undefined,
  viewLength: getter(DataView.prototype, 'byteLength'),
  regexpSource: getter(RegExp.prototype, 'source'),
  weakMapHas: WeakMap.prototype.has,
  weakSetHas: WeakSet.prototype.has,
  dateTime: Date.prototype.getTime,
  dateIso: Date.prototype.toISOString,
  errorStack: builtinStackGetter(),
};

/** The engine's `stack` getter, when it has one: own on each error (V8 12+) or on Error.prototype. */
function builtinStackGetter(): ((this: unknown) => unknown) | undefined {
  const probe = new Error('probe');
  return (Reflect.getOwnPropertyDescriptor(probe, 'stack') ?? Reflect.getOwnPropertyDescriptor(Error.prototype, 'stack'))?.get;
}

/** Calls a brand-checking built-in; undefined if `o` lacks the brand. */
function branded(fn: ((this: unknown, ...a: never[]) => unknown) | undefined, o: object, ...args: unknown[]): { v: unknown } | undefined {
  if (fn === undefined) return undefined;
  try {
    return { v: Reflect.apply(fn, o, args) };
  } catch {
    return undefined;
  }
}

/**
 * Node's own brand checks (`util.types`), taken when hookwire loads: they answer without
 * throwing, where each `branded` call on an ordinary object throws and catches a TypeError (most
 * of a trace exit's cost on object-heavy code). Elsewhere, undefined: every brand is tried.
 */
const nodeTypes = ((): ((o: object) => boolean) | undefined => {
  const t = builtin('node:util')?.types;
  if (t === undefined) return undefined;
  const checks = [t.isTypedArray, t.isMap, t.isSet, t.isArrayBuffer, t.isSharedArrayBuffer, t.isDataView, t.isDate, t.isRegExp, t.isWeakMap, t.isWeakSet];
  return (o) => checks.some((check) => check(o));
})();

/** A short marker for a built-in object kind, or undefined for ordinary objects and arrays. */
function builtinMarker(o: object, maxString: number): string | undefined {
  if (nodeTypes === undefined || nodeTypes(o)) return brandMarker(o, maxString);
  return otherMarker(o, maxString);
}

/** The marker of an object with one of the brands (Map, Set, Date, typed array, …), else otherMarker's. */
function brandMarker(o: object, maxString: number): string | undefined {
  const tag = branded(brands.typedTag, o);
  if (tag !== undefined && typeof tag.v === 'string') {
    return `[${className(o) ?? tag.v} length=${String(branded(brands.typedLength, o)?.v)}]`;
  }
  let b = branded(brands.mapSize, o);
  if (b !== undefined) return `[Map size=${String(b.v)}]`;
  b = branded(brands.setSize, o);
  if (b !== undefined) return `[Set size=${String(b.v)}]`;
  b = branded(brands.bufferLength, o);
  if (b !== undefined) return `[ArrayBuffer byteLength=${String(b.v)}]`;
  b = branded(brands.sharedLength, o);
  if (b !== undefined) return `[SharedArrayBuffer byteLength=${String(b.v)}]`;
  b = branded(brands.viewLength, o);
  if (b !== undefined) return `[DataView byteLength=${String(b.v)}]`;
  b = branded(brands.dateTime, o);
  if (b !== undefined) {
    const iso = Number.isNaN(b.v) ? undefined : branded(brands.dateIso, o);
    return `[Date ${iso === undefined ? 'Invalid' : String(iso.v)}]`;
  }
  if (o !== RegExp.prototype) {
    b = branded(brands.regexpSource, o);
    if (b !== undefined) return `[RegExp /${cut(String(b.v), maxString)}/]`;
  }
  if (branded(brands.weakMapHas, o, {}) !== undefined) return '[WeakMap]';
  if (branded(brands.weakSetHas, o, {}) !== undefined) return '[WeakSet]';
  return otherMarker(o, maxString);
}

/** Promises and errors, told by their prototype chain. */
function otherMarker(o: object, maxString: number): string | undefined {
  if (inherits(o, Promise.prototype)) return '[Promise]';
  if (inherits(o, Error.prototype)) {
    const { name, message } = errorInfo(o, { ...DEFAULT_LIMITS, string: maxString });
    const code = dataProperty(o, 'code', false);
    const label = typeof code === 'string' ? `${name} ${cut(code, 60)}` : name;
    return message === '' ? `[${label}]` : `[${label}: ${message}]`;
  }
  return undefined;
}
