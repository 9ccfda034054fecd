/**
 * Experiment (issue 11, defect 4): how deep can a recursion go, unprobed and probed?
 *
 * Two programs: "trivial", a one-line recursive method (the worst case: its own frame is about
 * as small as a frame gets, so any wrapper frame beside it shows), and "parser", a recursive-descent
 * parser of nested arithmetic (`(1+(1+(…7…)))`: expr → term → factor → expr per level, each with a
 * few locals, all three probed), an honest typical frame. Each case gets fresh functions (their own
 * source, so no JIT feedback is shared between cases), warmed over several event-loop turns; then
 * the depth is raised from 5% of the unprobed depth D in steps of 5% until the first overflow, so
 * no overflow happens before the figure (the first deep call after warm-up is what a program
 * feels). D itself is found the same way on an unprobed copy, in the same process.
 *
 *   node --import tsx bench/experiments/probe-depth.ts [trivial|parser]
 *   HOOKWIRE_CODEGEN=off node --import tsx bench/experiments/probe-depth.ts
 *   for n in $(scripts/ci/node-lines.sh 22 24 | cut -d' ' -f2); do $n --import tsx bench/experiments/probe-depth.ts; done
 */
import { createRegistry, setCodeGeneration } from '../../src/core/index.ts';
import { count, latency, trace } from '../../src/exits/index.ts';
import { probe, type ProbeHandlers } from '../../src/probe/index.ts';

const codegen = process.env['HOOKWIRE_CODEGEN'] !== 'off';
if (!codegen) setCodeGeneration(false);
const registry = createRegistry();

/** A program: fresh functions on a holder, the keys to probe, and a run to depth n (true when it returned the right answer). */
interface Program {
  holder: object;
  keys: string[];
  run(n: number): boolean;
}

let seq = 0;

function trivial(): Program {
  const o = new Function(`const o = { rec(n) { return n === 0 ? ${seq++} * 0 : 1 + o.rec(n - 1); } }; return o;`)() as { rec(n: number): number };
  return { holder: o, keys: ['rec'], run: (n) => o.rec(n) === n };
}

const PARSER = `
  class Parser {
    constructor(src) { this.src = src; this.pos = 0; }
    peek() { return this.src.charCodeAt(this.pos); }
    expr() {
      let left = this.term();
      while (this.peek() === 43) { this.pos++; const right = this.term(); left = (left + right) % 1000003; }
      return left;
    }
    term() {
      let left = this.factor();
      while (this.peek() === 42) { this.pos++; const right = this.factor(); left = (left * right) % 1000003; }
      return left;
    }
    factor() {
      const c = this.peek();
      if (c === 40) {
        this.pos++;
        const value = this.expr();
        if (this.peek() !== 41) throw new SyntaxError('expected ) at ' + this.pos);
        this.pos++;
        return value;
      }
      let n = 0, d = c - 48, digits = 0;
      while (d >= 0 && d <= 9) { n = n * 10 + d; digits++; this.pos++; d = this.peek() - 48; }
      if (digits === 0) throw new SyntaxError('expected a number at ' + this.pos);
      return n;
    }
  }
  return Parser;`;

function parser(): Program {
  const Parser = new Function(`/* ${seq++} */` + PARSER)() as new (src: string) => { expr(): number };
  // "(1+" n times, then 7, then ")" n times: the value is n + 7.
  return { holder: Parser.prototype, keys: ['expr', 'term', 'factor'], run: (n) => new Parser('(1+'.repeat(n) + '7' + ')'.repeat(n)).expr() === n + 7 };
}

function fits(p: Program, n: number): boolean {
  try {
    return p.run(n);
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

/** Warms over several turns, so concurrent optimisation has landed before the deep calls. */
async function warm(p: Program): Promise<void> {
  for (let round = 0; round < 30; round++) {
    for (let i = 0; i < 300; i++) p.run(20);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The unprobed depth: a binary search on a warmed copy (its overflows only teach the unprobed code). */
async function unprobed(make: () => Program): Promise<number> {
  const p = make();
  await warm(p);
  let lo = 1;
  let hi = 1 << 20;
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (fits(p, mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

const cases: [string, () => ProbeHandlers | object, boolean][] = [
  ['no handlers (counting)', () => ({}), true],
  ['count exit', () => count().forProbe(), true],
  ['onEnter only', () => ({ onEnter() {} }), true],
  ['onEnter+onLeave+onError', () => ({ onEnter() {}, onLeave() {}, onError() {} }), true],
  ['latency exit', () => latency().forProbe(), true],
  ['trace exit (callback sink)', () => trace({ sink: { callback: () => {} } }).forProbe(), true],
  ['onEnter+onLeave, generic wrapper', () => ({ onEnter() {}, onLeave() {} }), false],
];

const programs: [string, () => Program][] = [
  ['trivial', trivial],
  ['parser', parser],
];
const only = process.argv[2];
for (const [name, make] of programs) {
  if (only !== undefined && only !== name) continue;
  const depth = await unprobed(make);
  console.log(`node ${process.version}, codegen ${codegen ? 'on' : 'off'}, ${name}: unprobed depth D = ${depth}`);
  for (const [label, handlers, boost] of cases) {
    const p = make();
    const probes = p.keys.map((key) => probe(p.holder, key, handlers() as ProbeHandlers, { registry, boost }));
    await warm(p);
    let best = 0;
    for (let step = 1; step <= 30; step++) {
      if (!fits(p, Math.ceil((depth * step) / 20))) break;
      best = step / 20;
    }
    console.log(`  ${label.padEnd(34)} ${best >= 1.5 ? '>= 1.50' : best.toFixed(2)} D`);
    for (const pr of probes) pr.remove();
  }
}
