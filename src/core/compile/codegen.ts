import { countsDispatches, type DispatchCount } from '../hit-counts.ts';
import { STOP } from '../stop.ts';
import { containRejection, type Dispatcher, type DispatchPlan, type PlannedExit } from './plan.ts';
import { sanitize } from './sanitize.ts';

/**
 * Generates a dispatcher's source: straight-line code for exactly the armed exits, fixed arity when
 * the hook declared its arguments, each exit a closure constant (`e0`, `e1`, …); a synchronous
 * notify dispatch is counted once (`count`, hit-counts.ts), other kinds count each exit (`s0`, …).
 * No user text reaches the code except a sanitised hook name inside a comment.
 *
 * A hook declared without arguments gets rest parameters and spread calls until its first
 * dispatch tells `learn` how many arguments its site passes; from then on its dispatchers take that
 * many as fixed parameters and send any call with another count to a rest-parameter copy.
 * The test alone costs nothing measurable; the call on its mismatch side, never taken, costs a
 * waterfall ~0.5 ns where the site uses the result (bench/experiments/waterfall-arity.ts).
 */
export function generateSource(plan: DispatchPlan): string {
  const { kind } = plan;
  // Without fixed arguments, pass everything through. A waterfall keeps its threaded value in
  // `a0` and spreads only the rest: writing into a rest array defeats V8's spread forwarding.
  const rest = kind.combine === 'waterfall' ? 'a0, ...rest' : '...args';
  const fixed = plan.arity ?? plan.learnedArity;
  const params = fixed !== null ? argList(fixed) : rest;
  // A parallel dispatcher returns its own countdown promise: no async function around it.
  const fn = `${kind.async && kind.combine !== 'parallel' ? 'async ' : ''}function fire`;
  const header = `// hookwire dispatcher for "${sanitize(plan.hookName)}": ${kind.name}, ${plan.exits.length} exit${plan.exits.length === 1 ? '' : 's'}, faults ${plan.isolate ? 'isolated' : 'propagate'}`;
  const out = ['"use strict";', header];
  if (chunked(plan)) {
    if (fixed !== null) out.push(...chunkFunctions(plan, params));
    if (plan.arity === null) out.push(...chunkFunctions(plan, rest));
  }
  if (plan.arity !== null) {
    out.push(`return ${fn}(${params}) {`, ...indent(bodyLines(plan, params)), '};');
  } else if (fixed === null) {
    out.push(`return ${fn}(${rest}) {`, ...(plan.learn !== null ? ['  learn(arguments.length);'] : []), ...indent(bodyLines(plan, rest)), '};');
  } else {
    out.push(`const slow = ${fn}(${rest}) {`, ...indent(bodyLines(plan, rest)), '};');
    out.push(`return ${fn}(${params}) {`, `  if (arguments.length !== ${fixed}) return slow(...arguments);`, ...indent(bodyLines(plan, params)), '};');
  }
  return out.join('\n');
}

/**
 * Exits per chunk of a large synchronous notify dispatcher. V8 inlines a callee only while the
 * caller's cumulative budget lasts (920 bytes of bytecode, with a 1.2 reserve factor), counting
 * what the callee itself inlined; one straight-line body for 50 exits (~31 bytes each, plus each
 * exit's own) exceeds it, so most exits ran as real calls (notify-50: 151 ns where tapable's
 * SyncHook took 86). Cut into chunks of 16, each chunk's bytecode is over V8's 460-byte limit
 * for an inlinee: it stays its own optimised frame, with its own budget for its exits
 * (bench/experiments/dispatch-shape.ts). At 16 exits or fewer nothing changes.
 */
const CHUNK = 16;

function chunked(plan: DispatchPlan): boolean {
  return plan.kind.combine === 'notify' && !plan.kind.async && plan.exits.length > CHUNK;
}

/** Chunks with fixed parameters are `c0`, `c1`, …; the rest-parameter copies `r0`, `r1`, …. */
function chunkPrefix(params: string): string {
  return params.startsWith('...') ? 'r' : 'c';
}

/** The chunk functions a large notify dispatcher calls (declared once, beside it, in the factory). */
function chunkFunctions(plan: DispatchPlan, params: string): string[] {
  const n = plan.exits.length;
  const out: string[] = [];
  for (let c = 0, from = 0; from < n; c++, from += CHUNK) {
    out.push(`function ${chunkPrefix(params)}${c}(${params}) {`, ...indent(notifyLines(plan, params, from, Math.min(n, from + CHUNK), ' STOP')), '}');
  }
  return out;
}

/**
 * A notify body for exits `from` to `to`: the last exit of the whole dispatch is not tested for
 * STOP; the others return `stopValue` (nothing in a dispatcher, STOP from a chunk) when it comes.
 * A synchronous dispatch was counted once on entry (hit-counts.ts): ending at exit k, by STOP or
 * by a throw out of the dispatch, it records k, on that rare path. Each exit but the last gets its
 * * own `try` for that (one `try` around them all, with the position in a variable, measured 1.13x
 * the per-exit ones at 10 exits: bench/experiments/dispatch-count.ts). An async one counts each exit.
 */
