/**
 * Experiment (not a case): a prototype of a cheaper re-arm, measured against today's core.
 * Run: `node --expose-gc --import tsx bench/experiments/arm-cache.ts`.
 *
 * Today every change of the armed set regenerates the dispatcher's source (~10 µs for 10 exits:
 * string building) and calls `new Function` (~4 µs even when V8's eval cache hits). The prototype
 * keeps, per hook, the compiled factory for each armed-exit count and only calls it with the new
 * exits; the source text is made when `source()` asks. Factories stay per hook (not shared between
 * hooks of the same shape): closures made by one factory share V8 type feedback, so sharing them
 * across hooks would make the inlined exit calls polymorphic.
 *
 * The prototype replaces `HookImpl.prototype._rebuild` in this process only; src/ is untouched.
 */
import { armAll, disarmAll, hook, STOP } from '../../src/index.ts';
import { HookImpl } from '../../src/hook.ts';
import { generateSource } from '../../src/compile/codegen.ts';
import type { Dispatcher } from '../../src/compile/plan.ts';
import type { ExitImpl } from '../../src/exit.ts';
import { keep, X } from '../exits.ts';
import { median } from '../measure.ts';

type Factory = (...values: unknown[]) => Dispatcher;
const factories = new WeakMap<HookImpl, Map<number, Factory>>();

function prototypeRebuild(this: HookImpl): void {
  const armed = this._exits.filter((e) => e._armed);
  const self = this as unknown as { _armedProto: { fire: Dispatcher }; _idle: object };
  if (armed.length === 0) {
    if (Object.getPrototypeOf(this) !== self._idle) Object.setPrototypeOf(this, self._idle);
  } else {
    const plan = this._plan(armed);
    let perHook = factories.get(this);
    if (perHook === undefined) factories.set(this, (perHook = new Map()));
    let factory = perHook.get(armed.length);
    if (factory === undefined) {
      const names = ['STOP', 'fault', 'tracker'];
      armed.forEach((_, i) => names.push(`e${i}`, `s${i}`, `x${i}`));
      factory = new Function(...names, generateSource(plan)) as Factory;
      perHook.set(armed.length, factory);
    }
    const values: unknown[] = [STOP, plan.fault, plan.tracker];
    for (const exit of armed as ExitImpl[]) values.push(exit.fn, exit.stats, exit);
    self._armedProto.fire = factory(...values);
    if (Object.getPrototypeOf(this) !== self._armedProto) Object.setPrototypeOf(this, self._armedProto);
  }
  this._config.onArmedChange?.(armed);
}

/** Median µs of `op` over 7 runs of 2000, after 500 warm-up calls. */
function micros(op: () => void): number {
  for (let i = 0; i < 500; i++) op();
  const runs: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 2000; i++) op();
    runs.push(Number(process.hrtime.bigint() - t0) / 2000 / 1000);
  }
  return median(runs);
}

let serial = 0;
/** [armAll+disarmAll of ten, one exit toggled while nine stay armed] in µs. */
function cycles(): [number, number] {
  const h = hook<[a: number, b: number]>(`experiment:arm-cache-${serial++}`, { args: ['a', 'b'] });
  const exits = X.slice(0, 10).map((fn) => h.register(fn));
  const group = micros(() => {
    armAll(exits);
    disarmAll(exits);
  });
  const h9 = hook<[a: number, b: number]>(`experiment:arm-cache-${serial++}`, { args: ['a', 'b'] });
  const exits9 = X.slice(0, 10).map((fn, i) => h9.register(fn, { armed: i < 9 }));
  const tenth = exits9[9]!;
  const one = micros(() => {
    tenth.arm();
    tenth.disarm();
  });
  // The dispatchers must still work.
  armAll(exits);
  h.fire(1, 2);
  keep();
  disarmAll(exits);
  return [group, one];
}

// Production code runs without Node's source-map support; tsx turns it on, and then every
// `new Function` also goes through Node's source-map cache (~6 µs of today's cycle).
process.setSourceMapsEnabled(false);
const today = cycles();
const original = HookImpl.prototype._rebuild;
HookImpl.prototype._rebuild = prototypeRebuild;
const cached = cycles();
HookImpl.prototype._rebuild = original;

// The floor of this design: an idle -> armed -> idle cycle swaps the hook's prototype twice.
const probeHook = hook<[a: number, b: number]>('experiment:arm-cache-swap', { args: ['a', 'b'] }) as unknown as HookImpl;
const idle = Object.getPrototypeOf(probeHook) as object;
const armedProto = probeHook._armedProto;
const swaps = micros(() => {
  Object.setPrototypeOf(probeHook, armedProto);
  Object.setPrototypeOf(probeHook, idle);
});

console.log(`armAll+disarmAll, 10 exits:        today ${today[0].toFixed(2)} µs, per-hook factory cache ${cached[0].toFixed(2)} µs`);
console.log(`one exit arm+disarm, 9 armed:     today ${today[1].toFixed(2)} µs, per-hook factory cache ${cached[1].toFixed(2)} µs`);
console.log(`two prototype swaps of a hook (the floor of an idle->armed->idle cycle): ${swaps.toFixed(2)} µs`);
