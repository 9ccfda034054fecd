// The transparency preload (`node --import ./test/transparency/preload.mjs <runner> <tests>`): before
// any test runs, it loads the library's own modules (and nothing of the runner or the tests),
// collects every function reachable from their exports — exported functions, functions nested in
// exported objects, the statics, prototype methods and accessors of classes — and probes each
// slot through hookwire's public API with armed handlers of its own and four catalogue exits:
// count, latency, trace (to the null device) and an assert whose predicate always holds. With
// HOOKWIRE_TRANSPARENCY_ESM_SPECS=1, an ES module's exports themselves are probed too, by spec
// through hookwire/register's loader (the bindings the tests import); without it, an ES module's
// classes, objects and their functions are probed, not its bindings.
// At process exit, while the probes are still in place, it checks that no function of the runner,
// the assertion library or the test files is a probe or was probed; then it removes every probe,
// compares each slot's property descriptor with the one it had before (value, getter, setter,
// writable, enumerable, configurable, by identity) and writes what it saw as JSON to
// HOOKWIRE_TRANSPARENCY_OUT. It prints nothing: the runner's output is what is compared.
//
// Environment: HOOKWIRE_TRANSPARENCY_SUITE (a name from suites.mjs), HOOKWIRE_TRANSPARENCY_OUT
// (the report file), HOOKWIRE_TRANSPARENCY_ESM_SPECS=1 (probe ES module exports by spec through
// hookwire/register's loader as well), HOOKWIRE_CODEGEN=off (the eval-free compile mode),
// HOOKWIRE_TRANSPARENCY_EXITS (which catalogue exits, default count,latency,trace,assert),
// HOOKWIRE_TRANSPARENCY_SABOTAGE=1 or =slot (the harness's own tests: the handlers replace
// plain-object results, so the suite must diverge; or a wrapper is replaced by another function
// before removal, as a second patcher would, so a slot must come back unrestored).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { devNull } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setCodeGeneration } from 'hookwire';
import { probe, probeSpec } from 'hookwire/probe';
import { assert, count, latency, trace } from 'hookwire/exits';
import { SUITES } from './suites.mjs';

const root = process.cwd();
const requireFromRoot = createRequire(join(root, 'noop.js'));
const suite = SUITES.find((s) => s.name === process.env.HOOKWIRE_TRANSPARENCY_SUITE);
const out = process.env.HOOKWIRE_TRANSPARENCY_OUT;
if (suite === undefined || !out)
  throw new Error('transparency preload: set HOOKWIRE_TRANSPARENCY_SUITE (a suite of suites.mjs) and HOOKWIRE_TRANSPARENCY_OUT');
const esmSpecs = process.env.HOOKWIRE_TRANSPARENCY_ESM_SPECS === '1';
const sabotage = process.env.HOOKWIRE_TRANSPARENCY_SABOTAGE === '1';
const sabotageSlot = process.env.HOOKWIRE_TRANSPARENCY_SABOTAGE === 'slot';
if (process.env.HOOKWIRE_CODEGEN === 'off') setCodeGeneration(false);
if (esmSpecs) await import('hookwire/register');

const fnToString = Function.prototype.toString;
const SKIP_ON_FUNCTIONS = new Set(['prototype', 'length', 'name', 'caller', 'arguments']);
const MAX_DEPTH = 4;

/** @typedef {{ holder: object, key: PropertyKey, label: string, accessor?: 'get' | 'set', fn: Function, spec?: string, probed?: boolean, mine?: object }} Target */
/** @type {Target[]} */
const targets = [];
/** @type {string[]} */
const skipped = [];
const seen = new Set();

