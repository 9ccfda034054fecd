// `node:assert/strict` for runtimes without it (browsers; Deno and Bun run the same bundle): the
// part of the API the core tests use, with the same strict semantics. The bundler aliases
// `node:assert/strict` here (see run.mjs); test/portable/shim.test.ts checks it against Node's.

type Expected = RegExp | ((error: unknown) => unknown) | (abstract new (...args: never[]) => unknown) | Record<string, unknown>;

/** The error every failed assertion throws (`instanceof assert.AssertionError` works as in Node). */
export class AssertionError extends Error {
  readonly code = 'ERR_ASSERTION';
  readonly actual: unknown;
  readonly expected: unknown;
  readonly operator: string;
  readonly generatedMessage: boolean;

  constructor(options: { message?: string | undefined; actual?: unknown; expected?: unknown; operator: string; generated?: string }) {
    super(options.message ?? options.generated ?? 'Failed');
    this.name = 'AssertionError';
    this.actual = options.actual;
    this.expected = options.expected;
    this.operator = options.operator;
    this.generatedMessage = options.message === undefined;
  }
}

type Message = string | Error | undefined;

function fail(message: Message, actual: unknown, expected: unknown, operator: string, generated: string): never {
  if (message instanceof Error) throw message;
  throw new AssertionError({ message, actual, expected, operator, generated });
}

function ok(value: unknown, message?: Message): void {
  if (!value) fail(message, value, true, '==', `The expression evaluated to a falsy value:\n\n  ${show(value)}\n`);
}

function equal(actual: unknown, expected: unknown, message?: Message): void {
  if (!Object.is(actual, expected)) {
    fail(message, actual, expected, 'strictEqual', `Expected values to be strictly equal:\n\n${show(actual)} !== ${show(expected)}\n`);
  }
}

function notEqual(actual: unknown, expected: unknown, message?: Message): void {
  if (Object.is(actual, expected)) fail(message, actual, expected, 'notStrictEqual', `Expected "actual" to be strictly unequal to: ${show(expected)}`);
}

function deepEqual(actual: unknown, expected: unknown, message?: Message): void {
  if (!isDeepStrictEqual(actual, expected)) {
    fail(
      message,
      actual,
      expected,
      'deepStrictEqual',
      `Expected values to be strictly deep-equal:\n+ actual\n- expected\n\n+ ${show(actual)}\n- ${show(expected)}\n`,
    );
  }
}

function notDeepEqual(actual: unknown, expected: unknown, message?: Message): void {
  if (isDeepStrictEqual(actual, expected)) {
    fail(message, actual, expected, 'notDeepStrictEqual', `Expected "actual" not to be strictly deep-equal to: ${show(expected)}`);
  }
}

function match(value: string, regexp: RegExp, message?: Message): void {
  if (typeof value !== 'string' || !regexp.test(value)) {
    fail(message, value, regexp, 'match', `The input did not match the regular expression ${String(regexp)}. Input:\n\n${show(value)}\n`);
  }
}

function doesNotMatch(value: string, regexp: RegExp, message?: Message): void {
  if (typeof value !== 'string' || regexp.test(value)) {
    fail(
      message,
      value,
      regexp,
      'doesNotMatch',
      `The input was expected to not match the regular expression ${String(regexp)}. Input:\n\n${show(value)}\n`,
    );
  }
}

const NOT_THROWN = Symbol('not thrown');

function throws(fn: () => unknown, expected?: Expected | Message, message?: Message): void {
  let thrown: unknown = NOT_THROWN;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  settle(thrown, expected, message, 'throws');
}

async function rejects(promiseOrFn: Promise<unknown> | (() => Promise<unknown>), expected?: Expected | Message, message?: Message): Promise<void> {
  let thrown: unknown = NOT_THROWN;
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (error) {
    thrown = error;
  }
  settle(thrown, expected, message, 'rejects');
}

function doesNotThrow(fn: () => unknown, message?: Message): void {
  try {
    fn();
  } catch (error) {
    fail(message, error, undefined, 'doesNotThrow', `Got unwanted exception.\nActual message: "${String((error as Error)?.message ?? error)}"`);
  }
}

