/**
 * The functions a probe refuses: the realm's JavaScript built-ins (ECMAScript intrinsics).
 *
 * hookwire's own code (the core's transactions, the probe engine, the exits, the control server)
 * calls built-ins like `Map.prototype.get`, `Array.prototype.map` or `Reflect.apply` all the time,
 * some of them on a wrapper's path before its recursion guard is up, or while a wrapper is being
 * swapped. A probe on one of them would make hookwire call its own probe: endless recursion, a
 * program whose `Map#get` throws. Which built-ins each path calls changes with every edit, so the
 * rule is not a list of the ones seen today: every function reachable from the standard global
 * objects (ECMA-262 "The Global Object": its constructors, namespaces and functions), through own
 * properties (values and accessors, string and symbol keys) and prototype links, plus the hidden
 * intrinsics only instances reach (iterator, generator and async function prototypes). Node's
 * module functions (`node:fs#readFileSync`, `node:path#join`) are not intrinsics: hookwire calls
 * its own copies of them (see host.ts) and they stay probeable.
 *
 * The walk runs when this module is evaluated, before any probe can exist (every probe goes
 * through the probe layer, which imports this file), so what it records are the originals.
 */

/** ECMA-262's global value properties that are objects or functions, by name (those this realm has). */
const GLOBAL_NAMES = [
  // Constructor properties (Function and Object first, so paths read `Function.prototype.call`)
  'Function',
  'Object',
  'AggregateError',
  'Array',
  'ArrayBuffer',
  'BigInt',
  'BigInt64Array',
  'BigUint64Array',
  'Boolean',
  'DataView',
  'Date',
  'Error',
  'EvalError',
  'FinalizationRegistry',
  'Float16Array',
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'Iterator',
  'Map',
  'Number',
  'Promise',
  'Proxy',
  'RangeError',
  'ReferenceError',
  'RegExp',
  'Set',
  'SharedArrayBuffer',
  'String',
  'Symbol',
  'SyntaxError',
  'TypeError',
  'Uint8Array',
  'Uint8ClampedArray',
  'Uint16Array',
  'Uint32Array',
  'URIError',
  'WeakMap',
  'WeakRef',
  'WeakSet',
  // Other properties
  'Atomics',
  'JSON',
  'Math',
  'Reflect',
  // Function properties of the global object
  'eval',
  'isFinite',
  'isNaN',
  'parseFloat',
  'parseInt',
  'decodeURI',
  'decodeURIComponent',
  'encodeURI',
  'encodeURIComponent',
  'escape',
  'unescape',
] as const;

/** Each intrinsic function → a readable path to it (`Map.prototype.get`), the first the walk found. */
const names = new WeakMap<Function, string>();

/**
 * The built-in `fn` is (`'Map.prototype.get'`), or undefined when `fn` is not a JavaScript
 * built-in of this realm. Reads no property of `fn`.
 */
export function intrinsicName(fn: Function): string | undefined {
  return names.get(fn);
}

walk();

function walk(): void {
  const seen = new WeakSet<object>();
  const queue: [object, string][] = [];
  const visit = (value: unknown, path: string): void => {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) return;
    seen.add(value);
    if (typeof value === 'function') names.set(value, path);
    queue.push([value, path]);
  };
  const global = globalThis as Record<string, unknown>;
  for (const name of GLOBAL_NAMES) {
    const desc = Reflect.getOwnPropertyDescriptor(global, name);
    if (desc !== undefined && 'value' in desc) visit(desc.value, name);
  }
  // Intrinsics with no global name, reached from instances (their prototype chains are walked below).
  visit(
    Reflect.getPrototypeOf(async function () {}),
    '%AsyncFunction.prototype%',
  );
  visit(
    Reflect.getPrototypeOf(function* () {}),
    '%GeneratorFunction.prototype%',
  );
  visit(
    Reflect.getPrototypeOf(async function* () {}),
    '%AsyncGeneratorFunction.prototype%',
  );
  visit(Reflect.getPrototypeOf([][Symbol.iterator]()), '%ArrayIteratorPrototype%');
  visit(Reflect.getPrototypeOf(new Map()[Symbol.iterator]()), '%MapIteratorPrototype%');
  visit(Reflect.getPrototypeOf(new Set()[Symbol.iterator]()), '%SetIteratorPrototype%');
  visit(Reflect.getPrototypeOf(''[Symbol.iterator]()), '%StringIteratorPrototype%');
  visit(Reflect.getPrototypeOf(/a/g[Symbol.matchAll]('')), '%RegExpStringIteratorPrototype%');
  const iteratorHelper = (global['Iterator'] as { from?: unknown } | undefined)?.from;
  if (typeof iteratorHelper === 'function') {
    // %IteratorHelperPrototype% and %WrapForValidIteratorPrototype% (ES2025), where the realm has them.
    const helper = ([][Symbol.iterator]() as unknown as { map?: (f: unknown) => object }).map?.((x: unknown) => x);
    if (helper !== undefined) visit(Reflect.getPrototypeOf(helper), '%IteratorHelperPrototype%');
    visit(Reflect.getPrototypeOf((iteratorHelper as (o: object) => object)({ next: () => ({ done: true }) })), '%WrapForValidIteratorPrototype%');
  }
  for (let i = 0; i < queue.length; i++) {
    const [object, path] = queue[i]!;
    for (const key of Reflect.ownKeys(object)) {
      const desc = Reflect.getOwnPropertyDescriptor(object, key);
      if (desc === undefined) continue;
      const at = `${path}.${typeof key === 'symbol' ? `[${key.description ?? 'symbol'}]` : key}`;
      if ('value' in desc) visit(desc.value, at);
      else {
        visit(desc.get, `${at} (getter)`);
        visit(desc.set, `${at} (setter)`);
      }
    }
    visit(Reflect.getPrototypeOf(object), `${path}.[[Prototype]]`);
  }
}
