/**
 * Non-boosted probes, the analog of a kprobe's int3 path: a breakpoint of the in-process
 * inspector (breakpoint-session.ts) whose condition calls hookwire's handler and is false, so
 * the program never pauses. It reaches what a wrapper cannot: an ES module export whose module
 * loaded before any spec named it (a breakpoint before every call of the function) and a source
 * line (`file.mjs:42`, through source maps for compiled files). A breakpoint site is one hook in
 * the registry, like a wrapper's site, whose exits are its probes; it shows as
 * `wrapper: 'breakpoint'` in the hook's meta and `Probe.via === 'breakpoint'`.
 *
 * What the path gives: each hit's `this` and arguments (a copy: changes do not reach the
 * function), at the function's entry or the line's first statement. What it cannot: the return
 * value, a thrown error, the duration, overriding the call. So `onEnter` runs and `onLeave` /
 * `onError` never do, and a probe whose handlers are `timed` is refused (ERR_PROBE_BREAKPOINT).
 *
 * An ES export is handed over: the first call's condition, evaluated in the function's own
 * scope, passes hookwire accessors of the module's binding (as the loader's transform would have
 * made), the binding is checked to hold the function, and the probes move to the boosted wrapper
 * on that binding, with every exit; the breakpoint goes. That first call runs unprobed and is
 * counted as `missed`. Removal assigns the original back through the same accessors. A binding
 * that cannot be handed over (a const, a name shadowed in the function, a default export of an
 * expression) stays on the breakpoint, entry only.
 */
import { HookError } from '../core/index.ts';
import { declare, type ExitImpl, type HookImpl, type RegistryImpl } from '../core/internal.ts';
import {
  acquireSession,
  breakAt,
  breakOnCall,
  HANDLER,
  HANDOVER,
  onScriptParsed,
  parsedScripts,
  releaseSession,
  removeBreakpoint,
  type ParsedScript,
} from './breakpoint-session.ts';
import { classify } from './classify.ts';
import { ProbeContext } from './context.ts';
import { guard, type MutableProbeStats } from './engine.ts';
import { builtin } from './host.ts';
import type { Slot } from './install.ts';
import type { ProbeImpl } from './probe.ts';
import type { ProbeRecord } from './site.ts';
import { generatedPosition, loadSourceMap, type SourceMap } from './source-map.ts';
import type { ProbeSpec } from './spec.ts';

/**
 * Measured cost of one hit (bench/probe-breakpoint.bench.ts; Node 20 on a 2-core machine at load
 * 10+): V8 stops, evaluates the condition and goes on, 40-300 µs per call, against about 10 ns for
 * the boosted wrapper; shown in the hook's meta and by `hookwire ls`.
 */
export const BREAKPOINT_COST = 'tens to hundreds of µs per hit (an inspector condition per call; a boosted probe costs nanoseconds)';

/** Where a site breaks: before every call of a function, or at a source line. */
type Where =
  { readonly kind: 'call'; readonly fn: Function; readonly handover: Handover | undefined } | { readonly kind: 'line'; readonly line: LineTarget };

/** An ES export's binding that the first call can hand over: its export name and its local name in the module. */
interface Handover {
  readonly exportName: string;
  readonly localName: string;
  readonly spec: string;
  /** The module's file: with the export's name, where its binding slot is kept once handed over. */
  readonly file: string;
}

/** Binding slots handed over so far, by `file#export`: later probes of the export attach to them directly. */
const handedOver = new Map<string, object>();

/** A source line: the file as the spec named it, and 0-based line and column. */
interface LineTarget {
  readonly file: string;
  readonly line: number;
  readonly column: number | undefined;
}

const IDENTIFIER = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

/** Live sites by id (what the conditions name), by function, and by line. */
const byId = new Map<number, BreakpointSite>();
const byFunction = new WeakMap<Function, BreakpointSite>();
const byLine = new Map<string, BreakpointSite>();
let nextId = 1;

