// A probed class constructor gets the boosted wrapper (compiled, or closures with code generation
// off): a constructible function that constructs the original with the caller's new.target. What a
// program can observe of the class must not change: new.target, instanceof, private fields, static
// members (own and inherited through the static prototype chain), subclasses whose super() call
// goes through the wrapper, the TypeError of a call without new, and exact restore. The generic
// (Proxy) wrapper, forced with boost: false, is held to the same.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeGenerationEnabled } from '../../src/core/index.ts';
import { describeTarget, probe, type ProbeContext } from '../../src/probe/index.ts';
import { freshRegistry } from './harness.ts';

function classes() {
  class Base {
    static kind = 'base';
    static describe(this: { kind: string }): string {
      return `kind ${this.kind}`;
    }
  }
  class Point extends Base {
    static created = 0;
    static #made = 0;
    #secret: number;
    x: number;
    nt: unknown;
    constructor(a: number, b: number) {
      super();
      if (b === -1) throw new RangeError('bad point');
      this.#secret = a * b;
      this.x = a + b;
      this.nt = new.target;
      Point.created++;
      Point.#made++;
    }
    get secret(): number {
      return this.#secret;
    }
    static made(): number {
      return Point.#made;
    }
    static make(a: number, b: number): Point {
      return new this(a, b);
    }
  }
  return { Base, Point };
}

const wrapperKind = codeGenerationEnabled() ? 'compiled' : 'closure';

