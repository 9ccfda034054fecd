/**
 * Experiment (not a case; run with `node bench/experiments/notify-trys.mjs`): whether the per-exit
 * `try`s of a 10-exit notify dispatcher (codegen.ts) cost anything outside the bench's harness,
 * and whether that depends on the exits sharing state. A plain loop, no mitata: exits that all
 * write one object (as bench/exits.ts's do) against exits that each write their own, each with and
 * without the `try`s. Prints the median of 7 rounds, ns per fire. notify-arity.ts has the figures.
 */
const N = 10,
  OPS = 1e7;
const shared = { v: 0 };
const own = Array.from({ length: N }, () => ({ v: 0 }));
const mk = (k, s) => new Function('s', `return function x${k}(a, b) { s.v = (s.v + a * ${k + 3} + b) & 0x3fffffff; }`)(s);
const sharedExits = Array.from({ length: N }, (_, k) => mk(k, shared));
const ownExits = Array.from({ length: N }, (_, k) => mk(k, own[k]));
const STOP = Symbol('stop');
function build(exits, trys) {
  const body = exits.map((_, i) =>
    trys && i < N - 1
      ? `try { if (e${i}(a0, a1) === STOP) { count.end(${i}); return; } } catch (error) { count.end(${i}); throw error; }`
      : `e${i}(a0, a1);`,
  );
  const count = {
    n: 0,
    // What hit-counts.ts's end(k) does: the dispatch ended at exit k (never called here).
    end(k) {
      this.n -= k;
    },
  };
  return new Function('STOP', 'count', ...exits.map((_, i) => `e${i}`), `"use strict"; return function fire(a0, a1) { count.n++; ${body.join('\n')} };`)(
    STOP,
    count,
    ...exits,
  );
}
function site(fire) {
  return new Function('fire', 'OPS', `return function run(base) { for (let i = base; i < base + OPS; i++) fire(i, 7); }`)(fire, OPS);
}
const variants = {
  'shared sink, trys': site(build(sharedExits, true)),
  'shared sink, no trys': site(build(sharedExits, false)),
  'own sinks, trys': site(build(ownExits, true)),
  'own sinks, no trys': site(build(ownExits, false)),
};
const res = {};
for (let r = 0; r < 7; r++)
  for (const [name, run] of Object.entries(variants)) {
    const t = process.hrtime.bigint();
    run(r * 3);
    const ns = Number(process.hrtime.bigint() - t) / OPS;
    (res[name] ??= []).push(ns);
  }
for (const [name, a] of Object.entries(res)) {
  a.sort((x, y) => x - y);
  console.log(name.padEnd(24), a[3].toFixed(2), 'ns');
}