/** The one handler every condition calls: `(id, this, arguments)`; 1 asks for the binding's accessors. */
function handler(id: number, self: unknown, args: ArrayLike<unknown> | undefined): false | 1 {
  const site = byId.get(id);
  return site === undefined ? false : site.hit(self, args);
}

/** Takes the accessors a hand-over condition passes. */
function handover(id: number, accessors: readonly [() => unknown, (value: unknown) => void]): false {
  const site = byId.get(id);
  try {
    site?.handOver(accessors);
  } catch (error) {
    // Inside a condition V8 would swallow it: reported instead, never thrown into the program.
    try {
      site?.registry._reportFault(site.hook.name, '(site)', error);
    } catch {
      // Nowhere to report.
    }
  }
  return false;
}

/**
 * A breakpoint probe site: its hook, its probes (records, as a wrapper site keeps them), and the
 * breakpoints set while any of them is armed.
 */
export class BreakpointSite {
  /** How probes on this site are reached, for `Probe.via` and listings. */
  readonly via = 'breakpoint';
  readonly id: number;
  readonly hook: HookImpl;
  readonly registry: RegistryImpl;
  readonly records = new Map<ExitImpl, ProbeRecord>();
  /** The probe each record belongs to (the hand-over moves them). */
  readonly probes = new Map<ExitImpl, ProbeImpl>();
  readonly meta: Record<string, string | number | boolean>;
  readonly where: Where;
  #armed: ProbeRecord[] = [];
  #breakpoints: string[] = [];
  #stopListening: (() => void) | undefined;
  #resolved = new Set<string>();
  #handingOver: { self: unknown; args: ArrayLike<unknown> | undefined } | undefined;
  #handedOver = false;
  #disposed = false;
  /** Set while inside a condition (the hand-over): the inspector must not be called from there, so its calls wait for a microtask. */
  #inCondition = false;

  private constructor(where: Where, registry: RegistryImpl, name: string, label: string, spec: string) {
    this.where = where;
    this.id = nextId++;
    this.meta = {
      target: 'breakpoint',
      boostable: false,
      boosted: false,
      wrapper: 'breakpoint',
      breakpoint: label,
      cost: BREAKPOINT_COST,
      spec,
      reason: 'reached through an inspector breakpoint: entry only (arguments and this), no return value, error or duration',
    };
    acquireSession();
    try {
      this.hook = declare(
        'hook',
        name,
        { registry, faultPolicy: 'isolate', description: `breakpoint probe at ${label}` },
        { meta: this.meta, onArmedChange: (armed) => this.rebuild(armed), source: () => this.source() },
      );
    } catch (error) {
      releaseSession();
      throw error;
    }
    this.registry = this.hook.registry;
    byId.set(this.id, this);
    const g = globalThis as Record<symbol, unknown>;
    g[HANDLER] = handler;
    g[HANDOVER] = handover;
  }

  /** The live site for a function (an ES export reached late), made if need be. */
  static forFunction(fn: Function, registry: RegistryImpl, spec: string, file: string, exportName: string, localName: string | undefined): BreakpointSite {
    const found = byFunction.get(fn);
    if (found !== undefined && !found.hook.terminated && found.registry === registry) return found;
    const handOver = localName !== undefined && IDENTIFIER.test(localName) ? { exportName, localName, spec, file } : undefined;
    const site = new BreakpointSite({ kind: 'call', fn, handover: handOver }, registry, uniqueName(registry, spec), `call of ${spec}`, spec);
    byFunction.set(fn, site);
    return site;
  }

  /** The live site for a source line, made if need be. */
  static forLine(target: LineTarget, registry: RegistryImpl, spec: string): BreakpointSite {
    const key = `${target.file}:${target.line}:${target.column ?? ''}`;
    const found = byLine.get(key);
    if (found !== undefined && !found.hook.terminated && found.registry === registry) return found;
    const label = `${target.file}:${target.line + 1}${target.column === undefined ? '' : `:${target.column + 1}`}`;
    const site = new BreakpointSite({ kind: 'line', line: target }, registry, uniqueName(registry, spec), label, spec);
    byLine.set(key, site);
    return site;
  }

