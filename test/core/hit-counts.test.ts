// Exact hit counts from one count per dispatch (src/core/hit-counts.ts): a synchronous notify, gate
// or waterfall dispatch is counted once on entry and takes back the exits it did not reach when it ends early,
// by STOP or by a throw. Every exit count and ending place, with and without declared arguments,
// in both compile modes (the runner runs this file in each), chunked dispatchers included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STOP, asyncHook, createRegistry, gate, hook, waterfall } from '../../src/core/index.ts';

let n = 0;
const name = () => `test:hits${++n}`;

/** What each exit does on one fire: run, return STOP, throw, or answer (a value: a gate ends there). */
type Act = 'run' | 'stop' | 'throw' | 'answer';
type Kind = 'hook' | 'gate' | 'waterfall';

/** A hook whose exit i does `plan(fire, i)`; returns the hook, its exits, and a fire that swallows throws. */
function planned(count: number, args: boolean, isolate: boolean, plan: (fire: number, i: number) => Act, kind: Kind = 'hook') {
  const registry = createRegistry();
  registry.onFault(() => {});
  const options = { registry, faults: isolate ? ('isolate' as const) : ('propagate' as const), ...(args ? { args: ['a', 'b'] } : {}) };
  const make = { hook: () => hook<[a: number, b: number]>(name(), options), gate: () => gate<[a: number, b: number], string>(name(), options) };
  const h = kind === 'waterfall' ? waterfall<[a: number, b: number]>(name(), options) : make[kind]();
  let current = 0;
  const exits = Array.from({ length: count }, (_, i) =>
    h.register(
      () => {
        const act = plan(current, i);
        if (act === 'stop') return STOP;
        if (act === 'throw') throw new Error(`exit ${i}`);
        return act === 'answer' ? `answer ${i}` : undefined;
      },
      { armed: true, name: `x${i}` },
    ),
  );
  const fire = (k: number) => {
    current = k;
    try {
      h.fire(k, 7);
    } catch {
      // a propagating hook: the dispatch ended at the exit that threw
    }
  };
  return { h, exits, fire };
}

/** The hits a plain model gives: each fire reaches exits until one stops it (or throws, propagating, or answers a gate). */
function expected(count: number, fires: number, isolate: boolean, plan: (fire: number, i: number) => Act, kind: Kind): number[] {
  const hits = Array<number>(count).fill(0);
  for (let k = 0; k < fires; k++) {
    for (let i = 0; i < count; i++) {
      hits[i]!++;
      const act = plan(k, i);
      if (act === 'stop' || (act === 'throw' && !isolate) || (act === 'answer' && kind === 'gate')) break;
    }
  }
  return hits;
}

// Notify dispatchers are cut into chunks past 16 exits (codegen.ts); gates and waterfalls have one body.
const sizes = { hook: [1, 2, 3, 5, 9, 16, 17, 32, 33, 40], gate: [1, 2, 3, 4, 7], waterfall: [1, 2, 3, 4, 7] };
for (const kind of ['hook', 'gate', 'waterfall'] as const) {
  for (const count of sizes[kind]) {
    for (const args of [true, false]) {
      for (const isolate of [false, true]) {
        const label = `${kind === 'hook' ? '' : `${kind}, `}${count} exit(s), ${args ? 'args' : 'no args'}, faults ${isolate ? 'isolated' : 'propagate'}`;
        test(`${label}: a dispatch ended by STOP, a throw or an answer at any exit counts exactly the exits it reached`, () => {
          // fire 4k+1 has exit k return STOP, 4k+2 throw, 4k+3 answer (which ends only a gate); 4k runs every exit
          const acts: Act[] = ['run', 'stop', 'throw', 'answer'];
          const plan = (fire: number, i: number): Act => (i === Math.floor(fire / 4) ? acts[fire % 4]! : 'run');
          const fires = 4 * count + 4;
          const { exits, fire } = planned(count, args, isolate, plan, kind);
          for (let k = 0; k < fires; k++) fire(k);
          assert.deepEqual(
            exits.map((e) => e.stats.hits),
            expected(count, fires, isolate, plan, kind),
          );
          if (isolate)
            assert.deepEqual(
              exits.map((e) => e.stats.faults),
              Array(count).fill(1),
            );
        });
      }
    }
  }
}