const before = [];
const catalogue = {
  count: () => count(),
  latency: () => latency(),
  trace: () => trace({ sink: { file: devNull } }),
  // Holds for every call: any first argument exists or does not.
  assert: () => assert({ predicate: { any: [{ arg: 0, op: 'exists' }, { not: { arg: 0, op: 'exists' } }] }, capture: false }),
};
// HOOKWIRE_TRANSPARENCY_EXITS=count,latency (or none) narrows the exits, to see what costs what.
const chosenExits = (process.env.HOOKWIRE_TRANSPARENCY_EXITS ?? Object.keys(catalogue).join(',')).split(',').filter((k) => k in catalogue);
const observers = Object.fromEntries(chosenExits.map((k) => [k, catalogue[k]()]));
let entered = 0;
let left = 0;
let threw = 0;
const own = {
  onEnter(ctx) {
    entered++;
    ctx.data.argc = ctx.args.length;
  },
  onLeave(_ctx, result) {
    left++;
    // The harness's own test: a probe that does change results must be caught (never set otherwise).
    if (sabotage && typeof result === 'object' && result !== null && Object.getPrototypeOf(result) === Object.prototype)
      return { ...result, sabotaged: true };
    return undefined;
  },
  onError() {
    threw++;
  },
};
const probes = [];
const firstProbeOf = new Map(); // original function -> its first own-handler probe (hits per function)
const wrappers = new Set();

/** Probes the slots found since `from`, after their walk (a probe changes what a walk would see). */
function probeAll(from) {
  for (let i = from; i < targets.length; i++) before[i] = Object.getOwnPropertyDescriptor(targets[i].holder, targets[i].key);
  for (let i = from; i < targets.length; i++) {
    const t = targets[i];
    const opts = (kind) => ({ name: `transparency-${kind}-${i}`, ...(t.accessor && { accessor: t.accessor }) });
    try {
      const mine = probe(t.holder, t.key, own, opts('own'));
      probes.push(mine);
      if (!firstProbeOf.has(t.fn)) firstProbeOf.set(t.fn, mine);
      t.mine = mine;
      for (const [kind, observer] of Object.entries(observers)) {
        probes.push(probe(t.holder, t.key, observer.forProbe(), opts(kind)));
      }
      const now = Object.getOwnPropertyDescriptor(t.holder, t.key);
      wrappers.add(t.accessor ? now[t.accessor] : now.value);
      t.probed = true;
    } catch (error) {
      skipped.push(`${t.label}: ${error?.code ?? error?.name}: ${error?.message}`);
    }
  }
}

// Module by module, dependencies first (suites.mjs lists them so): each is loaded, walked and
// probed before the next one loads, so a module that keeps a reference to another's function at
// load time (qs's parse keeps utils.decode as its default decoder) keeps the probed one, as it
// would under a probe spec given before the program starts.
for (const specifier of suite.modules) {
  const from = targets.length;
  if (suite.format === 'commonjs') {
    const file = requireFromRoot.resolve(specifier);
    requireFromRoot(file);
    const record = requireFromRoot.cache[file];
    // A module whose exports are a function (minimist) is probed in its module record's slot:
    // require() hands out whatever `module.exports` holds.
    if (typeof record.exports === 'function') addSlot(record, 'exports', specifier);
    visit(record.exports, specifier, 0);
  } else {
    // ES module exports by spec: hookwire/register's loader rewrites only modules a spec names
    // when they load, so the specs come first, disarmed (the bindings stay as they are), and
    // are armed once the module has loaded and its bindings' descriptors are taken.
    const specs = esmSpecs ? specsBeforeLoad(specifier) : [];
    const ns = await import(specifier);
    const bindings = specs.map(({ key }) => Object.getOwnPropertyDescriptor(ns, key));
    for (const key of Object.keys(ns)) {
      if (typeof ns[key] === 'function' && !esmSpecs) skipped.push(`${specifier}#${key}: ES module binding (probed by spec with --esm-specs)`);
      visit(ns[key], `${specifier}#${key}`, 0);
    }
    probeAll(from);
    specs.forEach((s, i) => armSpec(s, ns, bindings[i]));
    continue;
  }
  probeAll(from);
}

/**
 * The module's function exports (listed by a child process: this one must not load the module
 * before its specs exist), each with its probes, attached by spec and disarmed.
 */
