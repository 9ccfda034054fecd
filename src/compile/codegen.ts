import { STOP } from '../stop.ts';
import type { Dispatcher, DispatchPlan } from './plan.ts';

/**
 * Generates a dispatcher's source: straight-line code for exactly the armed exits, fixed arity when
 * the hook declared its arguments, each exit a closure constant (`e0`, `e1`, …) with its counters
 * (`s0`, …). No user text reaches the code except a sanitised hook name inside a comment.
 */
export function generateSource(plan: DispatchPlan): string {
  const { kind, exits, isolate } = plan;
  const params = plan.arity === null ? '...args' : argList(plan.arity);
  const first = plan.arity === null ? 'args[0]' : 'a0';
  const call = (i: number) => (plan.arity === null ? `e${i}(...args)` : `e${i}(${argList(plan.arity)})`);
  const n = exits.length;
  const body: string[] = [];

  switch (kind.combine) {
    case 'notify':
      for (let i = 0; i < n; i++) {
        body.push(`s${i}.hits++;`);
        const last = i === n - 1;
        const run = last ? `${awaitIf(kind.async)}${call(i)};` : `if (${awaitIf(kind.async)}${call(i)} === STOP) return;`;
        body.push(isolate ? guarded(run, i) : run);
      }
      break;
    case 'gate':
      body.push('let r;');
      for (let i = 0; i < n; i++) {
        body.push(`s${i}.hits++;`);
        const run = `r = ${awaitIf(kind.async)}${call(i)};`;
        body.push(isolate ? guarded(run, i, 'r = undefined;') : run);
        body.push('if (r !== undefined) return r === STOP ? undefined : r;');
      }
      break;
    case 'waterfall':
      body.push('let r;');
      for (let i = 0; i < n; i++) {
        body.push(`s${i}.hits++;`);
        const run = `r = ${awaitIf(kind.async)}${call(i)};`;
        body.push(isolate ? guarded(run, i, 'r = undefined;') : run);
        body.push(`if (r !== undefined) { if (r === STOP) return ${first}; ${first} = r; }`);
      }
      body.push(`return ${first};`);
      break;
    case 'parallel': {
      const starts: string[] = [];
      for (let i = 0; i < n; i++) {
        body.push(`s${i}.hits++;`);
        starts.push(isolate ? `(async () => { try { await ${call(i)}; } catch (error) { fault(x${i}, error); } })()` : call(i));
      }
      body.push(`await Promise.all([${starts.join(', ')}]);`);
      break;
    }
  }

  const lines = kind.async
    ? [
        'const t = tracker.current;',
        't.n++;',
        'try {',
        ...body.map((l) => '  ' + l),
        '} finally {',
        '  if (--t.n === 0 && t.done !== null) t.done();',
        '}',
      ]
    : body;
  const header = `// hookwire dispatcher for "${sanitize(plan.hookName)}": ${kind.name}, ${n} exit${n === 1 ? '' : 's'}, faults ${isolate ? 'isolated' : 'propagate'}`;
  return [
    '"use strict";',
    header,
    `return ${kind.async ? 'async ' : ''}function fire(${params}) {`,
    ...lines.map((l) => '  ' + l),
    '};',
  ].join('\n');
}

/** Compiles `generateSource(plan)` with the exits and counters bound as constants. */
export function compileWithCodegen(plan: DispatchPlan, source = generateSource(plan)): Dispatcher {
  const names = ['STOP', 'fault', 'tracker'];
  const values: unknown[] = [STOP, plan.fault, plan.tracker];
  plan.exits.forEach((exit, i) => {
    names.push(`e${i}`, `s${i}`, `x${i}`);
    values.push(exit.fn, exit.stats, exit);
  });
  const factory = new Function(...names, source) as (...v: unknown[]) => Dispatcher;
  return factory(...values);
}

function argList(arity: number): string {
  return Array.from({ length: arity }, (_, i) => `a${i}`).join(', ');
}

function awaitIf(async: boolean): string {
  return async ? 'await ' : '';
}

function guarded(statement: string, i: number, onFault = ''): string {
  return `try { ${statement} } catch (error) { fault(x${i}, error);${onFault ? ' ' + onFault : ''} }`;
}

/** Keeps only characters that cannot end a comment or a line. */
function sanitize(name: string): string {
  return name.replace(/[^\w:.#/@$\-]/g, '?').slice(0, 120);
}
