// Every target kind × every handler, boosted and generic: the caller sees exactly what it saw
// without the probe, the handlers see the call, and removal gives the original back.
import assert from 'node:assert/strict';
import { describe as suite, test } from 'node:test';
import { describeTarget, probe, type ProbeContext } from '../../src/probe/index.ts';
import { KIND_CASES, freshRegistry, outcome } from './harness.ts';

for (const c of KIND_CASES) {
  const label = `${c.kind}${c.boostable ? '' : ' (generic)'}${c.make().fn.length === 2 && /arguments/.test(String(c.make().fn)) ? ' reading arguments' : ''}`;
  for (const boost of c.boostable ? [true, false] : [false]) {
    suite(`${label}, ${boost ? 'boosted' : 'generic wrapper'}`, () => {
      test('describeTarget reports the kind and boostability', () => {
        const d = describeTarget(c.make().fn);
        assert.equal(d.kind, c.kind);
        assert.equal(d.boosted, c.boostable);
        if (!c.boostable) assert.equal(typeof d.reason, 'string');
      });

      test('a counting probe changes nothing the caller sees and counts every call', async () => {
        const plain = c.make();
        const probed = c.make();
        const orig = probed.fn;
        const p = probe(probed, 'fn', {}, { registry: freshRegistry(), boost });
        assert.notEqual(probed.fn, orig);
        assert.equal(probed.fn.name, orig.name);
        assert.equal(probed.fn.length, orig.length);
        assert.equal(Object.getPrototypeOf(probed.fn), Object.getPrototypeOf(orig));
        assert.deepEqual(await outcome(() => c.call(probed, 2, 3)), await outcome(() => c.call(plain, 2, 3)));
        assert.deepEqual(await outcome(() => c.call(probed, 2, -1)), await outcome(() => c.call(plain, 2, -1)));
        assert.equal(p.stats.hits, 2);
        assert.equal(p.remove(), true);
        assert.equal(probed.fn, orig);
      });

      test('onEnter sees args, this and new.target, and may change the arguments', async () => {
        const plain = c.make();
        const probed = c.make();
        const seen: { args: unknown[]; thisArg: unknown; newTarget: unknown; hook: string }[] = [];
        const p = probe(
          probed,
          'fn',
          {
            onEnter(ctx: ProbeContext) {
              seen.push({ args: [...ctx.args], thisArg: ctx.thisArg, newTarget: ctx.newTarget, hook: ctx.hook });
              if (ctx.args[0] === 2 && c.kind !== 'native') ctx.args[0] = 5;
            },
          },
          { registry: freshRegistry(), boost },
        );
        const got = await outcome(() => c.call(probed, 2, 3));
        const want = await outcome(() => c.call(plain, c.kind === 'native' ? 2 : 5, 3));
        assert.deepEqual(got, want);
        assert.equal(seen.length, 1);
        assert.deepEqual(seen[0]!.args.slice(0, 2), [2, 3]);
        assert.equal(seen[0]!.hook, p.hook);
        if (c.kind === 'class') {
          assert.equal(seen[0]!.thisArg, undefined);
          assert.equal(seen[0]!.newTarget, probed.Point);
        } else {
          assert.equal(seen[0]!.thisArg, probed);
          assert.equal(seen[0]!.newTarget, undefined);
        }
        p.remove();
      });

      test('onLeave runs once with the result at completion; onError once with the error', async () => {
        const plain = c.make();
        const probed = c.make();
        const left: unknown[] = [];
        const errors: unknown[] = [];
        const p = probe(
          probed,
          'fn',
          {
            onEnter(ctx: ProbeContext) {
              ctx.data['entered'] = true;
            },
            onLeave(ctx: ProbeContext, result: unknown) {
              assert.equal(ctx.data['entered'], true);
              left.push(result);
            },
            onError(ctx: ProbeContext, error: unknown) {
              assert.equal(ctx.data['entered'], true);
              errors.push(error);
            },
          },
          { registry: freshRegistry(), boost },
        );
        assert.deepEqual(await outcome(() => c.call(probed, 2, 3)), await outcome(() => c.call(plain, 2, 3)));
        assert.equal(left.length, 1);
        assert.equal(errors.length, 0);
        if (c.kind === 'generator' || c.kind === 'asyncGenerator') assert.equal(left[0], 5);
        else if (c.kind === 'class') assert.ok(left[0] instanceof probed.Point);
        else if (c.kind === 'native') assert.equal(left[0], 3);
        else assert.equal((left[0] as { sum: number }).sum, c.kind === 'plain' && c.boostable === false ? 105 : 5);
        const failed = await outcome(() => c.call(probed, 2, -1));
        assert.deepEqual(failed, await outcome(() => c.call(plain, 2, -1)));
        assert.equal(failed.ok, false);
        assert.equal(errors.length, 1);
        assert.ok(errors[0] instanceof Error);
        assert.equal(left.length, 1);
        assert.equal(p.stats.hits, 2);
        assert.equal(p.stats.faults, 0);
        p.remove();
      });
    });
  }
}