  /** Adds `probe` to this site as one more exit. Throws ERR_PROBE_BREAKPOINT for handlers the path cannot serve. */
  add(probe: ProbeImpl): void {
    const h = probe._handlers;
    // A call scope (the span exit) needs the return too: its span would never end.
    if ((h.timed || h.scope !== undefined) && (this.where.kind === 'line' || this.where.handover === undefined)) {
      throw new HookError(
        'ERR_PROBE_BREAKPOINT',
        `cannot probe ${String(this.meta['breakpoint'])} with ${h.timed ? 'timed handlers (latency, trace)' : 'a span'}: a breakpoint probe sees the entry only, never the return, an error or the duration; use count, or an entry-only handler`,
      );
    }
    const exit = this.hook.register(() => {}, { name: probe.name, order: probe._opts.order });
    const stats = exit.stats as typeof exit.stats & MutableProbeStats;
    stats.missed = 0;
    const record: ProbeRecord = {
      exit,
      stats,
      handlers: h.object,
      enter: h.enter,
      leave: h.leave,
      error: h.error,
      timed: h.timed,
      boost: false,
      slots: new Set(),
    };
    this.records.set(exit, record);
    this.probes.set(exit, probe);
    probe._parts.push({ site: this, exit, record });
    if (probe._parts.length === 1) probe._hookName = this.hook.name;
    probe._status = 'attached';
    if (probe._wantArmed) exit.arm();
  }

  /** A breakpoint site holds no slots: nothing to restore. */
  release(_slot: Slot): boolean {
    return true;
  }

  /** What runs: no wrapper, a breakpoint. */
  source(): string {
    return `// ${this.hook.name}: breakpoint probe at ${String(this.meta['breakpoint'])} (no wrapper; ${this.#breakpoints.length} breakpoint(s) set)`;
  }

