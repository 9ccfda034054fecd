/**
 * Experiment (not a case): which way of switching `fire` leaves a hot site at hand-written speed
 * after many arm/disarm toggles, whatever their spacing (issue 8). Run one mechanism per process:
 *
 *   node --import tsx bench/experiments/toggle-dispatch.ts <mechanism> [toggles] [spacing]
 *   node --import tsx bench/experiments/toggle-dispatch.ts all      # every mechanism, 3 processes each
 *
 * Mechanisms, each built here the way src/core builds a hook (a facade object with one own field,
 * a dispatcher made by a `new Function` factory with its exit and counter as closure constants):
 * - `swap-hook`:  the hook object's own prototype swapped between an idle and a reused armed
 *   prototype (hookwire before issue 8). Every swap gives the hook a new hidden class.
 * - `switch-up`:  the hook inherits from a per-hook "switch" object that never changes; the switch's
 *   prototype is swapped between idle and a reused armed prototype. The hook's map never changes.
 * - `switch-up-fresh`: the same, with a fresh armed prototype per change, so `fire` stays a
 *   constant field (never rewritten).
 * - `own-field`: an own `fire` field reassigned (the design rejected in wave 1).
 * Protocol: warm the site function, then `toggles` times: arm, `spacing` calls, disarm, `spacing`
 * calls; then measure armed (÷ hand-written exit call) and disarmed (÷ no hook) with mitata, 100
 * calls per sample, the two bodies back to back, 5 rounds: the median ratio. Add `--allow-natives-syntax` to print V8's optimisation status of the sites.
 *
 * What it showed (Node 20.20 / V8 11.3, 2026-11-30, the shared 2-core machine at a load average of
 * 6-9, one process per figure; ratios armed ÷ hand-written, disarmed ÷ no hook):
 *
 *   mechanism          toggles×spacing  armed    disarmed
 *   swap-hook          0                2.1-3.4x  0.94-1.01x   (one arming after a hot idle phase)
 *   swap-hook          500×2,000        4.8-16x   0.82-1.05x
 *   switch-up          0 / 500×2,000    4.1x / 6.0x  1.00x    (reused state, fire rewritten: not a constant)
 *   switch-up-fresh    0                0.96-0.98x  0.98-1.04x
 *   switch-up-fresh    500×2,000        0.97-1.10x  0.78-1.39x (noise on the busy machine)
 *   own-field          500×2,000        4.7-10x   1.4-2.6x
 *
 * Without making the fresh state fast (see `fast`), switch-up-fresh read 15-21x armed: the state
 * stayed in dictionary mode. src/core adopted switch-up-fresh (src/core/prototypes.ts), keeping the
 * two most recent states per hook so that toggling back to a set armed before costs one prototype set.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OPS } from '../harness.ts';
import { FULL, timeBench } from '../measure.ts';
import { median } from '../stats.ts';

type Fire = (a: number, b: number) => void;
interface Mechanism {
  readonly h: { readonly fire: Fire };
  arm(): void;
  disarm(): void;
}

const sink = { v: 0 };
function x0(a: number, b: number): void {
  sink.v = (sink.v + a * 3 + b) & 0x3fffffff;
}
const noop = function fire(): void {};
class Facade {
  readonly _state = { n: 0 };
  get name(): string {
    return 'experiment';
  }
}

/** Like codegen.ts: one compiled factory per hook, called on every arm. */
function factory(): (e0: Fire, s0: { hits: number }) => Fire {
  return new Function('e0', 's0', '"use strict";\nreturn function fire(a0, a1) {\n  s0.hits++;\n  e0(a0, a1);\n};') as (
    e0: Fire,
    s0: { hits: number },
  ) => Fire;
}
const stats = { hits: 0, faults: 0 };

function proto(base: object, fire: Fire, enabled: boolean, writable: boolean): { fire: Fire } {
  return Object.create(base, { fire: { value: fire, writable }, enabled: { value: enabled } }) as { fire: Fire };
}

/**
 * Makes a new prototype fast before it goes up the chain. V8 puts an object in dictionary mode when
 * it first becomes a prototype and makes it fast again at an inline-cache miss on a receiver below
 * it, walking up from the receiver but stopping at the first prototype already made fast: a
 * prototype set above the switch would stay in dictionary mode, and a load from it is never
 * constant-folded (15-20x slower). A miss on a throwaway receiver right below it makes it fast; the
 * miss happens only in a load with feedback that has seen another map, hence the warm-up on `other`.
 */
const below: { fire?: unknown } = {};
const other: { fire?: unknown } = {};
function touch(o: { fire?: unknown }): unknown {
  return o.fire;
}
function fast<T extends object>(p: T): T {
  for (let k = 0; k < 10; k++) touch(other);
  Object.setPrototypeOf(below, p);
  touch(below);
  Object.setPrototypeOf(below, null);
  return p;
}