test('a dispatch called with another argument count than the learned one is counted the same way', () => {
  const h = hook<unknown[]>(name());
  const a = h.register(() => undefined, { armed: true });
  const b = h.register((x: unknown) => (x === 'stop' ? STOP : undefined), { armed: true });
  const c = h.register(() => undefined, { armed: true });
  h.fire(1, 2); // learns 2 arguments
  h.fire('stop'); // the rest-parameter path
  h.fire(1, 2, 3);
  h.fire('stop', 2);
  assert.deepEqual(
    [a, b, c].map((e) => e.stats.hits),
    [4, 4, 2],
  );
});

test('a waterfall called with another argument count than the learned one is counted the same way, and threads its value', () => {
  const w = waterfall<[unknown, ...unknown[]]>(name());
  const a = w.register(
    (v: unknown) => {
      if (v === 'boom') throw new Error('boom');
      return typeof v === 'number' ? v + 1 : undefined;
    },
    { armed: true },
  );
  const b = w.register((v: unknown, ...rest: unknown[]) => (v === 'stop' ? STOP : rest.length === 2 ? 'three' : undefined), { armed: true });
  const c = w.register(() => undefined, { armed: true });
  assert.equal(w.fire(1, 2), 2); // learns 2 arguments
  assert.equal(w.fire('stop'), 'stop'); // the rest-parameter path, ended by STOP at b
  assert.equal(w.fire(1, 2, 3), 'three');
  assert.equal(w.fire('stop', 2), 'stop');
  assert.throws(() => w.fire('boom', 2, 3), /boom/u); // ended by a throw at a, on each path
  assert.throws(() => w.fire('boom', 2), /boom/u);
  assert.deepEqual(
    [a, b, c].map((e) => e.stats.hits),
    [6, 4, 2],
  );
});

// The eval-free mode chains blocks of exits by arity (compile/chain-notify.ts); codegen has one body.
for (const arity of [0, 1, 2, 3]) {
  for (const count of [4, 12, 40]) {
    test(`${count} exits, ${arity} declared argument(s): each exit gets exactly the arguments; STOP and throws at any exit count exactly`, () => {
      const args = ['a', 'b', 'c'].slice(0, arity);
      const h = hook<unknown[]>(name(), { args });
      const sent = args.map((_, i) => `v${i}`);
      let fire = 0;
      const exits = Array.from({ length: count }, (_, i) =>
        h.register(
          (...got: unknown[]) => {
            assert.deepEqual(got, sent, `exit ${i}`);
            if (fire % 3 === 1 && i === (fire - 1) / 3) return STOP;
            if (fire % 3 === 2 && i === (fire - 2) / 3) throw new Error(`exit ${i}`);
            return undefined;
          },
          { armed: true },
        ),
      );
      const fires = 3 * count + 3;
      for (; fire < fires; fire++) {
        try {
          h.fire(...sent);
        } catch {
          // the dispatch ended at the exit that threw
        }
      }
      const plan = (k: number, i: number): Act => (k % 3 === 1 && i === (k - 1) / 3 ? 'stop' : k % 3 === 2 && i === (k - 2) / 3 ? 'throw' : 'run');
      assert.deepEqual(
        exits.map((e) => e.stats.hits),
        expected(count, fires, false, plan, 'hook'),
      );
    });
  }
}

test('12 exits without declared arguments: calls with another count than the learned one run every exit with their own arguments', () => {
  const h = hook<unknown[]>(name());
  const seen: unknown[][] = [];
  const exits = Array.from({ length: 12 }, (_, i) => h.register((...got: unknown[]) => void (i === 11 && seen.push(got)), { armed: true }));
  h.fire(1, 2); // learns 2 arguments
  h.fire(1, 2);
  h.fire('x');
  h.fire(1, 2, 3);
  h.fire();
  assert.deepEqual(seen, [[1, 2], [1, 2], ['x'], [1, 2, 3], []]);
  assert.deepEqual(
    exits.map((e) => e.stats.hits),
    Array(12).fill(5),
  );
});