function notifyLines(plan: DispatchPlan, params: string, from: number, to: number, stopValue: string): string[] {
  const { kind, exits, isolate } = plan;
  const call = (i: number) => `e${i}(${params})`;
  const counted = countsDispatches(kind);
  const stop = (i: number) => (counted ? `{ count.end(${i}); return${stopValue}; }` : `return${stopValue};`);
  const lines: string[] = [];
  if (isolate && !kind.async) lines.push('let r;');
  for (let i = from; i < to; i++) {
    if (!counted) lines.push(`s${i}.hits++;`);
    const last = i === exits.length - 1;
    if (isolate && !kind.async) {
      // A notify hook ignores what exits return, so a rejected promise from an async exit would
      // go unhandled: contain it like a throw.
      const ended = last ? '' : ` if (r === STOP) ${stop(i)}`;
      lines.push(guarded(`r = ${call(i)};${ended} if (typeof r?.then === 'function') contain(fault, x${i}, r);`, i));
      continue;
    }
    const run = last ? `${awaitIf(kind.async)}${call(i)};` : `if (${awaitIf(kind.async)}${call(i)} === STOP) ${stop(i)}`;
    if (isolate) lines.push(guarded(run, i));
    else if (counted && !last) lines.push(endsOnThrow(run, i));
    else lines.push(run);
  }
  return lines;
}

/** The statements of a dispatcher's body, calling each exit with `params`. */
function bodyLines(plan: DispatchPlan, params: string): string[] {
  const { kind, exits, isolate } = plan;
  const call = (i: number) => `e${i}(${params})`;
  const n = exits.length;
  const body: string[] = [];

  switch (kind.combine) {
    case 'notify':
      if (countsDispatches(kind)) body.push('count.n++;');
      if (chunked(plan)) {
        // Each chunk is its own frame (see CHUNK); a chunk returns STOP when one of its exits did.
        const chunks = Math.ceil(n / CHUNK);
        const prefix = chunkPrefix(params);
        for (let c = 0; c < chunks; c++) {
          const run = `${prefix}${c}(${params})`;
          body.push(c === chunks - 1 ? `${run};` : `if (${run} === STOP) return;`);
        }
        break;
      }
      body.push(...notifyLines(plan, params, 0, n, ''));
      break;
    case 'gate':
      // The first exit that answers ends the dispatch with its answer (STOP: with undefined).
      body.push(...answeringLines(plan, params, (end) => `if (r !== undefined) { ${end}return r === STOP ? undefined : r; }`));
      break;
    case 'waterfall':
      // An exit's answer replaces the threaded value `a0`; STOP ends the dispatch with it.
      body.push(...answeringLines(plan, params, (end) => `if (r !== undefined) { if (r === STOP) { ${end}return a0; } a0 = r; }`), 'return a0;');
      break;
    case 'parallel':
      return parallelLines(n, isolate, call);
  }

  if (!kind.async) return body;
  return ['const t = tracker.current;', 't.n++;', 'try {', ...indent(body), '} finally {', '  if (--t.n === 0 && t.done !== null) t.done();', '}'];
}

/**
 * A parallel dispatch: every exit starts in order, and a countdown settles the returned promise
 * when the last one has (tapable's shape: no `Promise.all` array, no async wrapper per exit; issue 8).
 * Propagating faults, the first rejection or throw rejects it at once and later exits do not start
 * after a throw, as with `Promise.all`; isolated, each fault is reported and counts as settled.
 * A thenable's `then` is called directly (a throwing `then` is that exit's fault).
 */
function parallelLines(n: number, isolate: boolean, call: (i: number) => string): string[] {
  const lines = ['const t = tracker.current;', 't.n++;', `return new Promise((${isolate ? 'resolve' : 'resolve, reject'}) => {`, `  let left = ${n};`];
  lines.push('  const end = () => { if (--t.n === 0 && t.done !== null) t.done(); };');
  lines.push('  const ok = () => { if (--left === 0) { end(); resolve(); } };');
  if (!isolate) lines.push('  const no = (error) => { if (left > 0) { left = 0; end(); reject(error); } };');
  for (let i = 0; i < n; i++) lines.push(`  s${i}.hits++;`);
  lines.push('  let r;');
  if (isolate) {
    for (let i = 0; i < n; i++) {
      const no = `(error) => { fault(x${i}, error); ok(); }`;
      lines.push(
        `  try { r = ${call(i)}; if (typeof r?.then === 'function') r.then(ok, ${no}); else ok(); } catch (error) { fault(x${i}, error); ok(); }`,
      );
    }
  } else {
    lines.push('  try {');
    for (let i = 0; i < n; i++) lines.push(`    r = ${call(i)}; if (typeof r?.then === 'function') r.then(ok, no); else ok();`);
    lines.push('  } catch (error) {', '    no(error);', '  }');
  }
  lines.push('});');
  return lines;
}