const mechanisms: Record<string, () => Mechanism> = {
  'swap-hook'() {
    const f = factory();
    const h = new Facade() as unknown as { fire: Fire };
    const idle = proto(Facade.prototype, noop, false, false);
    const armed = proto(Facade.prototype, noop, true, true);
    Object.setPrototypeOf(h, idle);
    return {
      h,
      arm: () => {
        armed.fire = f(x0, stats);
        Object.setPrototypeOf(h, armed);
      },
      disarm: () => Object.setPrototypeOf(h, idle),
    };
  },
  'switch-up'() {
    const f = factory();
    const idle = proto(Facade.prototype, noop, false, false);
    const armed = fast(proto(Facade.prototype, noop, true, true)); // made fast once, like the fresh ones
    const sw = Object.create(idle) as object;
    const h = new Facade() as unknown as { fire: Fire };
    Object.setPrototypeOf(h, sw);
    return {
      h,
      arm: () => {
        armed.fire = f(x0, stats);
        Object.setPrototypeOf(sw, armed);
      },
      disarm: () => Object.setPrototypeOf(sw, idle),
    };
  },
  'switch-up-fresh'() {
    const f = factory();
    const idle = proto(Facade.prototype, noop, false, false);
    const sw = Object.create(idle) as object;
    const h = new Facade() as unknown as { fire: Fire };
    Object.setPrototypeOf(h, sw);
    return {
      h,
      arm: () => Object.setPrototypeOf(sw, fast(proto(Facade.prototype, f(x0, stats), true, false))),
      disarm: () => Object.setPrototypeOf(sw, idle),
    };
  },
  'own-field'() {
    const f = factory();
    const h = { fire: noop as Fire };
    return {
      h,
      arm: () => {
        h.fire = f(x0, stats);
      },
      disarm: () => {
        h.fire = noop;
      },
    };
  },
};

const table = Int32Array.from({ length: 64 }, (_, i) => Math.imul(i + 1, 0x9e3779b1));

async function run(name: string, toggles: number, spacing: number): Promise<{ armed: number; disarmed: number }> {
  const m = mechanisms[name]!();
  const h = m.h;
  // The disarmed site: a small hash with the hook at its end; the armed site fires (i, 7).
  function plain(i: number): number {
    let v = 0x811c9dc5 | 0;
    for (let k = 0; k < 8; k++) v = Math.imul(v ^ table[(i + k) & 63]!, 0x01000193);
    return v & 0x3fffffff;
  }
  function site(i: number): number {
    let v = 0x811c9dc5 | 0;
    for (let k = 0; k < 8; k++) v = Math.imul(v ^ table[(i + k) & 63]!, 0x01000193);
    h.fire(i, v);
    return v & 0x3fffffff;
  }
  function hand(n: number): number {
    for (let i = 0; i < n; i++) x0(i, 7);
    return sink.v;
  }
  function armedLoop(n: number): number {
    for (let i = 0; i < n; i++) h.fire(i, 7);
    return sink.v;
  }
  function plainLoop(n: number): number {
    let acc = 0;
    for (let i = 0; i < n; i++) acc ^= plain(i);
    return acc;
  }
  function siteLoop(n: number): number {
    let acc = 0;
    for (let i = 0; i < n; i++) acc ^= site(i);
    return acc;
  }
  // Warm, then toggle while hot: both the hook-at-the-end site and the bare armed loop see the toggles.
  siteLoop(20_000);
  armedLoop(20_000);
  for (let t = 0; t < toggles; t++) {
    m.arm();
    siteLoop(spacing);
    armedLoop(spacing);
    m.disarm();
    siteLoop(spacing);
    armedLoop(spacing);
  }
  // Each timed body is its own function literal: one literal shared by all would share its feedback.
  const ratios = async (a: () => unknown, b: () => unknown): Promise<number> => {
    // mitata's median per body, the two bodies back to back, 5 rounds: the median of the 5 ratios.
    const budget = { ...FULL, warmup: 50, minCpuNs: 30e6 };
    const rs: number[] = [];
    for (let r = 0; r < 5; r++) {
      const ta = await timeBench({ name: 'a', role: 'hookwire', fn: a }, budget);
      const tb = await timeBench({ name: 'b', role: 'baseline', fn: b }, budget);
      rs.push(ta / tb);
    }
    return median(rs);
  };
  m.arm();
  const armed = await ratios(
    () => armedLoop(OPS),
    () => hand(OPS),
  );
  m.disarm();
  const disarmed = await ratios(
    () => siteLoop(OPS),
    () => plainLoop(OPS),
  );
  status(name, siteLoop, armedLoop);
  return { armed, disarmed };
}

/** With --allow-natives-syntax: V8's optimisation status bits of the two site functions. */
function status(name: string, ...fns: ((n: number) => number)[]): void {
  if (!process.execArgv.includes('--allow-natives-syntax')) return;
  const get = new Function('f', 'return %GetOptimizationStatus(f)') as (f: unknown) => number;
  console.error(`${name}: optimisation status ${fns.map((f) => `${f.name}=0b${get(f).toString(2)}`).join(' ')}`);
}

const [which = 'all', togglesArg = '500', spacingArg = '2000'] = process.argv.slice(2);
if (which === 'all') {
  const here = fileURLToPath(import.meta.url);
  for (const [toggles, spacing] of [
    [100, 2000],
    [500, 2000],
    [1000, 200],
    [500, 20_000],
  ] as const) {
    for (const name of Object.keys(mechanisms)) {
      const cells: string[] = [];
      for (let p = 0; p < 3; p++) {
        const child = spawnSync(process.execPath, [...process.execArgv, here, name, String(toggles), String(spacing)], { encoding: 'utf8' });
        cells.push(child.stdout.trim());
      }
      console.log(`${String(toggles).padStart(5)} toggles, ${String(spacing).padStart(6)} calls apart  ${name.padEnd(16)} ${cells.join(' | ')}`);
    }
  }
} else {
  const r = await run(which, Number(togglesArg), Number(spacingArg));
  process.stdout.write(`armed ${r.armed.toFixed(2)}× disarmed ${r.disarmed.toFixed(2)}×\n`);
}