/** Node's rules: a RegExp tests String(error); a class must match by instanceof; a function must return true; an object's keys must deep-equal. */
function settle(thrown: unknown, expected: Expected | Message, message: Message, operator: 'throws' | 'rejects'): void {
  if (typeof expected === 'string') {
    message = expected;
    expected = undefined;
  }
  if (thrown === NOT_THROWN) fail(message, undefined, expected, operator, `Missing expected ${operator === 'throws' ? 'exception' : 'rejection'}.`);
  if (expected === undefined) return;
  if (expected instanceof RegExp) {
    if (!expected.test(String(thrown))) {
      fail(message, thrown, expected, operator, `The input did not match the regular expression ${String(expected)}. Input:\n\n${show(String(thrown))}\n`);
    }
    return;
  }
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && thrown instanceof (expected as abstract new () => unknown)) return;
    if (expected === Error || Object.prototype.isPrototypeOf.call(Error, expected)) {
      fail(message, thrown, expected, operator, `The error is expected to be an instance of "${expected.name}". Received ${show(thrown)}`);
    }
    const verdict = (expected as (error: unknown) => unknown).call({}, thrown);
    if (verdict !== true) {
      fail(
        message,
        thrown,
        expected,
        operator,
        `The ${expected.name ? `"${expected.name}" ` : ''}validation function is expected to return "true". Received ${show(verdict)}\n\nCaught error:\n\n${show(thrown)}`,
      );
    }
    return;
  }
  if (expected instanceof Error) expected = { name: expected.name, message: expected.message };
  if (typeof expected === 'object' && expected !== null) {
    if (typeof thrown !== 'object' || thrown === null) fail(message, thrown, expected, operator, `Expected an object to be thrown, got ${show(thrown)}`);
    for (const key of Reflect.ownKeys(expected)) {
      const want = (expected as Record<PropertyKey, unknown>)[key];
      const got = (thrown as Record<PropertyKey, unknown>)[key];
      const same = want instanceof RegExp && typeof got === 'string' ? want.test(got) : isDeepStrictEqual(got, want);
      if (!same) fail(message, thrown, expected, operator, `Expected values to be strictly deep-equal at "${String(key)}": ${show(got)} vs ${show(want)}`);
    }
  }
}

/** Deep strict equality with Node's rules for the values tests compare: Object.is for primitives, same prototypes, own enumerable keys, Maps, Sets, Dates, RegExps, boxed primitives, typed arrays, errors; cycles allowed. */
export function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  return deep(a, b, new Map());
}

function deep(a: unknown, b: unknown, seen: Map<object, object>): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const tag = Object.prototype.toString.call(a);
  if (tag !== Object.prototype.toString.call(b)) return false;
  // a pair met again on the way down is assumed equal (its other keys are compared where it was first met)
  if (seen.get(a) === b) return true;
  seen.set(a, b);
  try {
    if (Array.isArray(a)) {
      const bb = b as unknown[];
      if (a.length !== bb.length) return false;
      for (let i = 0; i < a.length; i++) {
        if (Object.hasOwn(a, i) !== Object.hasOwn(bb, i)) return false;
        if (!deep(a[i], bb[i], seen)) return false;
      }
    } else if (a instanceof Date) {
      if (!Object.is(a.getTime(), (b as Date).getTime())) return false;
    } else if (a instanceof RegExp) {
      const rb = b as RegExp;
      if (a.source !== rb.source || a.flags !== rb.flags || a.lastIndex !== rb.lastIndex) return false;
    } else if (a instanceof Error) {
      const eb = b as Error;
      if (a.name !== eb.name || a.message !== eb.message) return false;
    } else if (ArrayBuffer.isView(a)) {
      const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      const y = new Uint8Array((b as ArrayBufferView).buffer, (b as ArrayBufferView).byteOffset, (b as ArrayBufferView).byteLength);
      if (x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
    } else if (a instanceof Map) {
      const mb = b as Map<unknown, unknown>;
      if (a.size !== mb.size) return false;
      for (const [key, value] of a) {
        if (mb.has(key)) {
          if (!deep(value, mb.get(key), seen)) return false;
        } else if (typeof key !== 'object' || key === null || ![...mb].some(([k, v]) => deep(key, k, seen) && deep(value, v, seen))) {
          return false;
        }
      }
    } else if (a instanceof Set) {
      const sb = b as Set<unknown>;
      if (a.size !== sb.size) return false;
      for (const value of a) {
        if (sb.has(value)) continue;
        if (typeof value !== 'object' || value === null || ![...sb].some((v) => deep(value, v, seen))) return false;
      }
    } else if (a instanceof Number || a instanceof String || a instanceof Boolean || a instanceof BigInt || a instanceof Symbol) {
      if (!Object.is(a.valueOf(), (b as { valueOf(): unknown }).valueOf())) return false;
    } else if (a instanceof WeakMap || a instanceof WeakSet || a instanceof Promise) {
      // compared by identity only, as Node does (their contents cannot be read)
      return false;
    }
    return sameKeys(a, b, seen);
  } finally {
    seen.delete(a);
  }
}