function specsBeforeLoad(specifier) {
  const list = `const ns = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(ns).filter((k) => typeof ns[k] === 'function')))`;
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const names = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', list], { cwd: root, env, encoding: 'utf8' }));
  return names.map((key) => {
    const spec = `${specifier}#${key}`;
    const made = [];
    try {
      made.push(probeSpec(spec, own, { name: `transparency-own-${spec}`, armed: false }));
      for (const [kind, observer] of Object.entries(observers))
        made.push(probeSpec(spec, observer.forProbe(), { name: `transparency-${kind}-${spec}`, armed: false }));
    } catch (error) {
      skipped.push(`${spec}: ${error?.code ?? error?.name}: ${error?.message}`);
      for (const p of made) p.remove();
      made.length = 0;
    }
    return { key, spec, made };
  });
}

/** Arms the probes of one export once its module has loaded; `binding` is its descriptor before. */
function armSpec({ key, spec, made }, ns, binding) {
  if (made.length === 0) return;
  const waiting = made.filter((p) => p.status !== 'attached');
  if (waiting.length > 0) {
    skipped.push(`${spec}: still ${waiting[0].status} after the module loaded`);
    for (const p of made) p.remove();
    return;
  }
  for (const p of made) p.arm();
  probes.push(...made);
  const t = { holder: ns, key, label: spec, fn: binding.value, spec, probed: true, mine: made[0] };
  before[targets.length] = binding;
  targets.push(t);
  if (!firstProbeOf.has(t.fn)) firstProbeOf.set(t.fn, t.mine);
  wrappers.add(ns[key]);
}

/** Walks what `value` exposes: a function's statics and prototype, a plain object's properties. */
function visit(value, label, depth) {
  if ((typeof value !== 'function' && typeof value !== 'object') || value === null || seen.has(value) || wrappers.has(value) || depth > MAX_DEPTH) return;
  if (typeof value === 'object' && !libraryObject(value)) return; // arrays, Maps, Sets, errors: data, not API
  if (typeof value === 'function' && isNative(value)) return; // a builtin (Date, kept as a type's instanceOf): not the library's
  seen.add(value);
  walkSlots(value, label, depth, typeof value === 'function' ? SKIP_ON_FUNCTIONS : new Set());
  if (typeof value === 'function') {
    const pd = Object.getOwnPropertyDescriptor(value, 'prototype');
    if (pd && typeof pd.value === 'object' && pd.value !== null && !seen.has(pd.value)) {
      seen.add(pd.value);
      walkSlots(pd.value, `${label}.prototype`, depth, new Set(['constructor']));
    }
  }
}

/** A plain object, or an instance of the library's own classes (js-yaml's types): no builtin prototype in its chain. */
function libraryObject(value) {
  for (let p = Object.getPrototypeOf(value); p !== Object.prototype && p !== null; p = Object.getPrototypeOf(p)) {
    const ctor = Object.getOwnPropertyDescriptor(p, 'constructor')?.value;
    if (typeof ctor !== 'function' || isNative(ctor)) return false;
  }
  return true;
}

function isNative(fn) {
  return fnToString.call(fn).endsWith('{ [native code] }');
}

function walkSlots(holder, label, depth, skip) {
  for (const key of Reflect.ownKeys(holder)) {
    if (skip.has(key)) continue;
    const desc = Object.getOwnPropertyDescriptor(holder, key);
    const name = `${label}.${String(key)}`;
    if ('value' in desc) {
      if (typeof desc.value === 'function') {
        addSlot(holder, key, name);
        visit(desc.value, name, depth + 1);
      } else visit(desc.value, name, depth + 1);
    } else {
      if (desc.get) addSlot(holder, key, `${name} (get)`, 'get');
      if (desc.set) addSlot(holder, key, `${name} (set)`, 'set');
    }
  }
}

function addSlot(holder, key, label, accessor) {
  const desc = Object.getOwnPropertyDescriptor(holder, key);
  const fn = accessor === undefined ? desc.value : desc[accessor];
  if (wrappers.has(fn)) return; // a slot that took its function from a module probed before
  // Builtins and bound functions are shared with the runner (or hide what they call): not the library's.
  if (isNative(fn)) {
    skipped.push(`${label}: native or bound function`);
    return;
  }
  targets.push({ holder, key, label, accessor, fn });
}

const originals = new Set(targets.filter((t) => t.probed).map((t) => t.fn));