test('a class wrapper keeps static members, subclassing and instanceof', () => {
  const h = KIND_CASES.find((c) => c.kind === 'class')!.make();
  const Point = h.Point;
  const p = probe(h, 'fn', {}, { registry: freshRegistry() });
  const Wrapped = h.fn as new (a: number, b: number) => any;
  class Sub extends Wrapped {
    sub = true;
  }
  const s = new Sub(1, 2);
  assert.ok(s instanceof Sub && s instanceof Point && s instanceof Wrapped);
  assert.equal(s.sub, true);
  assert.equal(s.nt, Sub);
  assert.equal((Wrapped as any).created, Point.created);
  (Wrapped as any).created = 100;
  assert.equal(Point.created, 100);
  assert.throws(() => (Wrapped as any)(1, 2), TypeError);
  assert.equal(p.stats.hits, 2);
  p.remove();
  assert.equal(h.fn, Point);
});

test('a boosted plain function still works as an ES5 constructor', () => {
  function Counter(this: { n: number }, start: number) {
    this.n = start;
  }
  Counter.prototype.inc = function (this: { n: number }) {
    return ++this.n;
  };
  (Counter as unknown as { create: unknown }).create = 1;
  const holder: Record<string, any> = { Counter };
  const nts: unknown[] = [];
  const p = probe(holder, 'Counter', { onEnter: (ctx) => void nts.push(ctx.newTarget) }, { registry: freshRegistry() });
  assert.equal(describeTarget(Counter).boosted, true);
  const c: any = new holder.Counter(5);
  assert.ok(c instanceof (Counter as any));
  assert.ok(c instanceof holder.Counter);
  assert.equal(c.inc(), 6);
  assert.equal(holder.Counter.prototype, Counter.prototype);
  assert.equal(holder.Counter.create, 1);
  holder.Counter.create = 2;
  assert.equal((Counter as unknown as { create: unknown }).create, 2, 'own properties forward to the original');
  assert.deepEqual(nts, [Counter]);
  p.remove();
  assert.equal(holder.Counter, Counter);
});

test('an async probe without leave handlers returns the original promise (no extra ticks)', async () => {
  const make = () => ({
    async get() {
      return 1;
    },
  });
  const plain = make();
  const probed = make();
  const entered: number[] = [];
  probe(probed, 'get', { onEnter: () => void entered.push(1) }, { registry: freshRegistry() });
  const order: string[] = [];
  const a = probed.get().then(() => order.push('probed'));
  const b = plain.get().then(() => order.push('plain'));
  await Promise.all([a, b]);
  assert.deepEqual(order, ['probed', 'plain'], 'the probed call settles on the same tick as the original');
  assert.deepEqual(entered, [1]);
});

test('a getter and a setter are probed through the descriptor', () => {
  let stored = 1;
  const obj = {};
  Object.defineProperty(obj, 'value', {
    get() {
      return stored;
    },
    set(v: number) {
      stored = v;
    },
    enumerable: true,
    configurable: true,
  });
  const before = Object.getOwnPropertyDescriptor(obj, 'value')!;
  const reg = freshRegistry();
  const gets = probe(obj, 'value', { onLeave: (_ctx, r: number) => r * 10 }, { registry: reg });
  const sets: unknown[] = [];
  const setp = probe(obj, 'value', { onEnter: (ctx) => void sets.push(ctx.args[0]) }, { registry: reg, accessor: 'set' });
  assert.equal((obj as { value: number }).value, 10);
  (obj as { value: number }).value = 7;
  assert.equal(stored, 7);
  assert.deepEqual(sets, [7]);
  assert.equal(gets.stats.hits, 1);
  gets.remove();
  setp.remove();
  assert.deepEqual(Object.getOwnPropertyDescriptor(obj, 'value'), before);
});
