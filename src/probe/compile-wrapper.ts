import { sanitize } from '../core/internal.ts';
import { ProbeContext } from './context.ts';
import {
  closeScopes,
  detour,
  enterPhase,
  finish,
  leavePhase,
  failed,
  fault,
  guard,
  now,
  openScopes,
  overrideKind,
  resume,
  settleAsync,
  settleGenerator,
  type WrapperPlan,
} from './engine.ts';

/** Whether a boosted wrapper is a `function` (constructible, own prototype) or a method (neither). */
export function wrapperShape(plan: WrapperPlan): 'function' | 'method' {
  return plan.cls.kind === 'plain' || plan.cls.kind === 'class' ? 'function' : 'method';
}

/**
 * Generates the boosted wrapper's source for exactly the armed probes: fixed arity (the target's
 * declared parameters, no rest/apply on the hot path; `arguments` read only when the count
 * differs, so handlers see exactly what was passed), each probe's handlers and
 * counters bound as closure constants, handler calls unrolled in running order, the leave phase
 * straight-line for sync targets. No user text reaches the code but a sanitised hook name in a comment.
 */
export function generateWrapperSource(plan: WrapperPlan): string {
  const { cls, probes } = plan;
  const shape = wrapperShape(plan);
  const params = Array.from({ length: cls.arity }, (_, i) => `a${i}`);
  const list = params.join(', ');
  const n = probes.length;
  const anyEnter = probes.some((p) => p.enter !== undefined);
  const anyHandler = probes.some((p) => p.enter !== undefined || p.leave !== undefined || p.error !== undefined || p.scope !== undefined);
  const settles = cls.async || cls.generator;
  // A call scope (scope.ts) is opened and closed out of line right around the original; only
  // wrappers of a set that has one contain those calls.
  const scoped = plan.scoped;
  const ntExpr = shape === 'function' ? 'nt' : 'undefined';
  // A timed wrapper runs its enter and leave phases out of line (engine.ts enterPhase/leavePhase):
  // the clock reads and the timed exits' handlers inlined into it made it too big to inline into
  // its caller, and a recursion paid two frames per level (latency/trace 0.45-0.6 D -> ~1.1 D).
  const outOfLine = plan.timed && !settles && !scoped;
  const body: string[] = [];

  if (shape === 'function') body.push('const nt = new.target;');
  const rest = anyHandler || settles || cls.passAll;
  body.push(`if (cell.live === false || guard.depth !== 0) return detour(P, this, ${ntExpr}, ${rest ? 'args' : `[${list}]`});`);
  const tallies = probes.flatMap((p, i) => (p.tally === undefined ? [] : [i]));
  for (let i = 0; i < n; i++) body.push(probes[i]!.tally === undefined ? `s${i}.hits++;` : `s${i}.hits++; k${i}.hits++;`);
  // A tally counts a thrown call where no onError is armed to visit it (with one, failed() does, in running order).
  const rethrow = `catch (e) { ${tallies.map((i) => `k${i}.errors++; `).join('')}throw e; }`;

  const directCall = (args: string): string => {
    const call = `orig.call(this${args ? ', ' + args : ''})`;
    return shape === 'function' ? `(nt === undefined ? ${call} : construct(orig, [${args}], nt === self ? orig : nt))` : call;
  };

  // Every argument passed on as given (class constructors): the rest parameter, applied or constructed.
  const passAll =
    shape === 'function' ? '(nt === undefined ? apply(orig, this, args) : construct(orig, args, nt === self ? orig : nt))' : 'apply(orig, this, args)';
  if (!anyHandler && !settles) {
    // Counting probes only: no context, no phases, just the call (in a try when a tally counts throws).
    const callAll = cls.passAll ? passAll : directCall(list);
    if (tallies.length === 0) body.push(`return ${callAll};`);
    else body.push(`try { return ${callAll}; } ${rethrow}`);
  } else {
    // `args` is the rest parameter: exactly what was passed (fewer or more than declared included).
    // The wrapper's frame stays on the stack for as long as the original runs (all the way down a
    // recursion), so only the common path is inline: an onEnter override and a thrown error leave
    // for shared out-of-line code (resume, failed), which costs nothing until it runs, and the
    // wrapper stays small enough for the JIT to inline into its caller.
    const ctxNt = shape === 'function' ? '(nt === undefined ? undefined : nt === self ? orig : nt)' : 'undefined';
    if (shape === 'function') body.push(`const ntx = ${ctxNt};`);
    for (let i = 0; i < n; i++)
      body.push(`const c${i} = new Ctx(args, ${shape === 'function' ? 'ntx === undefined ? this : undefined, ntx' : 'this, undefined'}, H);`);
    if (outOfLine) {
      body.push(`const cs = [${ctxList(n)}];`, 'const o = E(P, cs);', 'if (o !== undefined) return resume(P, cs, o);');
    } else if (anyEnter) {
      // The first onEnter return that is `{ value }` or `{ error }` overrides the call.
      body.push('let o;', 'guard.depth++;');
      probes.forEach((p, i) => {
        if (p.enter === undefined) return;
        body.push(`try { const v = n${i}.call(h${i}, c${i}); if (v !== undefined && o === undefined && K(v) !== 0) o = v; } ${caught(i)}`);
      });
      body.push('guard.depth--;');
      body.push(`if (o !== undefined) return resume(P, [${ctxList(n)}], o);`);
    }
    const argsFromArray = params.map((_, i) => `args[${i}]`).join(', ');
    const call = cls.passAll
      ? shape === 'function'
        ? '(nt === undefined ? apply(orig, this, args) : construct(orig, args, ntx))'
        : 'apply(orig, this, args)'
      : `args.length === ${cls.arity} ? ${directCall(argsFromArray).replace(`construct(orig, [${argsFromArray}]`, 'construct(orig, args')} : ${
          shape === 'function' ? `(nt === undefined ? apply(orig, this, args) : construct(orig, args, ntx))` : 'apply(orig, this, args)'
        }`;
    // The clock is read around the original only, so no handler's cost is in a duration; and only
    // when a probe reads the stamps (ProbeHandlers.timed): two clock reads would be most of the cost.
    // The stamps go straight into the first context (no local kept alive across the call), and
    // are copied to the others after it.
    const t0 = plan.timed && !outOfLine ? ['c0.startMs = now();'] : [];
    const t1 =
      plan.timed && !outOfLine
        ? ['c0.endMs = now();', ...Array.from({ length: n - 1 }, (_, i) => `c${i + 1}.startMs = c0.startMs; c${i + 1}.endMs = c0.endMs;`)]
        : [];
    if (scoped) {
      // The stamps inside the scope, so its cost is in no duration; the end (settlement or the
      // leave phase) out of line, as for the generic engine.
      body.push(
        `const cs = [${ctxList(n)}];`,
        'const u = O(P, cs);',
        'let ok = true, r;',
        ...t0,
        `try { r = ${call}; } catch (e) { ok = false; r = e; }`,
        ...t1,
      );
      body.push('X(P, u);', 'return F(P, cs, ok, r);');
    } else if (settles) {
      body.push('let ok = true, r;', ...t0, `try { r = ${call}; } catch (e) { ok = false; r = e; }`, ...t1);
      body.push(`return ${cls.async ? 'settleAsync' : 'settleGenerator'}(P, [${ctxList(n)}], ok, r);`);
    } else {
      // Without an onError the original's exception has nothing to visit: let it propagate as is.
      if (probes.some((p) => p.error !== undefined))
        body.push(
          ...t0,
          `let r; try { r = ${call}; } catch (e) { return failed(P, ${outOfLine ? 'cs' : `[${ctxList(n)}]`}, e${plan.timed ? ', c0.startMs' : ''}); }`,
        );
      else if (tallies.length === 0) body.push(...t0, `let r = ${call};`);
      else body.push(...t0, `let r; try { r = ${call}; } ${rethrow}`);
      body.push(...t1);
      if (outOfLine) body.push('r = L(P, cs, r);');
      else if (probes.some((p) => p.leave !== undefined)) {
        body.push('guard.depth++;');
        probes.forEach((p, i) => {
          if (p.leave !== undefined) body.push(`try { const v = l${i}.call(h${i}, c${i}, r); if (v !== undefined) r = v; } ${caught(i)}`);
        });
        body.push('guard.depth--;');
      }
      body.push('return r;');
    }
  }

  const header = `// hookwire probe wrapper for "${sanitize(plan.hookName)}": ${cls.kind}, arity ${cls.arity}, ${n} probe${n === 1 ? '' : 's'}, boosted`;
  // With handlers the wrapper takes a rest parameter (the context's args); counting-only wrappers take the declared parameters.
  const formal = rest ? '...args' : list;
  // A function wrapper names itself: \`new\` of the wrapper constructs the original as itself.
  const open = shape === 'function' ? `return function self(${formal}) {` : `return ({ w(${formal}) {`;
  const close = shape === 'function' ? '};' : '} }).w;';
  // What the call path uses becomes consts, which the JIT may treat as constants of the wrapper (a
  // parameter is a mutable binding): Reflect.construct and the original's call inline, counters
  // are fixed addresses (a class constructor's count probe went from ~2.5x to ~1.1x a hand-written
  // wrapper). Not the handlers' side: with the guard and the handlers constant as well, TurboFan
  // chose a larger frame for a wrapper with handlers (0.7 D deep instead of 1.05 D, Node 20).
  const text = body.join('\n');
  const used = bindings(plan).filter((name) => isConst(name) && new RegExp(`\\b${name}\\b`).test(text));
  const consts = used.length === 0 ? '' : `const ${used.map((name) => `${name} = ${name}$`).join(', ')};`;
  return ['"use strict";', header, consts, open, ...body.map((l) => '  ' + l), close].join('\n');
}

/** Compiles {@link generateWrapperSource} with the plan's probes bound as constants. */
export function compileWrapper(plan: WrapperPlan, source = generateWrapperSource(plan)): Function {
  const factory = new Function(...bindings(plan).map((name) => (isConst(name) ? `${name}$` : name)), source) as (...v: unknown[]) => Function;
  return factory(...bindingValues(plan));
}

/** Whether the generated wrapper binds `name` as a const (see generateWrapperSource). */
function isConst(name: string): boolean {
  return name === 'apply' || name === 'construct' || name === 'orig' || name === 'cell' || /^[sk]\d+$/.test(name);
}

/** The names the generated wrapper uses for what {@link bindingValues} holds, in order. */
function bindings(plan: WrapperPlan): string[] {
  const names = [
    'P',
    'cell',
    'guard',
    'detour',
    'Ctx',
    'H',
    'orig',
    'apply',
    'construct',
    'K',
    'resume',
    'failed',
    'fault',
    'settleAsync',
    'settleGenerator',
    'now',
    'E',
    'L',
    'O',
    'X',
    'F',
  ];
  plan.probes.forEach((_, i) => names.push(`p${i}`, `s${i}`, `h${i}`, `n${i}`, `l${i}`, `k${i}`));
  return names;
}

/** The values bound as the wrapper's constants. */
function bindingValues(plan: WrapperPlan): unknown[] {
  const values: unknown[] = [
    plan,
    plan.cell,
    guard,
    detour,
    ProbeContext,
    plan.hookName,
    plan.orig,
    Reflect.apply,
    Reflect.construct,
    overrideKind,
    resume,
    failed,
    fault,
    settleAsync,
    settleGenerator,
    now,
    enterPhase,
    leavePhase,
    openScopes,
    closeScopes,
    finish,
  ];
  plan.probes.forEach((p) => values.push(p, p.stats, p.handlers, p.enter, p.leave, p.tally));
  return values;
}

/**
 * A handler's catch clause. Nothing between raising and lowering the recursion guard may throw, or
 * the guard would stay up and switch every probe off: fault() itself can overflow the stack, so its
 * own throw is contained too (the fault then goes uncounted; the program's call goes on). This
 * keeps the hot path free of try/finally.
 */
function caught(i: number): string {
  return `catch (e) { try { fault(P, p${i}, e); } catch {} }`;
}

function ctxList(n: number): string {
  return Array.from({ length: n }, (_, i) => `c${i}`).join(', ');
}
