// Model-based property test: random programs of hook operations run against hookwire and against a
// small reference model; after every step the call log, results, error codes and stats must agree.
// Runs in both compile modes (the test runner runs every file with HOOKWIRE_CODEGEN on and off).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HookError, STOP, armAll, createRegistry, disarmAll, type AnyHook, type Exit, type Order, type Registry } from '../../src/core/index.ts';
import { KIND_CASES, type KindCase } from './harness.ts';

type Behaviour =
  { b: 'none' } | { b: 'stop' } | { b: 'value' } | { b: 'zero' } | { b: 'throw' } | { b: 'mutate'; op: 'arm' | 'disarm' | 'deregister'; e: number };

type Op =
  | { t: 'declare'; kind: number; exclusive: boolean; isolate: boolean }
  | { t: 'register'; h: number; order: Order; armed: boolean; behaviour: Behaviour }
  | { t: 'arm' | 'disarm' | 'deregister'; e: number }
  | { t: 'armAll' | 'disarmAll'; es: number[] }
  | { t: 'seal'; h: number }
  | { t: 'terminate'; h: number; force: boolean }
  | { t: 'fire'; h: number; arg: number };

interface MExit {
  id: number;
  hook: MHook;
  order: Order;
  seq: number;
  armed: boolean;
  registered: boolean;
  behaviour: Behaviour;
  hits: number;
  faults: number;
  real: Exit;
}
interface MHook {
  name: string;
  kind: KindCase;
  exclusive: boolean;
  isolate: boolean;
  sealed: boolean;
  terminated: boolean;
  seq: number;
  exits: MExit[];
  real: AnyHook;
}

