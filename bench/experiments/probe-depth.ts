/**
 * Experiment (issue 11, defect 4): how deep can a recursive function go, unprobed and probed?
 * For each case, a fresh recursive function (its own source, so no JIT feedback is shared) is
 * warmed, then: "80%": one call at 80% of the unprobed depth, before anything overflowed; "first":
 * the largest depth a binary search finds (its first overflow deoptimises code on the error
 * path); "steady": the same search again, once the JIT has seen that path. Ratios are to the
 * unprobed depth measured the same way in the same process. Run it in both compile modes and on
 * each Node line:
 *
 *   node --import tsx bench/experiments/probe-depth.ts
 *   HOOKWIRE_CODEGEN=off node --import tsx bench/experiments/probe-depth.ts
 *   for n in $(scripts/ci/node-lines.sh 22 24 | cut -d' ' -f2); do $n --import tsx bench/experiments/probe-depth.ts; done
 */
import { createRegistry, setCodeGeneration } from '../../src/core/index.ts';
import { count, latency, trace } from '../../src/exits/index.ts';
import { probe, type ProbeHandlers } from '../../src/probe/index.ts';

const codegen = process.env['HOOKWIRE_CODEGEN'] !== 'off';
if (!codegen) setCodeGeneration(false);
const registry = createRegistry();

interface Rec {
  rec(n: number): number;
}

let seq = 0;
/** A recursive method with a source of its own (the test's code may still use eval; hookwire's may not). */
function fresh(): Rec {
  return new Function(`const o = { rec(n) { return n === 0 ? ${seq++} * 0 : 1 + o.rec(n - 1); } }; return o;`)() as Rec;
}

function fits(o: Rec, n: number): boolean {
  try {
    return o.rec(n) === n;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

function search(o: Rec): number {
  let lo = 1;
  let hi = 1 << 20;
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (fits(o, mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Warms `o` in several turns, so concurrent optimisation has finished before the deep call. */
async function warm(o: Rec): Promise<void> {
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 500; i++) o.rec(20);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const cases: [string, (() => ProbeHandlers) | null, boolean][] = [
  ['count exit', () => count().forProbe(), true],
  ['latency exit', () => latency().forProbe(), true],
  ['trace exit (callback sink)', () => trace({ sink: { callback: () => {} } }).forProbe(), true],
  ['onEnter only', () => ({ onEnter() {} }), true],
  ['no handlers', () => ({}), true],
  ['onEnter+onLeave, generic wrapper', () => ({ onEnter() {}, onLeave() {} }), false],
];

const base = fresh();
await warm(base);
const plain80 = search(fresh()); // a cold search, for information
const plain = search(base);
const plainSteady = search(base);
const pct = (d: number) => `${((100 * d) / plain).toFixed(0)}%`;
console.log(`node ${process.version}, codegen ${codegen ? 'on' : 'off'}: unprobed ${plain} (steady ${plainSteady}, cold ${plain80})`);
for (const [label, make, boost] of cases) {
  const o = fresh();
  const p = make === null ? null : probe(o, 'rec', make(), { registry, boost });
  await warm(o);
  const at80 = fits(o, Math.ceil(plain * 0.8));
  const first = search(o);
  await warm(o);
  const steady = search(o);
  console.log(`  ${label.padEnd(34)} 80%: ${at80 ? 'ok      ' : 'overflow'}  first ${first} (${pct(first)})  steady ${steady} (${pct(steady)})`);
  p?.remove();
}
