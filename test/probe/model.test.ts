// Model-based: random sequences of probe / arm / disarm / remove / call on two functions, checked
// after every step against a small model: identity while nothing is armed, results, hit counts,
// one hook per probed function.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { probe, type Probe } from '../../src/probe/index.ts';
import { freshRegistry } from './harness.ts';

type Action =
  | { op: 'add'; t: 0 | 1; plus: boolean; armed: boolean; boost: boolean }
  | { op: 'arm' | 'disarm' | 'remove'; i: number }
  | { op: 'call'; t: 0 | 1; x: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), t: fc.constantFrom(0 as const, 1 as const), plus: fc.boolean(), armed: fc.boolean(), boost: fc.boolean() }),
  fc.record({ op: fc.constantFrom('arm' as const, 'disarm' as const, 'remove' as const), i: fc.nat(5) }),
  fc.record({ op: fc.constant('call' as const), t: fc.constantFrom(0 as const, 1 as const), x: fc.integer({ min: -50, max: 50 }) }),
);

test('probes behave like the model under random arm/disarm/remove/call sequences', () => {
  fc.assert(
    fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
      const reg = freshRegistry();
      const obj = {
        f(x: number) {
          return x * 2;
        },
        g: (x: number) => x - 1,
      };
      const keys = ['f', 'g'] as const;
      const originals = [obj.f, obj.g];
      const model: { t: 0 | 1; plus: boolean; armed: boolean; removed: boolean; hits: number; p: Probe }[] = [];
      for (const a of actions) {
        if (a.op === 'add') {
          const p = probe(obj, keys[a.t], a.plus ? { onLeave: (_c, r: number) => r + 1 } : {}, { registry: reg, armed: a.armed, boost: a.boost });
          model.push({ t: a.t, plus: a.plus, armed: a.armed, removed: false, hits: 0, p });
        } else if (a.op === 'call') {
          const live = model.filter((m) => m.t === a.t && m.armed && !m.removed);
          const want = (a.t === 0 ? a.x * 2 : a.x - 1) + live.filter((m) => m.plus).length;
          assert.equal(obj[keys[a.t]](a.x), want);
          for (const m of live) m.hits++;
        } else {
          const m = model[a.i];
          if (m === undefined || m.removed) continue;
          if (a.op === 'remove') {
            assert.equal(m.p.remove(), true);
            m.removed = true;
          } else {
            m.p[a.op]();
            m.armed = a.op === 'arm';
          }
        }
        for (const t of [0, 1] as const) {
          const armed = model.some((m) => m.t === t && m.armed && !m.removed);
          if (!armed) assert.equal(obj[keys[t]], originals[t], 'the original is in place while nothing is armed');
          else assert.notEqual(obj[keys[t]], originals[t]);
        }
        for (const m of model) assert.equal(m.p.stats.hits, m.hits);
        const probed = new Set(model.filter((m) => !m.removed).map((m) => m.t));
        assert.equal(reg.list().length, probed.size, 'one hook per probed function');
      }
      for (const m of model) m.p.remove();
      assert.equal(obj.f, originals[0]);
      assert.equal(obj.g, originals[1]);
    }),
    { numRuns: 150 },
  );
});