/**
 * The exits of a gate or waterfall, each answer in `r` and handled by `onAnswer`, given what an
 * early end must record first. Synchronous: the dispatch is counted once on entry, and one that ends
 * before its last exit (an answer, STOP or a throw) records where, as a notify dispatch does
 * (notifyLines; hit-counts.ts). Async: each exit counts itself, as its dispatch awaits between them.
 */
function answeringLines(plan: DispatchPlan, params: string, onAnswer: (end: string) => string): string[] {
  const { kind, exits, isolate } = plan;
  const counted = countsDispatches(kind);
  const lines = counted ? ['count.n++;', 'let r;'] : ['let r;'];
  for (let i = 0; i < exits.length; i++) {
    const early = counted && i < exits.length - 1;
    if (!counted) lines.push(`s${i}.hits++;`);
    const run = `r = ${awaitIf(kind.async)}e${i}(${params});`;
    if (isolate) lines.push(guarded(run, i, 'r = undefined;'));
    else if (early) lines.push(endsOnThrow(run, i));
    else lines.push(run);
    lines.push(onAnswer(early ? `count.end(${i}); ` : ''));
  }
  return lines;
}

function indent(lines: string[]): string[] {
  return lines.map((l) => '  ' + l);
}

/** What a compiled factory binds as its dispatcher's constants. */
export interface DispatcherConstants {
  readonly STOP: symbol;
  readonly fault: unknown;
  readonly tracker: unknown;
  readonly armed: readonly PlannedExit[];
  readonly contain: typeof containRejection;
  readonly learn: (arity: number) => void;
  /** The dispatcher's own count (synchronous notify hooks, hit-counts.ts), or null. */
  readonly count: DispatchCount | null;
}

/**
 * A compiled dispatcher source, waiting for its constants. Its prologue binds each of them, and
 * `e0 = armed[0].fn`, … (with `s0 = armed[0]._counter` where exits are counted one by one, and
 * `x0 = armed[0]` where faults are isolated), as `const`s: V8 folds a `const`
 * of a known closure's context into the optimised code; a parameter it loads on every use.
 */
export type DispatcherFactory = (constants: DispatcherConstants) => Dispatcher;
/**
 * One hook's compiled factories by armed-exit count and learned arity (everything else about the
 * code is fixed per hook), most recently used last. It keeps two: toggling alternates between two
 * counts (k and k+1, or n and idle), and each kept factory holds on to its compiled code (~1.8 KB
 * for 10 exits).
 */
export type FactoryCache = Map<string, DispatcherFactory>;
const FACTORIES_KEPT = 2;

/**
 * Returns the dispatcher for `plan`, binding its exits and counters as constants. The code is
 * generated and compiled once per hook and exit count; re-arming only calls the cached factory.
 * The cache is per hook on purpose, and so is the hook name in the source's header: dispatchers
 * made from one compiled factory share V8's type feedback, so sharing one across hooks would make
 * every hook's inlined exit calls polymorphic.
 */
export function compileWithCodegen(plan: DispatchPlan, cache: FactoryCache): Dispatcher {
  const n = plan.exits.length;
  const key = `${n}/${plan.learnedArity ?? (plan.learn !== null ? 'learn' : '')}`;
  let factory = cache.get(key);
  if (factory !== undefined) {
    cache.delete(key); // re-insert below: most recently used last
  } else {
    const prologue = ['const { STOP, fault, tracker, armed, contain, learn, count } = constants;'];
    // Only the constants the body uses: each is a context slot, and its line is kept source.
    const counters = !countsDispatches(plan.kind);
    for (let i = 0; i < n; i++) {
      prologue.push(`const e${i} = armed[${i}].fn${counters ? `, s${i} = armed[${i}]._counter` : ''}${plan.isolate ? `, x${i} = armed[${i}]` : ''};`);
    }
    const body = generateSource(plan).replace('"use strict";\n', `"use strict";\n${prologue.join('\n')}\n`);
    factory = new Function('constants', body) as DispatcherFactory;
    if (cache.size >= FACTORIES_KEPT) cache.delete(cache.keys().next().value as string);
  }
  cache.set(key, factory);
  return factory({
    STOP,
    fault: plan.fault,
    tracker: plan.tracker,
    armed: plan.exits,
    contain: containRejection,
    learn: plan.learn ?? ignore,
    count: plan.count,
  });
}

function ignore(): void {}

function argList(arity: number): string {
  return Array.from({ length: arity }, (_, i) => `a${i}`).join(', ');
}

function awaitIf(async: boolean): string {
  return async ? 'await ' : '';
}

/** `statement` in a `try` whose `catch` records that a counted dispatch ended at exit `i`, and rethrows. */
function endsOnThrow(statement: string, i: number): string {
  return `try { ${statement} } catch (error) { count.end(${i}); throw error; }`;
}

function guarded(statement: string, i: number, onFault = ''): string {
  return `try { ${statement} } catch (error) { fault(x${i}, error);${onFault ? ' ' + onFault : ''} }`;
}
