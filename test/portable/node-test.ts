// `node:test` for runtimes without it: the part of the API the core tests use (test/it, describe/
// suite, before, after; options skip, todo, timeout). The bundler aliases `node:test` here (see
// run.mjs). Registration collects a tree per test file; `runRegistered` runs it in order, one test
// at a time as Node does within a file, and reports each leaf test. Anything else a test file asks
// for fails loudly: an unknown option throws, and an unknown export fails the bundle.

/** What `test` and `describe` accept besides the name and the function. */
export interface TestOptions {
  skip?: boolean | string;
  todo?: boolean | string;
  timeout?: number;
}

/** The context a test function receives (a small part of Node's TestContext). */
export interface TestContext {
  readonly name: string;
  diagnostic(message: string): void;
}

type TestFn = (t: TestContext) => unknown;
type HookFn = () => unknown;

interface Case {
  kind: 'test';
  name: string;
  fn: TestFn | undefined;
  options: TestOptions;
}

interface Suite {
  kind: 'suite';
  name: string;
  options: TestOptions;
  children: (Case | Suite)[];
  before: HookFn[];
  after: HookFn[];
  /** A describe callback that threw: reported as a failure in the suite's place. */
  error?: unknown;
  /** The file itself: its name is not part of its tests' names. */
  root?: boolean;
}

/** One leaf test's outcome, its name joined with its suites' by " > " (as run.mjs names Node's). */
export interface Outcome {
  name: string;
  ok: boolean;
  skipped: boolean;
  todo: boolean;
  ms: number;
  error?: string;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const KNOWN_OPTIONS = new Set(['skip', 'todo', 'timeout']);

let current: Suite | undefined;

/** Starts collecting a file's tests. */
export function beginRegistration(file: string): void {
  current = { kind: 'suite', name: file, options: {}, children: [], before: [], after: [], root: true };
}

function parseArgs(what: string, name: unknown, a?: unknown, b?: unknown): { name: string; options: TestOptions; fn: unknown } {
  if (typeof name !== 'string') throw new TypeError(`portable ${what}: the name must be a string (the shim supports name-first calls only)`);
  const [options, fn] = typeof a === 'function' || a === undefined ? [{}, a] : [a, b];
  if (typeof options !== 'object' || options === null) throw new TypeError(`portable ${what} "${name}": options must be an object`);
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new TypeError(`portable ${what} "${name}": option "${key}" is not supported by test/portable/node-test.ts`);
  }
  if (fn !== undefined && typeof fn !== 'function') throw new TypeError(`portable ${what} "${name}": the last argument must be a function`);
  return { name, options, fn };
}

function registering(what: string): Suite {
  if (current === undefined)
    throw new Error(`portable ${what}: called outside a test file's registration (nested t.test() and late registration are not supported)`);
  return current;
}

/** Registers a test. */
export function test(name: string, options?: TestOptions | TestFn, fn?: TestFn): void {
  const parsed = parseArgs('test', name, options, fn);
  if (typeof parsed.fn === 'function' && parsed.fn.length > 1) {
    throw new TypeError(`portable test "${name}": done-callback tests are not supported`);
  }
  registering('test').children.push({ kind: 'test', name: parsed.name, fn: parsed.fn as TestFn | undefined, options: parsed.options });
}

/** Registers a suite; its callback runs now and registers the suite's tests. */
export function describe(name: string, options?: TestOptions | (() => void), fn?: () => void): void {
  const parsed = parseArgs('describe', name, options, fn);
  const parent = registering('describe');
  const suite: Suite = { kind: 'suite', name: parsed.name, options: parsed.options, children: [], before: [], after: [] };
  parent.children.push(suite);
  current = suite;
  try {
    const result = (parsed.fn as (() => unknown) | undefined)?.();
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
      throw new TypeError(`portable describe "${name}": asynchronous describe callbacks are not supported`);
    }
  } catch (error) {
    suite.error = error;
  } finally {
    current = parent;
  }
}

/** Runs `fn` before the tests of the enclosing suite (or file). */
export function before(fn: HookFn): void {
  registering('before').before.push(fn);
}

/** Runs `fn` after the tests of the enclosing suite (or file). */
export function after(fn: HookFn): void {
  registering('after').after.push(fn);
}

export { test as it, describe as suite };

/** Runs what the file registered; calls `report` per leaf test. `failure` reads (and clears) an error raised outside the test's own promise. */
export async function runRegistered(report: (o: Outcome) => void, failure: () => unknown): Promise<void> {
  const root = registering('run');
  current = undefined;
  await runSuite(root, [], report, failure);
}

async function runSuite(suite: Suite, path: string[], report: (o: Outcome) => void, failure: () => unknown): Promise<void> {
  const skip = suite.options.skip !== undefined && suite.options.skip !== false;
  if (suite.error !== undefined) {
    report({ name: [...path, suite.name].join(' > '), ok: false, skipped: false, todo: false, ms: 0, error: describeError(suite.error) });
    return;
  }
  let hookError: unknown;
  if (!skip) {
    for (const fn of suite.before) {
      try {
        await fn();
      } catch (error) {
        hookError ??= error;
      }
    }
  }
  const childPath = suite.root ? path : [...path, suite.name];
  for (const child of suite.children) {
    if (child.kind === 'suite') {
      if (skip) child.options = { ...child.options, skip: true };
      await runSuite(child, childPath, report, failure);
      continue;
    }
    const name = [...childPath, child.name].join(' > ');
    const skipped = skip || (child.options.skip !== undefined && child.options.skip !== false);
    const todo = child.options.todo !== undefined && child.options.todo !== false;
    if (skipped || child.fn === undefined) {
      report({ name, ok: true, skipped: true, todo, ms: 0 });
      continue;
    }
    if (hookError !== undefined) {
      report({ name, ok: false, skipped: false, todo, ms: 0, error: `a before hook failed: ${describeError(hookError)}` });
      continue;
    }
    const started = now();
    let error: unknown;
    try {
      await withTimeout(
        Promise.resolve().then(() => child.fn!(context(child.name))),
        child.options.timeout ?? DEFAULT_TIMEOUT_MS,
      );
    } catch (e) {
      error = e ?? new Error(`the test threw ${String(e)}`);
    }
    // an unhandled rejection or uncaught error while the test ran fails it, as under node --test
    const stray = failure();
    if (error === undefined && stray !== undefined) error = stray;
    const outcome: Outcome = { name, ok: error === undefined || todo, skipped: false, todo, ms: Math.round((now() - started) * 1000) / 1000 };
    if (error !== undefined) outcome.error = describeError(error);
    report(outcome);
  }
  for (const fn of suite.after) {
    try {
      await fn();
    } catch (error) {
      report({ name: [...childPath, 'after hook'].join(' > '), ok: false, skipped: false, todo: false, ms: 0, error: describeError(error) });
    }
  }
}

function context(name: string): TestContext {
  return { name, diagnostic: () => undefined };
}

async function withTimeout(promise: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`test timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function now(): number {
  return typeof performance === 'object' ? performance.now() : Date.now();
}

/** An error as text: name, message and the first frames. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const stack = typeof error.stack === 'string' ? error.stack : '';
    const head = `${error.name}: ${error.message}`;
    const frames = stack
      .split('\n')
      .filter((l) => /^\s*at |@/.test(l))
      .slice(0, 6);
    return [head, ...frames].join('\n');
  }
  try {
    return `non-error thrown: ${typeof error === 'string' ? error : JSON.stringify(error)}`;
  } catch {
    return `non-error thrown: ${String(error)}`;
  }
}