  /** Called by the core after every change of the armed set: breakpoints while any probe is armed, none otherwise. */
  rebuild(armed: readonly ExitImpl[]): void {
    this.#armed = armed.map((e) => this.records.get(e)).filter((r): r is ProbeRecord => r !== undefined);
    if (this.#armed.length > 0 && this.#breakpoints.length === 0 && this.#stopListening === undefined) this.#install();
    else if (this.#armed.length === 0) this.#uninstall();
    this.meta['armed'] = this.#armed.length > 0;
  }

  /** Forgets the site: breakpoints removed, and the session closed if it was the last. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#uninstall();
    byId.delete(this.id);
    if (this.where.kind === 'call') {
      if (byFunction.get(this.where.fn) === this) byFunction.delete(this.where.fn);
    } else {
      for (const [key, site] of byLine) if (site === this) byLine.delete(key);
    }
    if (byId.size === 0) {
      const g = globalThis as Record<symbol, unknown>;
      delete g[HANDLER];
      delete g[HANDOVER];
      maps.clear();
    }
    this.#inspector(releaseSession);
  }

  /** Runs an inspector call now, or right after the condition being evaluated when inside one (V8 crashes on a command sent from a condition). */
  #inspector(call: () => void): void {
    if (this.#inCondition) queueMicrotask(call);
    else call();
  }

  /** One hit: runs the armed probes' onEnter with `this` and a copy of the arguments. Never throws. */
  hit(self: unknown, args: ArrayLike<unknown> | undefined): false | 1 {
    const armed = this.#armed;
    if (armed.length === 0 || this.#handedOver) return false;
    if (guard.depth > 0) {
      // Inside a probe handler (or hookwire's own code): unprobed, as the wrappers do.
      if (guard.own === 0) for (const r of armed) r.stats.missed++;
      return false;
    }
    if (this.where.kind === 'call' && this.where.handover !== undefined && this.#handingOver === undefined) {
      this.#handingOver = { self, args };
      return 1;
    }
    this.#enter(armed, self, args);
    return false;
  }

  /**
   * The hand-over, on the first call, in the function's scope: if the binding holds the function
   * and can be assigned, every probe moves to the boosted wrapper on it (that call counted as
   * missed) and this site goes; otherwise the site stays, entry only, and that call is a hit.
   */
  handOver(accessors: readonly [() => unknown, (value: unknown) => void]): void {
    const pending = this.#handingOver;
    if (this.where.kind !== 'call' || this.where.handover === undefined || pending === undefined || this.#handedOver) return;
    const { fn, handover: h } = this.where;
    const [get, set] = accessors;
    guard.depth++;
    guard.own++;
    let why: string | undefined;
    try {
      if (get() !== fn) why = `"${h.localName}" in the function's scope is not the export (a local name shadows it)`;
      else set(fn);
    } catch (error) {
      why = `its binding "${h.localName}" cannot be assigned (${error instanceof Error ? error.message : String(error)}): a const`;
    } finally {
      guard.own--;
      guard.depth--;
    }
    if (why !== undefined) {
      this.#stayOnBreakpoint(why, pending);
      return;
    }
    this.#handedOver = true;
    const view = bindingSlot(h.exportName, get, set);
    handedOver.set(`${h.file}#${h.exportName}`, view);
    // The probes still here (a removed probe's record is gone, its entry in `probes` not).
    const moving = [...this.probes.entries()].filter(([exit, probe]) => this.records.has(exit) && probe.status !== 'removed');
    const counts = new Map<ProbeImpl, MutableProbeStats & { armed: boolean }>();
    for (const [exit, probe] of moving) {
      const r = this.records.get(exit)!;
      counts.set(probe, { hits: r.stats.hits, faults: r.stats.faults, missed: r.stats.missed + (exit.armed ? 1 : 0), armed: exit.armed });
    }
    // The breakpoint hook goes first, so the wrapper's hook can take the name `probe:<spec>`.
    this.#inCondition = true;
    try {
      this.hook.terminate({ force: true });
      this.dispose();
    } finally {
      this.#inCondition = false;
    }
    for (const [, probe] of moving) {
      const index = probe._parts.findIndex((p) => p.site === this);
      if (index !== -1) probe._parts.splice(index, 1);
      if (probe.status === 'removed') continue;
      try {
        probe.attach(view, h.exportName, h.spec, h.spec);
      } catch (error) {
        this.registry._reportFault(this.hook.name, probe.name, error);
        continue;
      }
      const part = probe._parts[probe._parts.length - 1];
      const carried = counts.get(probe);
      if (part !== undefined && carried !== undefined) {
        part.record.stats.hits += carried.hits;
        part.record.stats.faults += carried.faults;
        part.record.stats.missed += carried.missed;
      }
      probe._hookName = probe._parts[0]?.site.hook.name ?? probe._hookName;
    }
  }

  #stayOnBreakpoint(why: string, pending: { self: unknown; args: ArrayLike<unknown> | undefined }): void {
    this.#handingOver = { self: undefined, args: undefined };
    this.meta['handover'] = `not possible: ${why}`;
    const error = new HookError('ERR_PROBE_BREAKPOINT', `${this.hook.name} stays a breakpoint probe (entry only): ${why}`);
    this.registry._reportFault(this.hook.name, '(site)', error);
    // Probes that needed the return or the duration get nothing more from this site: say so once each.
    for (const r of this.#armed) if (r.timed) this.registry._reportFault(this.hook.name, r.exit.name, error);
    this.#enter(this.#armed, pending.self, pending.args);
  }

  #enter(armed: readonly ProbeRecord[], self: unknown, args: ArrayLike<unknown> | undefined): void {
    const list = args === undefined ? [] : Array.prototype.slice.call(args);
    guard.depth++;
    for (let i = 0; i < armed.length; i++) {
      const r = armed[i]!;
      r.stats.hits++;
      if (r.enter === undefined) continue;
      try {
        r.enter.call(r.handlers, new ProbeContext(list, self, undefined, this.hook.name));
      } catch (error) {
        try {
          r.stats.faults++;
          this.registry._reportFault(this.hook.name, r.exit.name, error);
        } catch {
          // A fault that cannot be reported is still counted.
        }
      }
    }
    guard.depth--;
  }

  #install(): void {
    const where = this.where;
    if (where.kind === 'call') {
      // An arrow has no `arguments` of its own (the name would read the enclosing function's):
      // its parameters are read by name when they are plain identifiers.
      const args = classify(where.fn).kind === 'arrow' ? arrowParameters(where.fn) : ARGUMENTS;
      let condition = `globalThis[Symbol.for('hookwire.breakpoint')](${this.id}, this, ${args})`;
      if (where.handover !== undefined) {
        const n = where.handover.localName;
        condition = `${condition} === 1 && globalThis[Symbol.for('hookwire.breakpoint.handover')](${this.id}, [() => ${n}, (v) => { ${n} = v; }])`;
      }
      this.#breakpoints.push(breakOnCall(where.fn, condition));
      return;
    }
    const condition = `globalThis[Symbol.for('hookwire.breakpoint')](${this.id}, this, ${ARGUMENTS})`;
    const onScript = (script: ParsedScript): void => {
      const at = lineIn(script, where.line);
      if (at === undefined || this.#resolved.has(script.scriptId)) return;
      this.#resolved.add(script.scriptId);
      this.#breakpoints.push(breakAt(script.scriptId, at.line, at.column, condition).id);
    };
    for (const script of parsedScripts()) onScript(script);
    // Scripts parsed later (a module loaded after the probe) get theirs before their code runs.
    this.#stopListening = onScriptParsed(onScript);
  }

  #uninstall(): void {
    this.#stopListening?.();
    this.#stopListening = undefined;
    this.#resolved.clear();
    const ids = this.#breakpoints.splice(0);
    if (ids.length === 0) return;
    this.#inspector(() => {
      for (const id of ids) {
        try {
          removeBreakpoint(id);
        } catch (error) {
          this.registry._reportFault(this.hook.name, '(site)', error);
        }
      }
    });
  }
}