process.on('exit', () => {
  const report = { suite: suite.name, esmSpecs, pid: process.pid };
  try {
    report.runner = checkRunner();
    const hitsPerFunction = [...firstProbeOf.values()].map((p) => p.stats.hits);
    // Each probed slot and what its own-handler probe saw (a function in several slots: each slot's probe sees every call of it).
    report.perSlot = targets.flatMap((t) => (t.probed ? [[t.label, t.mine.stats.hits]] : []));
    Object.assign(report, {
      slots: targets.filter((t) => t.probed).length,
      functions: originals.size,
      probes: probes.length,
      skipped,
      hits: hitsPerFunction.reduce((a, b) => a + b, 0),
      functionsHit: hitsPerFunction.filter((h) => h > 0).length,
      entered,
      left,
      threw,
      notAttached: probes.filter((p) => p.status !== 'attached').length,
      faults: probes.reduce((a, p) => a + p.stats.faults, 0),
      missed: probes.reduce((a, p) => a + p.stats.missed, 0),
      observers: Object.fromEntries(Object.entries(observers).map(([k, o]) => [k, totals(o.report())])),
    });
    if (sabotageSlot) {
      const t = targets.find((x) => x.probed && !x.accessor);
      t.holder[t.key] = function replacedByAnotherPatcher() {};
    }
    report.removed = probes
      .reverse()
      .map((p) => p.remove())
      .every((ok) => ok === true);
    report.unrestored = targets.flatMap((t, i) => (sameDescriptor(before[i], Object.getOwnPropertyDescriptor(t.holder, t.key)) ? [] : [t.label]));
    for (const o of Object.values(observers)) o.close();
  } catch (error) {
    report.error = String(error?.stack ?? error);
  }
  writeFileSync(out, JSON.stringify(report));
});

/**
 * The runner's, the assertion library's and the (CommonJS) test files' functions, reached from
 * their modules' exports: none may be a probe wrapper or a probed function.
 */
function checkRunner() {
  const reach = new Set();
  const walked = new Set();
  const collect = (value, depth) => {
    if ((typeof value !== 'function' && typeof value !== 'object') || value === null || walked.has(value) || depth > 3) return;
    walked.add(value);
    if (typeof value === 'function') reach.add(value);
    for (const key of Reflect.ownKeys(value)) {
      const d = Object.getOwnPropertyDescriptor(value, key);
      for (const v of [d.value, d.get, d.set]) collect(v, depth + 1);
    }
  };
  const modules = [];
  for (const name of suite.runnerModules) {
    if (name.startsWith('node:')) {
      modules.push(name);
      collect(requireFromRoot(name), 0);
      continue;
    }
    // Every file of the runner package that is loaded, not only its entry point.
    const dir = requireFromRoot.resolve(`${name}/package.json`).slice(0, -'package.json'.length);
    for (const [file, record] of Object.entries(requireFromRoot.cache)) {
      if (file.startsWith(dir) && !file.slice(dir.length).includes('node_modules')) {
        modules.push(file);
        collect(record.exports, 0);
      }
    }
  }
  for (const file of suite.files) {
    const record = requireFromRoot.cache[join(root, file)];
    if (record) {
      modules.push(file);
      collect(record.exports, 0);
    }
  }
  for (const name of ['describe', 'it', 'before', 'after', 'beforeEach', 'afterEach', 'test']) collect(globalThis[name], 0);
  const wrapped = [...reach].filter((f) => wrappers.has(f)).length;
  const probed = [...reach].filter((f) => originals.has(f)).length;
  return { modules: modules.length, functions: reach.size, wrapped, probed };
}

function sameDescriptor(a, b) {
  if (a === undefined || b === undefined) return a === b;
  const keys = ['value', 'get', 'set', 'writable', 'enumerable', 'configurable'];
  return keys.every((k) => k in a === k in b && Object.is(a[k], b[k]));
}

function totals(report) {
  const sum = { faults: report.faults, hits: 0 };
  for (const site of Object.values(report.sites)) {
    sum.hits += site.hits;
    if (site.failures !== undefined) sum.failures = (sum.failures ?? 0) + site.failures;
    if (site.lost !== undefined) sum.lost = (sum.lost ?? 0) + site.lost;
  }
  return sum;
}