const behaviourArb: fc.Arbitrary<Behaviour> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ b: 'none' as const }) },
  { weight: 2, arbitrary: fc.constant({ b: 'stop' as const }) },
  { weight: 3, arbitrary: fc.constant({ b: 'value' as const }) },
  { weight: 1, arbitrary: fc.constant({ b: 'zero' as const }) },
  { weight: 1, arbitrary: fc.constant({ b: 'throw' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      b: fc.constant('mutate' as const),
      op: fc.constantFrom('arm' as const, 'disarm' as const, 'deregister' as const),
      e: fc.nat(50),
    }),
  },
);
const orderArb: fc.Arbitrary<Order> = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: -2, max: 2 }) },
  { weight: 2, arbitrary: fc.constantFrom<Order>('first', 'last') },
  { weight: 1, arbitrary: fc.constant<Order>('only') },
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('declare' as const), kind: fc.nat(6), exclusive: fc.nat(9).map((n) => n === 0), isolate: fc.boolean() }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('register' as const),
      h: fc.nat(20),
      order: orderArb,
      armed: fc.nat(3).map((n) => n > 0),
      behaviour: behaviourArb,
    }),
  },
  { weight: 4, arbitrary: fc.record({ t: fc.constantFrom('arm' as const, 'disarm' as const, 'deregister' as const), e: fc.nat(50) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constantFrom('armAll' as const, 'disarmAll' as const), es: fc.array(fc.nat(50), { maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('seal' as const), h: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('terminate' as const), h: fc.nat(20), force: fc.boolean() }) },
  { weight: 10, arbitrary: fc.record({ t: fc.constant('fire' as const), h: fc.nat(20), arg: fc.integer({ min: 0, max: 99 }) }) },
);

const rank = (o: Order) => (o === 'first' || o === 'only' ? -Infinity : o === 'last' ? Infinity : o);
const byOrder = (a: MExit, b: MExit) => (rank(a.order) !== rank(b.order) ? (rank(a.order) < rank(b.order) ? -1 : 1) : a.seq - b.seq);

class World {
  readonly registry: Registry = createRegistry();
  readonly hooks: MHook[] = [];
  readonly exits: MExit[] = [];
  log: string[] = [];
  private declared = 0;

  // ---- the model's rules -------------------------------------------------------------------
  changeError(h: MHook): string | null {
    if (h.terminated) return 'ERR_HOOK_TERMINATED';
    if (h.sealed) return 'ERR_HOOK_SEALED';
    return null;
  }
  armError(e: MExit, on: boolean): string | null {
    return this.changeError(e.hook) ?? (on && !e.registered ? 'ERR_EXIT_DEREGISTERED' : null);
  }
  deregisterError(e: MExit): string | null {
    return e.registered ? this.changeError(e.hook) : null;
  }
  setArmed(e: MExit, on: boolean): void {
    if (e.registered) e.armed = on;
  }
  deregister(e: MExit): void {
    if (!e.registered) return;
    e.hook.exits = e.hook.exits.filter((x) => x !== e);
    e.registered = false;
    e.armed = false;
  }
  registerError(h: MHook, order: Order): string | null {
    const base = this.changeError(h);
    if (base) return base;
    if (h.exits.length === 0) return null;
    if (h.exclusive || h.exits.some((x) => x.order === 'only') || order === 'only') return 'ERR_HOOK_ORDER';
    if ((order === 'first' || order === 'last') && h.exits.some((x) => x.order === order)) return 'ERR_HOOK_ORDER';
    return null;
  }

  /** The exit function: logs, then acts per its behaviour. Mutations mirror themselves in the model. */
  makeExit(idRef: { id: number }, behaviour: Behaviour, async: boolean): (...args: unknown[]) => unknown {
    const body = (first: unknown): unknown => {
      const id = idRef.id;
      this.log.push(`${id}:${String(first)}`);
      switch (behaviour.b) {
        case 'none':
          return undefined;
        case 'stop':
          return STOP;
        case 'value':
          return `v${id}`;
        case 'zero':
          return 0;
        case 'throw':
          throw new Error(`boom${id}`);
        case 'mutate': {
          const target = this.exits[behaviour.e % this.exits.length];
          if (!target) return undefined;
          const expected = behaviour.op === 'deregister' ? this.deregisterError(target) : this.armError(target, behaviour.op === 'arm');
          let actual: string | null = null;
          try {
            target.real[behaviour.op]();
          } catch (error) {
            actual = (error as HookError).code;
          }
          assert.equal(actual, expected, `mutation ${behaviour.op} of exit ${target.id} from inside exit ${id}`);
          if (expected === null) {
            if (behaviour.op === 'deregister') this.deregister(target);
            else this.setArmed(target, behaviour.op === 'arm');
          }
          return undefined;
        }
      }
    };
    return async ? async (first: unknown) => body(first) : (first: unknown) => body(first);
  }

  /** What a dispatch should do, computed from the armed snapshot (mutations apply to the model as exits run). */
  expectFire(h: MHook, snapshot: readonly MExit[], arg: number): { log: string[]; result?: unknown; error?: string } {
    const log: string[] = [];
    const combine = h.kind.combine;
    let value: unknown = arg;
    const outcome = (e: MExit): { thrown: boolean; ret: unknown } => {
      log.push(`${e.id}:${String(combine === 'waterfall' ? value : arg)}`);
      if (e.behaviour.b === 'throw') {
        if (h.isolate) {
          e.faults++;
          return { thrown: false, ret: undefined };
        }
        return { thrown: true, ret: undefined };
      }
      return { thrown: false, ret: e.behaviour.b === 'stop' ? STOP : e.behaviour.b === 'value' ? `v${e.id}` : e.behaviour.b === 'zero' ? 0 : undefined };
    };
    if (combine === 'parallel') {
      for (const e of snapshot) e.hits++;
      let error: string | undefined;
      for (const e of snapshot) {
        const o = outcome(e);
        if (o.thrown && error === undefined) error = `boom${e.id}`;
      }
      return error ? { log, error } : { log, result: undefined };
    }
    for (const e of snapshot) {
      e.hits++;
      const o = outcome(e);
      if (o.thrown) return { log, error: `boom${e.id}` };
      if (combine === 'notify' && o.ret === STOP) break;
      if (combine === 'gate' && o.ret !== undefined) return { log, result: o.ret === STOP ? undefined : o.ret };
      if (combine === 'waterfall' && o.ret !== undefined) {
        if (o.ret === STOP) break;
        value = o.ret;
      }
    }
    return { log, result: combine === 'waterfall' ? value : undefined };
  }

  // ---- running one step on both sides -------------------------------------------------------
  async step(op: Op): Promise<void> {
    const hook = 'h' in op ? this.hooks[op.h % Math.max(1, this.hooks.length)] : undefined;
    const exit = 'e' in op ? this.exits[op.e % Math.max(1, this.exits.length)] : undefined;
    switch (op.t) {
      case 'declare': {
        const kind = KIND_CASES[op.kind]!;
        const name = `m:h${++this.declared}`;
        const real = kind.declare(name, { registry: this.registry, exclusive: op.exclusive, faults: op.isolate ? 'isolate' : 'propagate' });
        this.hooks.push({ name, kind, exclusive: op.exclusive, isolate: op.isolate, sealed: false, terminated: false, seq: 0, exits: [], real });
        return;
      }
      case 'register': {
        if (!hook) return;
        const expected = this.registerError(hook, op.order);
        const idRef = { id: this.exits.length };
        const fn = this.makeExit(idRef, op.behaviour, hook.kind.async);
        const real = this.attempt(expected, () => hook.real.register(fn, { order: op.order, armed: op.armed, name: `x${idRef.id}` }));
        if (real) {
          const m: MExit = {
            id: idRef.id,
            hook,
            order: op.order,
            seq: ++hook.seq,
            armed: op.armed,
            registered: true,
            behaviour: op.behaviour,
            hits: 0,
            faults: 0,
            real,
          };
          this.exits.push(m);
          hook.exits = [...hook.exits, m].sort(byOrder);
        }
        return;
      }
      case 'arm':
      case 'disarm':
        if (!exit) return;
        if (this.attempt(this.armError(exit, op.t === 'arm'), () => exit.real[op.t]())) this.setArmed(exit, op.t === 'arm');
        return;
      case 'deregister':
        if (!exit) return;
        if (this.attempt(this.deregisterError(exit), () => (exit.real.deregister(), true))) this.deregister(exit);
        return;
      case 'armAll':
      case 'disarmAll': {
        if (this.exits.length === 0) return;
        const group = op.es.map((i) => this.exits[i % this.exits.length]!);
        const on = op.t === 'armAll';
        const byHook = new Map<MHook, MExit[]>();
        for (const e of group) byHook.set(e.hook, [...(byHook.get(e.hook) ?? []), e]);
        let expected: string | null = null;
        for (const [h, es] of byHook) {
          expected = this.changeError(h) ?? (on ? (es.some((e) => !e.registered) ? 'ERR_EXIT_DEREGISTERED' : null) : null);
          if (expected) break;
        }
        if (this.attempt(expected, () => ((on ? armAll : disarmAll)(group.map((e) => e.real)), true))) for (const e of group) this.setArmed(e, on);
        return;
      }
      case 'seal':
        if (!hook) return;
        if (this.attempt(hook.terminated ? 'ERR_HOOK_TERMINATED' : null, () => (hook.real.seal(), true))) hook.sealed = true;
        return;
      case 'terminate': {
        if (!hook) return;
        const expected = this.changeError(hook) ?? (!op.force && hook.exits.some((e) => e.armed) ? 'ERR_HOOK_BUSY' : null);
        if (this.attempt(expected, () => (hook.real.terminate({ force: op.force }), true))) {
          for (const e of hook.exits) {
            e.registered = false;
            e.armed = false;
          }
          hook.exits = [];
          hook.terminated = true;
        }
        return;
      }
      case 'fire': {
        if (!hook) return;
        // The dispatch runs on the exits armed when it starts; exits that mutate update the model
        // as they run (and check their own expectations), which must not change this dispatch.
        const snapshot = hook.terminated ? [] : hook.exits.filter((e) => e.armed);
        this.log = [];
        let result: unknown;
        let error: string | undefined;
        try {
          result = await hook.real.fire(op.arg);
        } catch (e) {
          error = (e as Error).message;
        }
        const expected = this.expectFire(hook, snapshot, op.arg);
        assert.deepEqual(this.log, expected.log, `call log of ${hook.name} (${hook.kind.name})`);
        if (expected.error !== undefined) assert.equal(error, expected.error, 'the dispatch failed the same way');
        else {
          assert.equal(error, undefined, `unexpected failure ${error}`);
          assert.deepEqual(result, expected.result, 'fire returned the same value');
        }
        return;
      }
    }
  }

  /** Runs a real call; it must fail with `expected` (and change nothing) or succeed when null. */
  private attempt<T>(expected: string | null, run: () => T): T | undefined {
    const before = JSON.stringify(this.registry.snapshot());
    try {
      const value = run();
      assert.equal(null, expected, `expected ${expected}, but the call succeeded`);
      return value;
    } catch (error) {
      if (error instanceof assert.AssertionError) throw error;
      assert.ok(error instanceof HookError, String(error));
      assert.equal(error.code, expected, error.message);
      assert.equal(JSON.stringify(this.registry.snapshot()), before, 'a failed call changed nothing');
      return undefined;
    }
  }

  /** Every live hook's exits, order, armed state and counters agree with the model. */
  checkSnapshot(): void {
    const live = this.hooks.filter((h) => !h.terminated);
    const expected = live.map((h) => ({
      name: h.name,
      enabled: h.exits.some((e) => e.armed),
      sealed: h.sealed,
      exits: h.exits.map((e) => ({ name: `x${e.id}`, armed: e.armed, hits: e.hits, faults: e.faults })),
    }));
    const actual = this.registry.snapshot().hooks.map((h) => ({
      name: h.name,
      enabled: h.enabled,
      sealed: h.sealed,
      exits: h.exits.map((e) => ({ name: e.name, armed: e.armed, hits: e.hits, faults: e.faults })),
    }));
    assert.deepEqual(actual, expected);
    for (const h of live)
      assert.equal(
        h.real.enabled,
        h.exits.some((e) => e.armed),
      );
  }
}

test('random programs of hook operations agree with the reference model', async () => {
  await fc.assert(
    fc.asyncProperty(fc.nat(6), fc.array(opArb, { minLength: 1, maxLength: 80, size: 'large' }), async (first, ops) => {
      const world = new World();
      await world.step({ t: 'declare', kind: first, exclusive: false, isolate: false });
      for (const op of ops) {
        await world.step(op);
        world.checkSnapshot();
      }
    }),
    { numRuns: Number(process.env['MODEL_RUNS'] ?? 300) },
  );
});
