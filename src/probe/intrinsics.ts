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
 * Every built-in has a native function's source text (ECMA-262's `NativeFunction` form), and no
 * function written in JavaScript has it, so a function whose text is not native is answered at
 * once, and the walk runs only for the first native one a probe names (a bound function, a host
 * function, a built-in): a program that probes its own and its libraries' functions never pays it
 * (~5 ms on Node 20 and ~4 ms on Node 24 at an attaching agent's start, or on the event loop at a
 * control client's first probe; issue 8). It records the functions the standard objects hold at
 * that moment: those are the ones hookwire's own calls reach (it calls built-ins through their
 * objects), and a native function the program put there itself is refused as one of them.
 */
import { isNativeSource, sourceText } from './classify.ts';

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

/**
 * What the walk found, one entry per object or function, in the order found: how it was reached
 * (from the entry `parents[n]`, by property `keys[n]`, as `hows[n]`), so that a path is spelt
 * only when asked for. Spelling every path as it walked (thousands of strings, for a name wanted
 * only when a probe is refused) cost ~0.3 ms on Node 20 and ~1-2 ms on Node 24 of an attaching
 * agent's start (issue 8).
 */
const parents: number[] = [];
const keys: PropertyKey[] = [];
const hows: How[] = [];
/** Each intrinsic function → its entry above, the first the walk found. */
const entries = new WeakMap<Function, number>();
/** Whether the walk ran (once, at the first native function asked about). */
let walked = false;

/** Whether the built-ins were walked yet: for the test that a program probing its own functions never pays for it. */
export function intrinsicsWalked(): boolean {
  return walked;
}

/** How an entry was reached: a global or hidden root, a data property, a getter, a setter, a prototype link. */
const How = { Root: 0, Value: 1, Getter: 2, Setter: 3, Prototype: 4 } as const;
type How = (typeof How)[keyof typeof How];

/**
 * The built-in `fn` is (`'Map.prototype.get'`), or undefined when `fn` is not a JavaScript
 * built-in of this realm. Reads no property of `fn`.
 */
export function intrinsicName(fn: Function): string | undefined {
  if (!isNativeSource(sourceText(fn))) return undefined;
  if (!walked) {
    walked = true;
    walk();
  }
  const n = entries.get(fn);
  return n === undefined ? undefined : pathOf(n);
}

function pathOf(n: number): string {
  const key = keys[n]!;
  if (hows[n] === How.Root) return String(key);
  if (hows[n] === How.Prototype) return `${pathOf(parents[n]!)}.[[Prototype]]`;
  const at = `${pathOf(parents[n]!)}.${typeof key === 'symbol' ? `[${key.description ?? 'symbol'}]` : key}`;
  return hows[n] === How.Getter ? `${at} (getter)` : hows[n] === How.Setter ? `${at} (setter)` : at;
}

function walk(): void {
  const seen = new WeakSet<object>();
  const objects: object[] = [];
  const visit = (value: unknown, parent: number, key: PropertyKey, how: How): void => {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) return;
    seen.add(value);
    if (typeof value === 'function') entries.set(value, objects.length);
    objects.push(value);
    parents.push(parent);
    keys.push(key);
    hows.push(how);
  };
  const root = (value: unknown, name: string): void => visit(value, -1, name, How.Root);
  const global = globalThis as Record<string, unknown>;
  for (const name of GLOBAL_NAMES) {
    const desc = Reflect.getOwnPropertyDescriptor(global, name);
    if (desc !== undefined && 'value' in desc) root(desc.value, name);
  }
  // Intrinsics with no global name, reached from instances (their prototype chains are walked below).
  root(
    Reflect.getPrototypeOf(async function () {}),
    '%AsyncFunction.prototype%',
  );
  root(
    Reflect.getPrototypeOf(function* () {}),
    '%GeneratorFunction.prototype%',
  );
  root(
    Reflect.getPrototypeOf(async function* () {}),
    '%AsyncGeneratorFunction.prototype%',
  );
  root(Reflect.getPrototypeOf([][Symbol.iterator]()), '%ArrayIteratorPrototype%');
  root(Reflect.getPrototypeOf(new Map()[Symbol.iterator]()), '%MapIteratorPrototype%');
  root(Reflect.getPrototypeOf(new Set()[Symbol.iterator]()), '%SetIteratorPrototype%');
  root(Reflect.getPrototypeOf(''[Symbol.iterator]()), '%StringIteratorPrototype%');
  root(Reflect.getPrototypeOf(/a/g[Symbol.matchAll]('')), '%RegExpStringIteratorPrototype%');
  const iteratorHelper = (global['Iterator'] as { from?: unknown } | undefined)?.from;
  if (typeof iteratorHelper === 'function') {
    // %IteratorHelperPrototype% and %WrapForValidIteratorPrototype% (ES2025), where the realm has them.
    const helper = ([][Symbol.iterator]() as unknown as { map?: (f: unknown) => object }).map?.((x: unknown) => x);
    if (helper !== undefined) root(Reflect.getPrototypeOf(helper), '%IteratorHelperPrototype%');
    root(Reflect.getPrototypeOf((iteratorHelper as (o: object) => object)({ next: () => ({ done: true }) })), '%WrapForValidIteratorPrototype%');
  }
  for (let i = 0; i < objects.length; i++) {
    const object = objects[i]!;
    for (const key of Reflect.ownKeys(object)) {
      const desc = Reflect.getOwnPropertyDescriptor(object, key);
      if (desc === undefined) continue;
      if ('value' in desc) visit(desc.value, i, key, How.Value);
      else {
        visit(desc.get, i, key, How.Getter);
        visit(desc.set, i, key, How.Setter);
      }
    }
    visit(Reflect.getPrototypeOf(object), i, '[[Prototype]]', How.Prototype);
  }
}