/** `arguments` where the frame has them (not at a module's top level). */
const ARGUMENTS = "(typeof arguments === 'undefined' ? undefined : arguments)";

/** `[a, b]` for an arrow function `(a, b) => …` or `a => …` with plain parameters; else `undefined`. */
function arrowParameters(fn: Function): string {
  const source = Function.prototype.toString.call(fn);
  const m = /^(?:async\s*)?(?:\(([^()]*)\)|([\p{L}_$][\p{L}\p{N}_$]*))\s*=>/u.exec(source);
  if (m === null) return 'undefined';
  const names = (m[1] ?? m[2] ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  return names.every((n) => IDENTIFIER.test(n)) ? `[${names.join(', ')}]` : 'undefined';
}

/** `probe:<spec>`, numbered when taken. */
function uniqueName(registry: RegistryImpl, spec: string): string {
  const base = `probe:${spec.replace(/[\s\p{Cc}]+/gu, '_')}`.slice(0, 240);
  let name = base;
  for (let i = 2; registry.get(name) !== undefined; i++) name = `${base}#${i}`;
  return name;
}

const maps = new Map<string, SourceMap | null>();

/** Where the target line is in `script`: the file itself, or through the script's source map; undefined if neither. */
function lineIn(script: ParsedScript, target: LineTarget): { line: number; column: number | undefined } | undefined {
  if (!script.url.startsWith('file:')) return undefined;
  const url = builtin('node:url');
  if (url === undefined) return undefined;
  let file: string;
  try {
    file = url.fileURLToPath(script.url);
  } catch {
    return undefined;
  }
  // A map that lists the file wins, also over the file itself (a loader that compiled it in place).
  if (script.sourceMapURL !== '') {
    const key = `${script.url}\n${script.sourceMapURL}`;
    let map = maps.get(key);
    if (map === undefined) {
      map = loadSourceMap(script.url, script.sourceMapURL) ?? null;
      maps.set(key, map);
    }
    if (map !== null && map.sources.includes(target.file)) return generatedPosition(map, target.file, target.line, target.column);
  }
  return file === target.file ? { line: target.line, column: target.column } : undefined;
}

/**
 * An object whose one property `key` is a module binding: reading it reads the binding, defining
 * it assigns the binding. A probe installs and restores its wrapper through it as through any slot.
 */
function bindingSlot(key: string, get: () => unknown, set: (value: unknown) => void): object {
  return new Proxy(Object.create(null) as object, {
    get: (_t, k) => (k === key ? get() : undefined),
    has: (_t, k) => k === key,
    getOwnPropertyDescriptor: (_t, k) => (k === key ? { value: get(), writable: true, enumerable: true, configurable: true } : undefined),
    defineProperty: (_t, k, d) => {
      if (k !== key || !('value' in d)) return false;
      set(d.value);
      return true;
    },
    set: (_t, k, v) => {
      if (k !== key) return false;
      set(v);
      return true;
    },
    deleteProperty: () => false,
  });
}

/**
 * Probes a line (`parsed.line` set): `file` is the resolved file; the line must exist in it.
 * Throws ERR_PROBE_TARGET for a line past the end, ERR_PROBE_BREAKPOINT where the path cannot serve.
 */
export function attachLine(probe: ProbeImpl, parsed: ProbeSpec, file: string): void {
  const fs = builtin('node:fs');
  const lines = fs === undefined ? Infinity : fs.readFileSync(file, 'utf8').split('\n').length;
  const line = parsed.line!;
  if (line > lines) throw new HookError('ERR_PROBE_TARGET', `probe spec "${parsed.spec}": line ${line} is past the end of ${file} (${lines} lines)`);
  const target = { file, line: line - 1, column: parsed.column === undefined ? undefined : parsed.column - 1 };
  attachTo(probe, BreakpointSite.forLine(target, probe._opts.registry, parsed.spec));
}

/**
 * Probes an ES module export reached late (its module loaded before any spec named it):
 * a breakpoint before each call of the function, handed over to the boosted wrapper on the first
 * call when the module's binding allows. `ns` is the module's namespace, `file` its path.
 */
export function attachLateExport(probe: ProbeImpl, parsed: ProbeSpec, ns: unknown, file: string): void {
  const name = parsed.path[0]!;
  // Handed over before: the binding has a slot now, and the wrapper (or the original) is reached through it.
  const slot = handedOver.get(`${file}#${name}`);
  if (slot !== undefined) {
    probe.attach(slot, name, parsed.spec, parsed.spec);
    return;
  }
  const fn = (ns as Record<string, unknown> | null)?.[name];
  if (typeof fn !== 'function') {
    throw new HookError(
      'ERR_PROBE_TARGET',
      `probe spec "${parsed.spec}": export "${name}" of ${parsed.module} is ${fn === undefined ? 'missing' : typeof fn}, not a function`,
    );
  }
  attachTo(probe, BreakpointSite.forFunction(fn, probe._opts.registry, parsed.spec, file, name, localNameOf(file, name)));
}

/** Adds the probe to a site; a site left with no probe (the add refused) is taken down again. */
function attachTo(probe: ProbeImpl, site: BreakpointSite): void {
  try {
    site.add(probe);
  } catch (error) {
    if (site.records.size === 0) {
      site.hook.terminate({ force: true });
      site.dispose();
    }
    throw error;
  }
}

/** The local binding name of export `name` in the module at `file` (es-module-lexer), or undefined. */
function localNameOf(file: string, name: string): string | undefined {
  try {
    const req = builtin('node:module')!.createRequire(import.meta.url);
    const lexer = req('es-module-lexer') as { initSync(): void; parse(source: string): readonly [unknown, readonly { n: string; ln?: string }[]] };
    lexer.initSync();
    const [, exports] = lexer.parse(builtin('node:fs')!.readFileSync(file, 'utf8'));
    return exports.find((e) => e.n === name)?.ln || undefined;
  } catch {
    return undefined;
  }
}