/** Own enumerable keys (string and symbol), the array indices and error fields compared above excepted. */
function sameKeys(a: object, b: object, seen: Map<object, object>): boolean {
  const keys = (o: object) =>
    Reflect.ownKeys(o).filter(
      (k) => Object.prototype.propertyIsEnumerable.call(o, k) && !(Array.isArray(o) && typeof k === 'string' && /^(0|[1-9]\d*)$/.test(k)),
    );
  const ka = keys(a);
  const kb = keys(b);
  if (ka.length !== kb.length) return false;
  for (const key of ka) {
    if (!Object.prototype.propertyIsEnumerable.call(b, key)) return false;
    if (!deep((a as Record<PropertyKey, unknown>)[key], (b as Record<PropertyKey, unknown>)[key], seen)) return false;
  }
  return true;
}

/** A short, readable form of a value for failure messages. */
export function show(value: unknown, depth = 0): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 400 ? `${value.slice(0, 400)}…` : value);
    case 'bigint':
      return `${value}n`;
    case 'function':
      return `[Function ${value.name || '(anonymous)'}]`;
    case 'symbol':
    case 'number':
    case 'boolean':
    case 'undefined':
      return Object.is(value, -0) ? '-0' : String(value);
    default:
      break;
  }
  if (value === null) return 'null';
  if (depth > 3) return Array.isArray(value) ? '[Array]' : '[Object]';
  try {
    if (value instanceof Error) return `${value.name}: ${value.message}`;
    if (value instanceof RegExp || value instanceof Date) return String(value);
    if (Array.isArray(value))
      return `[${value
        .slice(0, 30)
        .map((v) => show(v, depth + 1))
        .join(', ')}${value.length > 30 ? ', …' : ''}]`;
    if (value instanceof Map)
      return `Map(${value.size}) {${[...value]
        .slice(0, 30)
        .map(([k, v]) => `${show(k, depth + 1)} => ${show(v, depth + 1)}`)
        .join(', ')}}`;
    if (value instanceof Set)
      return `Set(${value.size}) {${[...value]
        .slice(0, 30)
        .map((v) => show(v, depth + 1))
        .join(', ')}}`;
    const entries = Object.entries(value as object)
      .slice(0, 30)
      .map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${show(v, depth + 1)}`);
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return `${name && name !== 'Object' ? `${name} ` : ''}{${entries.join(', ')}}`;
  } catch {
    return '[Unreadable]';
  }
}

const methods = {
  AssertionError,
  ok,
  equal,
  strictEqual: equal,
  notEqual,
  notStrictEqual: notEqual,
  deepEqual,
  deepStrictEqual: deepEqual,
  notDeepEqual,
  notDeepStrictEqual: notDeepEqual,
  match,
  doesNotMatch,
  throws,
  rejects,
  doesNotThrow,
  fail: (message?: Message): never => fail(message, undefined, undefined, 'fail', 'Failed'),
};
type Assert = ((value: unknown, message?: Message) => void) & typeof methods & { strict: Assert };

/** The default export: callable like `assert(value)`, with the strict methods on it (and on `assert.strict`). */
const assert = Object.assign((value: unknown, message?: Message): void => ok(value, message), methods, { strict: undefined as unknown as Assert });
assert.strict = assert;
export default assert;