test('hits carry across re-arming: each dispatcher counts its own dispatches, and reading sums them', () => {
  const h = hook<[n: number]>(name(), { args: ['n'] });
  const a = h.register(() => undefined, { armed: true });
  const b = h.register(() => undefined);
  for (let round = 0; round < 50; round++) {
    h.fire(round);
    if (round % 2 === 0) b.arm();
    else b.disarm();
  }
  assert.equal(a.stats.hits, 50);
  assert.equal(b.stats.hits, 25);
  b.deregister();
  h.fire(0);
  assert.equal(a.stats.hits, 51);
  assert.equal(b.stats.hits, 25, 'a deregistered exit keeps its count');
});

test('a dispatch that re-arms its own hook, then ends early, still takes back the exits it skipped', () => {
  const h = hook<[]>(name());
  let rearm = true;
  const later = h.register(() => undefined, { order: 'last' });
  const first = h.register(
    () => {
      if (rearm) later.arm(); // the next dispatcher runs `later`; this dispatch keeps its snapshot
      return undefined;
    },
    { armed: true, order: 'first' },
  );
  const stopper = h.register(() => (rearm ? STOP : undefined), { armed: true });
  h.fire(); // old dispatcher [first, stopper]: ends at stopper after the switch
  rearm = false;
  h.fire(); // new dispatcher [first, stopper, later]
  assert.deepEqual(
    [first, stopper, later].map((e) => e.stats.hits),
    [2, 2, 1],
  );
});

test('a dispatch whose dispatcher the hook drops while it runs (it arms two other sets) still counts exactly', () => {
  const h = hook<[]>(name());
  const extra = [h.register(() => undefined, { order: 10 }), h.register(() => undefined, { order: 10 })];
  let first = true;
  const a = h.register(
    () => {
      if (!first) return undefined;
      // Two more armed sets: the hook keeps two states, so the running dispatcher's is dropped.
      extra[0]!.arm();
      extra[1]!.arm();
      return undefined;
    },
    { armed: true, order: 'first' },
  );
  const b = h.register(() => (first ? STOP : undefined), { armed: true });
  const c = h.register(() => undefined, { armed: true });
  h.fire(); // [a, b, c]: ends at b by STOP, after its dispatcher was dropped
  first = false;
  h.fire(); // [a, b, c, extra0, extra1]
  assert.deepEqual(
    [a, b, c, ...extra].map((e) => e.stats.hits),
    [2, 2, 1, 1, 1],
  );
});

test('a hook keeps at most two live counts however often its armed set changes, and loses no hit', () => {
  const h = hook<[n: number]>(name(), { args: ['n'] });
  const a = h.register(() => undefined, { armed: true });
  const others = Array.from({ length: 3 }, () => h.register(() => undefined));
  const live = () => (h as unknown as { _state: { counts: Set<unknown> | null } })._state.counts?.size ?? 0;
  for (let round = 0; round < 200; round++) {
    const o = others[round % 3]!;
    o.arm();
    h.fire(round);
    o.disarm();
    h.fire(round);
    assert.ok(live() <= 2, `round ${round}: ${live()} live counts`);
  }
  assert.equal(a.stats.hits, 400);
  assert.deepEqual(
    others.map((o) => o.stats.hits),
    [67, 67, 66], // each armed for one fire of every third round
  );
});

test('stats read as plain data: own enumerable hits and faults, in JSON, spreads and snapshots', () => {
  const registry = createRegistry();
  const h = hook<[]>(name(), { registry });
  const e = h.register(() => undefined, { armed: true, name: 'only' });
  h.fire();
  h.fire();
  assert.deepEqual({ ...e.stats }, { hits: 2, faults: 0 });
  assert.equal(JSON.stringify(e.stats), '{"hits":2,"faults":0}');
  assert.deepEqual(Object.keys(e.stats), ['hits', 'faults']);
  assert.equal(registry.snapshot().hooks.find((s) => s.name === h.name)!.exits[0]!.hits, 2);
  assert.throws(() => {
    (e.stats as { hits: number }).hits = 0;
  }, TypeError);
});

test('async notify hooks still count each exit as it is reached', async () => {
  const h = asyncHook<[]>(name());
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const a = h.register(async () => await gate, { armed: true });
  const b = h.register(() => undefined, { armed: true });
  const pending = h.fire();
  assert.deepEqual([a.stats.hits, b.stats.hits], [1, 0], 'b is not reached while a awaits');
  release();
  await pending;
  assert.deepEqual([a.stats.hits, b.stats.hits], [1, 1]);
});