for (const boost of [true, false]) {
  const how = boost ? wrapperKind : 'generic';

  test(`a probed class is boosted and keeps new.target, instanceof and private fields (${how})`, () => {
    const { Point } = classes();
    const h: Record<string, any> = { Point };
    const seen: ProbeContext[] = [];
    const reg = freshRegistry();
    const p = probe(h, 'Point', { onEnter: (ctx) => void seen.push(ctx) }, { registry: reg, boost });
    assert.equal(describeTarget(Point).boosted, true);
    assert.equal(reg.snapshot().hooks.find((x) => x.name === p.hook)?.meta?.['wrapper'], how);
    const W = h['Point'] as typeof Point;
    assert.notEqual(W, Point);
    const pt = new W(2, 3);
    assert.equal(pt.x, 5);
    assert.equal(pt.secret, 6);
    assert.equal(pt.nt, Point, 'new.target inside is the original when the wrapper itself is constructed');
    assert.ok(pt instanceof W && pt instanceof Point);
    assert.equal(Object.getPrototypeOf(pt), Point.prototype);
    assert.equal(seen.length, 1);
    assert.deepEqual(seen[0]!.args, [2, 3]);
    assert.equal(seen[0]!.thisArg, undefined);
    assert.equal(seen[0]!.newTarget, Point);
    assert.deepEqual(p.stats, { hits: 1, faults: 0, missed: 0 });
    p.remove();
    assert.equal(h['Point'], Point);
  });

  test(`subclasses of a probed class: super() goes through the wrapper and builds the subclass (${how})`, () => {
    const { Point } = classes();
    const h: Record<string, any> = { Point };
    const nts: unknown[] = [];
    const p = probe(h, 'Point', { onEnter: (ctx) => void nts.push(ctx.newTarget) }, { registry: freshRegistry(), boost });
    const W = h['Point'] as typeof Point;
    class Sub extends W {
      sub: boolean;
      constructor(a: number) {
        super(a, 10);
        this.sub = true;
      }
    }
    class Implicit extends W {}
    const s = new Sub(1);
    assert.ok(s instanceof Sub && s instanceof W && s instanceof Point);
    assert.equal(Object.getPrototypeOf(s), Sub.prototype);
    assert.equal(s.sub, true);
    assert.equal(s.x, 11);
    assert.equal(s.secret, 10, 'private fields are initialised on the subclass instance');
    assert.equal(s.nt, Sub);
    const i = new Implicit(4, 5);
    assert.ok(i instanceof Implicit);
    assert.equal(i.nt, Implicit);
    assert.deepEqual(nts, [Sub, Implicit]);
    assert.equal(p.stats.hits, 2);
    // A subclass made while probed keeps working once the probe is gone.
    p.remove();
    const after = new Sub(2);
    assert.ok(after instanceof Sub && after instanceof Point);
    assert.equal(after.x, 12);
    assert.equal(p.stats.hits, 2);
  });

  test(`statics of a probed class: own members, writes, this in static methods, the static prototype chain (${how})`, () => {
    const { Base, Point } = classes();
    const h: Record<string, any> = { Point };
    const p = probe(h, 'Point', {}, { registry: freshRegistry(), boost });
    const W = h['Point'] as typeof Point;
    assert.equal(Object.getPrototypeOf(W), Base, 'the static prototype chain is the original one');
    assert.equal(W.kind, 'base', 'inherited statics');
    assert.equal(W.describe(), 'kind base');
    const before = Point.created;
    W.make(1, 1); // `new this(…)` inside a static method: this is the wrapper
    assert.equal(W.created, before + 1);
    assert.equal(W.made(), Point.made());
    W.created = 100;
    assert.equal(Point.created, 100, 'a write through the wrapper lands on the original');
    assert.equal(W.name, 'Point');
    assert.equal(W.length, 2);
    assert.equal(W.prototype, Point.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(W, 'prototype'), Object.getOwnPropertyDescriptor(Point, 'prototype'));
    assert.equal(p.stats.hits, 1);
    p.remove();
    assert.equal(Point.created, 100);
  });

  test(`a probed class called without new throws the original's TypeError, and a constructor's throw passes (${how})`, () => {
    const { Point } = classes();
    const h: Record<string, any> = { Point };
    let unprobed: unknown;
    try {
      (Point as unknown as (a: number, b: number) => unknown)(1, 2);
    } catch (error) {
      unprobed = error;
    }
    const errors: unknown[] = [];
    const p = probe(h, 'Point', { onError: (_ctx, e) => void errors.push(e) }, { registry: freshRegistry(), boost });
    const W = h['Point'] as unknown as (a: number, b: number) => unknown;
    assert.throws(
      () => W(1, 2),
      (error: unknown) => error instanceof TypeError && error.message === (unprobed as TypeError).message,
    );
    assert.throws(() => new (h['Point'] as typeof Point)(1, -1), { name: 'RangeError', message: 'bad point' });
    assert.equal(errors.length, 2);
    assert.equal(p.stats.hits, 2);
    p.remove();
  });

  test(`a probed class gets every argument as passed (rest and default parameters) and onLeave may replace the instance (${how})`, () => {
    class Bag {
      items: unknown[];
      label: string;
      constructor(label = 'none', ...items: unknown[]) {
        this.label = label;
        this.items = items;
      }
    }
    const h: Record<string, any> = { Bag };
    const swapped = { swapped: true };
    let swap = false;
    const p = probe(h, 'Bag', { onLeave: (_ctx, r: unknown) => (swap ? swapped : r) }, { registry: freshRegistry(), boost });
    const B = h['Bag'] as typeof Bag;
    const b = new B('x', 1, 2, 3, 4, 5);
    assert.deepEqual([b.label, b.items], ['x', [1, 2, 3, 4, 5]]);
    assert.equal(new B().label, 'none');
    swap = true;
    assert.equal(new B(), swapped);
    p.remove();
  });

  test(`removing the probe restores the class's slot exactly (${how})`, () => {
    const { Point } = classes();
    const h: Record<string, any> = {};
    Object.defineProperty(h, 'Point', { value: Point, writable: true, enumerable: false, configurable: true });
    const before = Object.getOwnPropertyDescriptor(h, 'Point');
    const p = probe(h, 'Point', { onEnter() {} }, { registry: freshRegistry(), boost });
    assert.notEqual(h['Point'], Point);
    assert.ok(typeof Function.prototype.toString.call(h['Point']) === 'string');
    p.disarm();
    assert.equal(h['Point'], Point);
    p.arm();
    assert.notEqual(h['Point'], Point);
    assert.equal(p.remove(), true);
    assert.deepEqual(Object.getOwnPropertyDescriptor(h, 'Point'), before);
  });
}
