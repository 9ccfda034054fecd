// Observers never change the program: whatever they are given, they neither throw nor steer.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createRegistry, gate, hook } from '../../src/core/index.ts';
import { assert as assertExit, count, latency, trace, type Observer } from '../../src/exits/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'hookwire-faults-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function everyObserver(): Observer[] {
  return [
    trace({ sink: { callback: () => undefined } }),
    count(),
    latency(),
    assertExit({
      predicate: {
        any: [
          { arg: '0.a.b', op: 'exists' },
          { arg: 0, op: 'matches', value: 'x' },
        ],
      },
      captureDir: dir,
    }),
  ];
}

function hostileValues(): unknown[] {
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();
  const throwingTraps = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error('ownKeys trap');
      },
      getOwnPropertyDescriptor() {
        throw new Error('gOPD trap');
      },
      getPrototypeOf() {
        throw new Error('getPrototypeOf trap');
      },
    },
  );
  const getters = Object.defineProperty({}, 'a', {
    enumerable: true,
    get() {
      throw new Error('getter ran');
    },
  });
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  return [revoked, throwingTraps, getters, cyclic, new Array(1e6), Symbol('s'), 10n ** 30n, 'x'.repeat(1e6)];
}

test('hostile arguments at a hook (faults: propagate) never throw out of any observer', () => {
  const registry = createRegistry();
  const h = hook<[unknown]>('faults:h', { registry });
  const observers = everyObserver();
  for (const o of observers) h.register(o.forHook(h), { armed: true });
  for (const v of hostileValues()) assert.doesNotThrow(() => h.fire(v));
  for (const e of h.exits) assert.equal(e.stats.faults, 0);
  for (const o of observers) assert.equal(o.report().sites['faults:h']?.hits, hostileValues().length);
});

test('hostile arguments, results and errors at probe handlers never throw, and never replace anything', () => {
  for (const o of everyObserver()) {
    const handlers = o.forProbe();
    for (const v of hostileValues()) {
      const c = { args: [v], thisArg: v, newTarget: undefined, hook: 'probe:hostile#f', data: {} };
      assert.doesNotThrow(() => handlers.onEnter(c));
      assert.equal(handlers.onLeave(c, v), undefined);
      assert.equal(handlers.onError(c, v), undefined);
    }
  }
});

test('hostile contexts are contained and counted as faults', () => {
  const contexts: unknown[] = [
    null,
    undefined,
    {},
    { hook: 5, args: [], data: {} },
    Object.defineProperty({ args: [], data: {} }, 'hook', {
      get() {
        throw new Error('hook getter');
      },
    }),
    Object.defineProperty({ hook: 'probe:x#y', args: [] }, 'data', {
      get() {
        throw new Error('data getter');
      },
    }),
  ];
  for (const o of everyObserver()) {
    const handlers = o.forProbe();
    for (const c of contexts) {
      assert.doesNotThrow(() => handlers.onEnter(c as never));
      assert.doesNotThrow(() => handlers.onLeave(c as never, 1));
      assert.doesNotThrow(() => handlers.onError(c as never, new Error('e')));
    }
    assert.ok(o.report().faults > 0, `${o.type} counted its faults`);
  }
});

test('an observer on a gate never decides it', () => {
  const registry = createRegistry();
  const g = gate<[number], number>('faults:gate', { registry });
  for (const o of everyObserver()) g.register(o.forHook(g), { armed: true, order: -1 });
  assert.equal(g.fire(1), undefined, 'no observer returned a value');
  g.register((n) => n * 2, { armed: true });
  assert.equal(g.fire(21), 42);
});
